"""The fields of the list pages' filter forms, rendered in Python.

``{% load filter_tags %}{% filter_field field %}`` writes a label, the field's errors and its
widget: the same markup as Django's ``as_field_group`` for the widgets the filter forms use
(text and search inputs, hidden inputs, single selects). Django renders each widget, each
<option> and each attribute list through a template of its own; on a list page that was a
third of the whole response time.
"""

from django.forms.utils import flatatt
from django.forms.widgets import Input, Select
from django.template import Library
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

register = Library()


def _errors(field):
    if not field.errors:
        return ""
    return format_html(
        '<ul class="errorlist" id="{}_error">{}</ul>',
        field.auto_id,
        format_html_join("", "<li>{}</li>", ((error,) for error in field.errors)),
    )


def _attrs(field, widget, **extra):
    attrs = field.build_widget_attrs(widget.attrs, widget)
    attrs.pop("type", None)  # written first by _input
    attrs.update(extra)
    if field.auto_id:
        attrs["id"] = field.auto_id
    return flatatt(attrs)


def _select(field, widget):
    selected = set(widget.format_value(field.value()))
    options = []
    for value, label in field.field.choices:
        if isinstance(label, (list, tuple)):
            raise TypeError("Grouped choices are not used by the filter forms.")
        value = "" if value is None else str(value)
        options.append(
            format_html(
                '<option value="{}"{}>{}</option>',
                value,
                mark_safe(" selected") if value in selected else "",
                label,
            )
        )
    return format_html(
        '<select name="{}"{}>{}</select>',
        field.html_name,
        _attrs(field, widget),
        mark_safe("".join(options)),
    )


def _input(field, widget):
    value = widget.format_value(field.value())
    extra = {"value": value} if value not in (None, "") else {}
    return format_html(
        '<input type="{}" name="{}"{}>',
        widget.attrs.get("type", widget.input_type),
        field.html_name,
        _attrs(field, widget, **extra),
    )


def render_widget(field):
    widget = field.field.widget
    if isinstance(widget, Select) and not widget.allow_multiple_selected:
        return _select(field, widget)
    if isinstance(widget, Input) and widget.input_type not in ("checkbox", "radio", "file"):
        return _input(field, widget)
    # Anything else gets Django's own rendering.
    return conditional_escape(field.as_widget())


@register.simple_tag
def filter_field(field):
    """Label, errors and widget of one visible filter field."""
    return format_html(
        '<label for="{}">{}</label>{}{}',
        field.auto_id,
        field.label,
        _errors(field),
        render_widget(field),
    )


@register.simple_tag
def hidden_field(field):
    return render_widget(field)
