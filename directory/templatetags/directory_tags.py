"""Template helpers shared by every public page.

Load with ``{% load directory_tags %}``:

- ``{{ figure|figure }}``           the figure as Chinese writes it (5万余名) or English on /en/.
- ``{{ figure|figure_html }}``      the same with each number in ``<span class="num">``.
- ``{{ article.year|year_label }}`` 2020年 on Chinese pages, 2020 on English ones.
- ``{{ obj|public }}``              the object when visitors may see it, else None.
- ``{{ figures|shared_source }}``   the published article all the figures come from, if one.
- ``{{ obj|lang_attr }}``           ` lang="zh-Hans"` on English pages when the name has no
                                     English form (screen readers then read it as Chinese).
- ``{% canonical_url %}``           absolute URL of this page (path, plus ?page=N past page 1).
- ``{% absolute_url path %}``       any local path made absolute.
- ``{% translated_url "en" %}``     this page in another language (same path and query).
- ``{% elided_pages page_obj %}``   page numbers with … gaps, for the pagination partial.
- ``{% active_filter_count filter %}`` how many of the list's filters are in effect.
"""

import re

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.http import escape_leading_slashes
from django.utils.safestring import mark_safe

from directory.formatting import format_figure
from directory.languages import is_english_page
from directory.links import MAX_REPEATED_QUERY
from directory.models.figures import shared_source

register = template.Library()

_NUMBER = re.compile(r"\d[\d,.]*[万亿]?")


@register.filter
def figure(value):
    """A Figure written the way the source writes it: 5万余名, 约300亿元, 97%以上."""
    if value in (None, ""):
        return ""
    return format_figure(value)


@register.filter
def figure_html(value):
    """Like ``figure`` but each number wrapped in <span class="num"> to set it large."""
    # Split before escaping: the digits of an entity such as &#x27; are not a number.
    text, parts, start = str(figure(value)), [], 0
    for match in _NUMBER.finditer(text):
        parts.append(conditional_escape(text[start : match.start()]))
        parts.append(format_html('<span class="num">{}</span>', match.group(0)))
        start = match.end()
    parts.append(conditional_escape(text[start:]))
    return mark_safe("".join(str(part) for part in parts))


@register.filter
def first_paragraph(text):
    """The text up to its first line break: a card's summary should not run into the next."""
    for line in str(text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


@register.filter
def year_label(year):
    """A date known only to the year: 2020年 in Chinese, 2020 in English."""
    if year in (None, ""):
        return ""
    return str(year) if is_english_page() else f"{year}年"


@register.filter
def public(obj):
    """The object if visitors may see it (published, not scheduled), else None."""
    if obj is not None and getattr(obj, "is_published", False):
        return obj
    return None


@register.filter(name="shared_source")
def shared_source_filter(figures):
    """The published article all ``figures`` come from, when it is one."""
    return shared_source(figures) if figures else None


@register.simple_tag
def localized(obj, field):
    """``obj.<field>_en`` on English pages when it is set, else ``obj.<field>``.

    Chinese text on an English page comes marked ``lang="zh-Hans"``, for screen readers.
    """
    if not is_english_page():
        return getattr(obj, field, "")
    english = getattr(obj, f"{field}_en", "")
    if english:
        return english
    text = getattr(obj, field, "")
    return format_html('<span lang="zh-Hans">{}</span>', text) if text else ""


@register.filter
def lang_attr(obj):
    """` lang="zh-Hans"` when an English page shows an object's Chinese-only name."""
    if is_english_page() and obj is not None and not getattr(obj, "name_en", ""):
        return mark_safe(' lang="zh-Hans"')
    return ""


def _site_root(request):
    root = getattr(settings, "SITE_URL", "")
    if root:
        return root
    return f"{request.scheme}://{request.get_host()}"


@register.simple_tag(takes_context=True)
def absolute_url(context, path=""):
    """A local path (or the current path when empty) as an absolute URL."""
    request = context.get("request")
    if request is None:
        return path
    path = path or request.path
    if path.startswith(("http://", "https://")):
        return path
    return _site_root(request) + path


def _canonical_path(context):
    """The page's path without filters, but with ?page=N beyond the first page."""
    path = context["request"].path
    page_obj = context.get("page_obj")
    if page_obj is not None and getattr(page_obj, "number", 1) > 1:
        path += f"?page={page_obj.number}"
    return path


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's canonical address: no filters, but ?page=N beyond the first page."""
    request = context.get("request")
    if request is None:
        return ""
    return _site_root(request) + _canonical_path(context)


@register.simple_tag(takes_context=True)
def alternate_url(context, language):
    """The canonical address in ``language``, for hreflang: the same page as the canonical,
    so search engines see one set of addresses (the language switch keeps the filters)."""
    request = context.get("request")
    if request is None:
        return ""
    path = escape_leading_slashes(_canonical_path(context))
    return _site_root(request) + translate_url(path, language)


@register.simple_tag(takes_context=True)
def translated_url(context, language):
    """This page's address in ``language``, keeping a query string of usual length."""
    request = context.get("request")
    if request is None:
        return ""
    path = request.get_full_path()
    if len(request.META.get("QUERY_STRING", "")) > MAX_REPEATED_QUERY:
        path = request.path
    # //host/… would be read as another site's address (the 404 page shows any path).
    return translate_url(escape_leading_slashes(path), language)


@register.simple_tag
def elided_pages(page_obj, on_each_side=2, on_ends=1):
    """Page numbers around the current one, with Paginator.ELLIPSIS for the gaps."""
    if page_obj is None:
        return []
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )


@register.simple_tag
def active_filter_count(filterset):
    """How many filters narrow the list: fields of the filter form whose value was understood
    and is not empty, the sort order aside (it narrows nothing down).

    Read from the form, not the query string: a parameter no filter takes (WeChat adds
    ``?from=singlemessage`` to every shared link), a value that was ignored as not understood,
    or a field repeated in the address is no active filter.
    """
    if filterset is None or not filterset.is_bound:
        return 0
    form = filterset.form
    errors = form.errors  # cleans the form if the view has not
    return sum(
        1
        for name, value in form.cleaned_data.items()
        if name != "ordering" and name not in errors and value not in (None, "", [])
    )


@register.simple_tag
def content_lang():
    """` lang="zh-Hans"` on English pages, for text held only in Chinese (summaries …)."""
    return mark_safe(' lang="zh-Hans"') if is_english_page() else ""
