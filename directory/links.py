"""Addresses of the public pages, reversed once per language rather than once per link.

A list or home page links a few dozen objects, and ``reverse()`` walks the URL resolver and
checks each candidate against its pattern every time: measured, some 15 % of rendering the
home page. Here each named route is reversed once per language and URL configuration, with
a placeholder slug that is then replaced. Slugs are plain ASCII ([-a-zA-Z0-9_]); anything
else goes through ``reverse()`` as before.
"""

import re

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

#: The longest query string a page repeats in its links (the language switch, the cards' way
#: back). Real filters stay far below; a longer one is junk, and repeating it into every card
#: would make a page many times the size of the request, and so of its cache entry.
MAX_REPEATED_QUERY = 500

_PLACEHOLDER = "slug0placeholder0"
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_reversed = {}


def url_for(view_name, slug=None):
    """reverse(view_name) or reverse(view_name, kwargs={"slug": slug}), remembered."""
    key = (
        view_name,
        slug is None,
        get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
    parts = _reversed.get(key)
    if parts is None:
        if slug is None:
            parts = (reverse(view_name),)
        else:
            parts = tuple(reverse(view_name, kwargs={"slug": _PLACEHOLDER}).split(_PLACEHOLDER))
            if len(parts) != 2:
                return reverse(view_name, kwargs={"slug": slug})
        _reversed[key] = parts
    if slug is None:
        return parts[0]
    if not _PLAIN_SLUG.fullmatch(slug):
        return reverse(view_name, kwargs={"slug": slug})
    return parts[0] + slug + parts[1]


def _forget(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME"):
        _reversed.clear()


setting_changed.connect(_forget)
