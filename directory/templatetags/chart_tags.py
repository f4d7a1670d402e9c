"""Server-rendered SVG bar charts for the key figures.

``{% load chart_tags %}{% bar_chart figures title chart_id %}`` draws one labelled horizontal
bar per figure. The charts read without colour: every bar has its value printed beside its
label, targets are hatched, outlined and labelled "target" in words, and a legend names both.
No ``style`` attributes (the CSP forbids inline styles): presentation attributes give a
sensible look on their own, and classes let ``pages.css`` refine it.

The SVG has no viewBox: bar widths are percentages of the chart's width, so it stretches to
any screen while the text keeps its real size. Labels too long for a phone come in a full and
a shortened form; CSS shows the one that fits.
"""

import unicodedata
from decimal import Decimal

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory.formatting import format_figure

register = template.Library()

LEGEND_HEIGHT = 30
ROW_HEIGHT = 44
BAR_HEIGHT = 14
FONT_SIZE = 13
# Width budget of one label line, in "em" of a CJK character (Latin letters count ~0.55).
SHORT_BUDGET = 22
FULL_BUDGET = 56

INK = "#27506b"
GREEN = "#1f4d3a"


def _width(text):
    """Rough width of text in em: CJK and full-width characters 1, everything else 0.55."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


def _truncate(text, budget):
    if _width(text) <= budget:
        return text
    out, used = "", 0.0
    for ch in text:
        step = 1 if unicodedata.east_asian_width(ch) in "WF" else 0.55
        if used + step > budget - 1:
            break
        out += ch
        used += step
    return out.rstrip() + "…"


def _pct(value, scale):
    return float(max(Decimal(0), min(Decimal(value) / scale, Decimal(1))) * 100)


def _label(figure):
    """What the figure counts, and for a target the word "target" and its horizon."""
    name = figure.display_name
    if figure.is_target:
        tag = _("target")
        horizon = (_english() and figure.horizon_en) or figure.horizon
        if horizon:
            tag = f"{tag} {horizon}"
        return name, f"（{tag}）" if not _english() else f" ({tag})"
    return name, ""


def _english():
    return (get_language() or "").startswith("en")


def _value_text(figure):
    return getattr(figure, "display_value", None) or format_figure(figure)


def _label_text(x, y, value, name, tag, css_class, hidden=False):
    hidden_attr = ' display="none"' if hidden else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{FONT_SIZE}" fill="#1d2a26" '
        f'class="chart-label {css_class}"{hidden_attr}>'
        f'<tspan font-weight="bold" class="chart-value">{escape(value)}</tspan>'
        f'<tspan dx="8">{escape(name)}</tspan>'
        + (f'<tspan class="chart-tag">{escape(tag)}</tspan>' if tag else "")
        + "</text>"
    )


@register.simple_tag
def bar_chart(figures, title, chart_id):
    """An accessible SVG bar chart of `figures` (same unit), titled `title`."""
    figures = list(figures)
    if not figures:
        return ""
    chart_id = escape(chart_id)
    scale = max(
        max(Decimal(f.value), Decimal(f.value_max) if f.value_max is not None else Decimal(0))
        for f in figures
    )
    if all(f.unit == "%" for f in figures) and scale <= 100:
        scale = Decimal(100)
    if scale <= 0:
        scale = Decimal(1)

    has_achieved = any(not f.is_target for f in figures)
    has_target = any(f.is_target for f in figures)
    height = LEGEND_HEIGHT + ROW_HEIGHT * len(figures)
    hatch = f"{chart_id}-hatch"

    descriptions = []
    rows = []
    for index, figure in enumerate(figures):
        top = LEGEND_HEIGHT + ROW_HEIGHT * index
        value = _value_text(figure)
        name, tag = _label(figure)
        descriptions.append(f"{name}{tag}: {value}")

        value_width = _width(value) + 0.6
        full_name = _truncate(name, FULL_BUDGET - value_width - _width(tag))
        short_name = _truncate(name, SHORT_BUDGET - value_width - _width(tag))
        baseline = top + 15
        if short_name == full_name:
            rows.append(_label_text(0, baseline, value, full_name, tag, ""))
        else:
            rows.append(_label_text(0, baseline, value, full_name, tag, "chart-label--full"))
            rows.append(
                _label_text(0, baseline, value, short_name, tag, "chart-label--short", True)
            )

        bar_top = top + 21
        width = max(_pct(figure.value, scale), 0.6)
        if figure.is_target:
            bar = (
                f'<rect x="0" y="{bar_top}" width="{width:.2f}%" height="{BAR_HEIGHT}" '
                f'fill="url(#{hatch})" stroke="{INK}" stroke-width="1" '
                f'class="chart-bar chart-bar--target"/>'
            )
        else:
            bar = (
                f'<rect x="0" y="{bar_top}" width="{width:.2f}%" height="{BAR_HEIGHT}" '
                f'fill="{GREEN}" class="chart-bar chart-bar--achieved"/>'
            )
        rows.append(bar)
        if figure.value_max is not None and figure.value_max > figure.value:
            upper = _pct(figure.value_max, scale)
            rows.append(
                f'<rect x="{width:.2f}%" y="{bar_top}" width="{max(upper - width, 0.3):.2f}%" '
                f'height="{BAR_HEIGHT}" fill="none" stroke="{INK}" stroke-width="1" '
                f'stroke-dasharray="3 2" class="chart-range"/>'
            )

    # Not inside the f-strings below: xgettext does not look into f-strings.
    achieved_label, target_label = _("achieved"), _("target (hatched)")
    legend = []
    x = 0
    if has_achieved:
        legend.append(
            f'<rect x="{x}" y="6" width="14" height="14" fill="{GREEN}" '
            f'class="chart-bar chart-bar--achieved"/>'
            f'<text x="{x + 20}" y="18" font-size="{FONT_SIZE - 1}" class="chart-legend__text">'
            f"{escape(achieved_label)}</text>"
        )
        x += 20 + int(_width(achieved_label) * (FONT_SIZE - 1)) + 24
    if has_target:
        legend.append(
            f'<rect x="{x}" y="6" width="14" height="14" fill="url(#{hatch})" stroke="{INK}" '
            f'stroke-width="1" class="chart-bar chart-bar--target"/>'
            f'<text x="{x + 20}" y="18" font-size="{FONT_SIZE - 1}" class="chart-legend__text">'
            f"{escape(target_label)}</text>"
        )

    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="100%" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape("; ".join(descriptions))}</desc>'
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<rect width="2.5" height="6" fill="{INK}"/></pattern></defs>'
        f'<g class="chart-legend">{"".join(legend)}</g>'
        f'<g class="chart-rows">{"".join(rows)}</g>'
        "</svg>"
    )
    return mark_safe(svg)
