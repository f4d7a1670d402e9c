"""Numbers written the way the source writes them: 5万余名, 约300亿元, 97%以上.

Chinese groups large numbers by 万 (10⁴) and 亿 (10⁸); the qualifier's place depends on
the word: 约/近/超 come before the number, 余 between number and unit, 多/以上 after the unit.
English pages get the same figure as "more than 50,000 graduates".
"""

from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

_BEFORE = {"about": "约", "nearly": "近", "over": "超", "more_than": "超过", "at_least": "不低于"}
_BETWEEN = {"plus": "余"}
_AFTER = {"plus_duo": "多", "and_above": "以上"}

_EN_BEFORE = {
    "about": "about",
    "nearly": "nearly",
    "over": "over",
    "more_than": "more than",
    "at_least": "at least",
    "plus": "more than",
    "plus_duo": "more than",
}
_EN_AFTER = {"and_above": "or more"}


def plain_number(number):
    """Decimal without trailing zeros or exponent: 6.8000 -> '6.8', 300 -> '300'."""
    number = Decimal(number)
    text = format(number.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def chinese_number(value, group=True):
    """300 亿 for 30000000000; 5万 for 50000; 6000 stays 6000."""
    value = Decimal(value)
    if group:
        for size, word in ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万")):
            if abs(value) >= size and (value / size) == (value / size).quantize(Decimal("0.01")):
                return plain_number(value / size) + word
    return plain_number(value)


def english_number(value):
    """50,000; 11 million; 30 billion; 6.8 (English groups by thousands)."""
    value = Decimal(value)
    # English words on purpose: this is only ever the English rendering of a number.
    for size, word in ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if abs(value) >= size:
            # Like 万/亿: only a round number becomes words; 123456789 stays digits.
            if (value / size) == (value / size).quantize(Decimal("0.01")):
                return f"{plain_number(value / size)} {word}"
            break
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def format_chinese(value, unit="", qualifier="", value_max=None, group=True):
    number = chinese_number(value, group)
    if value_max is not None:
        number = f"{number}{unit}至{chinese_number(value_max, group)}"
    return (
        _BEFORE.get(qualifier, "")
        + number
        + _BETWEEN.get(qualifier, "")
        + unit
        + _AFTER.get(qualifier, "")
    )


def format_english(value, unit="", qualifier="", value_max=None):
    number = english_number(value)
    if value_max is not None:
        number = _("%(low)s to %(high)s") % {"low": number, "high": english_number(value_max)}
    parts = [_EN_BEFORE.get(qualifier, ""), number + ("" if unit in ("%", "") else " ") + unit]
    if qualifier in _EN_AFTER:
        parts.append(_EN_AFTER[qualifier])
    return " ".join(p for p in parts if p)


def format_figure(figure, language=None):
    """A Figure (or anything with value, unit, qualifier, value_max) for the given language."""
    language = language or get_language() or "zh-hans"
    value_max = getattr(figure, "value_max", None)
    if language.startswith("en"):
        unit = getattr(figure, "unit_en", "") or figure.unit
        return format_english(figure.value, unit, figure.qualifier, value_max)
    return format_chinese(
        figure.value,
        figure.unit,
        figure.qualifier,
        value_max,
        group=getattr(figure, "group_digits", True),
    )
