"""Bar charts of the key figures: HTML labels, with each bar a small SVG.

``{% load chart_tags %}{% bar_chart figures title chart_id %}`` lists one row per figure: its
value, what it counts and, for a target, the word "target" with its horizon, as text that
wraps on any screen; under it a bar scaled to the largest value of the chart. The charts read
without colour: targets are hatched and outlined as well as labelled, and a legend names
both. No ``style`` attributes (the CSP forbids inline styles): bar widths are percentages on
the SVG's own ``width`` attributes.
"""

from dataclasses import dataclass
from decimal import Decimal

from django import template

from directory.formatting import format_figure
from directory.languages import is_english_page

register = template.Library()


@dataclass(frozen=True)
class Bar:
    figure: object  # its name, target status and horizon are written by the template
    value: str  # as the source writes it
    width: str  # percent of the chart's width, "45.00"
    range_width: str  # percent for the upper end of a range (1家至2家), else ""


def _pct(value, scale):
    return float(max(Decimal(0), min(Decimal(value) / scale, Decimal(1))) * 100)


def _scale(figures):
    scale = max(
        max(Decimal(f.value), Decimal(f.value_max) if f.value_max is not None else Decimal(0))
        for f in figures
    )
    if all(f.unit == "%" for f in figures) and scale <= 100:
        scale = Decimal(100)
    return scale if scale > 0 else Decimal(1)


def _bar(figure, scale):
    width = max(_pct(figure.value, scale), 0.6)
    range_width = ""
    if figure.value_max is not None and figure.value_max > figure.value:
        range_width = f"{max(_pct(figure.value_max, scale) - width, 0.3):.2f}"
    return Bar(
        figure=figure,
        value=getattr(figure, "display_value", None) or format_figure(figure),
        width=f"{width:.2f}",
        range_width=range_width,
    )


@register.inclusion_tag("includes/bar_chart.html")
def bar_chart(figures, title, chart_id):
    """A labelled bar chart of `figures` (same unit), titled `title`."""
    figures = list(figures)
    if not figures:
        return {"bars": []}
    scale = _scale(figures)
    bars = [_bar(figure, scale) for figure in figures]
    return {
        "bars": bars,
        "title": title,
        "chart_id": chart_id,
        "has_achieved": any(not figure.is_target for figure in figures),
        "has_target": any(figure.is_target for figure in figures),
        "english": is_english_page(),
    }
