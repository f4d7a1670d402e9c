"""Sanitizing the HTML that editors write in the rich-text editor, with nh3 (ammonia).

The allow-list matches what the editor can produce (directory/static/directory/admin/
rich_text.js): paragraphs, sub-headings, lists, quotes, emphasis and links. Everything else —
scripts, styles, event handlers, iframes, `javascript:` and `data:` URLs, classes and inline
styles — is removed, keeping the text inside.
"""

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "a",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)

_EMPTY = {"", "<p></p>", "<p><br></p>"}


def sanitize_html(html):
    """Return `html` with only the allowed tags, attributes and URL schemes left."""
    cleaned = _cleaner.clean(html or "").strip()
    return "" if cleaned in _EMPTY else cleaned


# C0 control characters other than tab, line feed and carriage return, and DEL: invisible,
# refused by XML 1.0 (the news feed), pasted from Word (vertical tab for Shift+Enter). XML
# refuses the non-characters U+FFFE and U+FFFF and lone surrogates too.
_CONTROL = {
    code: None for code in [*range(0x01, 0x09), *range(0x0E, 0x20), 0x7F, *range(0xD800, 0xE000)]
}
_CONTROL.update({0x0B: "\n", 0x0C: "\n", 0xFFFE: None, 0xFFFF: None})


def strip_control_characters(text):
    """Text without invisible control characters; vertical tab and form feed become line
    breaks. NUL is left alone: forms and imports refuse it with their own message."""
    return text.translate(_CONTROL) if isinstance(text, str) else text
