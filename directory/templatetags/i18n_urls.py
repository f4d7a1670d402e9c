from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language):
    """The current page, filters included, in another language.

    A plain link rather than Django's POST to set_language: pages keep no CSRF cookie, so
    they stay cacheable for every anonymous visitor, and the language lives in the URL.
    """
    request = context["request"]
    return translate_url(request.get_full_path(), language)
