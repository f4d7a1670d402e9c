"""Search keys and the terms matched against them, brought to one form.

A row's stored keys and a visitor's query go through the same ``normalise()``, so a name
matches however it was typed: full-width letters (ｗｕｙｉ), invisible characters pasted with
it (a zero-width space), pinyin with tone marks (Chóngqìng), ü for the v that pypinyin
writes (lü), traditional characters (重慶).
"""

import re
import unicodedata
from functools import lru_cache, reduce
from operator import and_

from django.db.models import Q
from opencc import OpenCC

from directory import pinyin

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN_OR_DIGIT = re.compile(r"[a-z0-9]")
# pypinyin writes ü as v after l and n (lv, nve) and as u after j, q, x and y (ju, xue).
_U_UMLAUT_AS_V = re.compile(r"(?<=[ln])u\u0308")
# Only marks on Latin letters: those on other scripts are part of the letter.
_LATIN_MARKS = re.compile(r"(?<=[a-z])[\u0300-\u036f]+")


def visible(text):
    """The text without invisible characters (format, control, private use, unassigned);
    white space is kept, as it separates words."""
    return "".join(ch for ch in text if ch.isprintable() or ch.isspace())


def normalise(text):
    """The one form of keys and queries: NFKC, visible, lower case, Latin letters without
    marks, simplified characters. White space is kept."""
    text = visible(unicodedata.normalize("NFKC", text or "")).lower()
    return "".join(map(_simplified, _without_marks(text)))


def _without_marks(text):
    """chóngqìng -> chongqing, lǚ -> lv, jū -> ju."""
    if text.isascii():
        return text
    text = _U_UMLAUT_AS_V.sub("v", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub("", text))


@lru_cache(maxsize=1)
def _converter():
    return OpenCC("t2s")


@lru_cache(maxsize=8192)
def _simplified(char):
    """One character in its simplified form: 慶 -> 庆.

    Character by character, never by phrase: a phrase rule could convert a character in a
    name differently from the same character typed alone, and it would no longer match.
    """
    if not _HAN_RUN.match(char):
        return char
    converted = _converter().convert(char)
    return converted if len(converted) == 1 else char


def to_key(text):
    """A key as stored, or a value matched whole: normalised, with no white space."""
    return "".join(normalise(text).split())


def split_aliases(aliases):
    """The other names of a row, written comma-separated (, or ，)."""
    return [a.strip() for a in (aliases or "").replace("，", ",").split(",") if a.strip()]


def search_text_for(name, name_en="", aliases=""):
    """The stored search keys of a row: each of its names as written, in pinyin and initials."""
    keys = []
    for text in [name, name_en, *split_aliases(aliases)]:
        plain = normalise(text)
        if plain.strip():
            keys += [plain, pinyin.to_pinyin(plain), pinyin.to_initials(plain)]
    return " ".join(to_key(key) for key in keys)


def query_terms(query):
    """The words of a query, each normalised; words left empty are dropped."""
    return normalise(query).split()


def term_q(term, field="search_text"):
    """Q for rows whose search keys hold the (normalised) term.

    A term mixing Chinese and Latin letters (重庆wuyi, cq五一) also matches when its Chinese
    is in a name as written and the whole term, read as pinyin or as initials, is in that
    name's pinyin or initials (chongqingwuyi, cqwy).
    """
    lookup = f"{field}__contains"
    q = Q(**{lookup: term})
    han_runs = _HAN_RUN.findall(term)
    if han_runs and _LATIN_OR_DIGIT.search(term):
        as_written = reduce(and_, [Q(**{lookup: run}) for run in han_runs])
        spelled = Q(**{lookup: pinyin.to_pinyin(term)}) | Q(
            **{lookup: pinyin.to_initials(term).lower()}
        )
        q |= as_written & spelled
    return q
