"""Pinyin keys for Chinese names: slugs, A–Z sorting and search.

pypinyin reads 重 in 重庆 as chóng through its phrase dictionary, so 重庆 becomes
``chongqing``, never ``zhongqing``.
"""

import re
import unicodedata

from django.utils.text import slugify
from pypinyin import Style, lazy_pinyin

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPLIT = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")


def _runs(text):
    """Split text into runs of Han characters and runs of ASCII letters/digits."""
    return _SPLIT.findall(unicodedata.normalize("NFKC", text or ""))


def to_pinyin(text):
    """Full pinyin without tones or spaces, lower case: 重庆五一 -> chongqingwuyi."""
    return "".join(
        "".join(lazy_pinyin(run)) if _HAN.match(run) else run for run in _runs(text)
    ).lower()


def to_initials(text):
    """Initial of every syllable, upper case, ASCII words kept whole: 华为ICT学院 -> HWICTXY."""
    return "".join(
        "".join(lazy_pinyin(run, style=Style.FIRST_LETTER)) if _HAN.match(run) else run
        for run in _runs(text)
    ).upper()


def to_slug(text, max_length=80):
    """ASCII slug: each Han run becomes one pinyin word, other words are kept.

    重庆五一技师学院 -> chongqingwuyijishixueyuan; 华为ICT学院 -> huawei-ict-xueyuan.
    """
    words = ["".join(lazy_pinyin(run)) if _HAN.match(run) else run for run in _runs(text)]
    slug = slugify("-".join(words))[:max_length].strip("-")
    return slug


def initial_letter(text):
    """The A–Z index letter a name files under, or '#' when it starts with none."""
    pinyin = to_pinyin(text)
    first = pinyin[:1].upper()
    return first if "A" <= first <= "Z" else "#"
