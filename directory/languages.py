"""Which language the current page is in, for code that shows Chinese or English text."""

from django.utils.translation import get_language


def is_english_page():
    """True while rendering an /en/ page (or running under translation.override("en"))."""
    return (get_language() or "").startswith("en")


def name_in_page_language(name, name_en):
    """The English name on English pages when there is one, else the Chinese name."""
    return name_en if name_en and is_english_page() else name
