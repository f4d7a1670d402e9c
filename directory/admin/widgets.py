"""Admin widgets: the rich-text editor, search boxes that survive hand-made values, locked
fields that say why, and a picture field that asks for a chosen file again."""

import copy

from django import forms
from django.contrib.admin.widgets import (
    AdminFileWidget,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import ValidationError
from django.db import connections
from django.forms import Script
from django.utils.html import format_html
from django.utils.translation import gettext


class RichTextWidget(forms.Textarea):
    """A textarea that directory/admin/rich_text.js turns into the editor.

    The editor's code and CSS come from django-prose-editor's static files; our module imports
    the bundle by a relative path, so the page needs no inline <script type="importmap">.
    """

    def __init__(self, attrs=None):
        super().__init__({"data-rich-text": "", "rows": 12, **(attrs or {})})

    def use_required_attribute(self, initial):
        return False  # the textarea is hidden behind the editor; the server checks instead

    class Media:
        css = {
            "all": [
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "django_prose_editor/overrides.css",
                "directory/admin/rich_text.css",
            ]
        }
        js = [Script("directory/admin/rich_text.js", type="module")]


class PictureInput(AdminFileWidget):
    """The picture's file field, which says when a chosen file must be chosen again.

    A browser never fills a file field in: when the page comes back with an error elsewhere
    (a missing year, another row), the picture the editor chose is gone from the form, and
    saving again said only "这个字段是必填项" of a picture they had chosen. The form sets
    ``chosen`` to the name of the file it was sent.
    """

    chosen = ""

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.chosen:
            return html
        message = gettext(
            "You chose “%(name)s”, but a browser does not keep a chosen file when the page "
            "is shown again: choose it again before saving."
        ) % {"name": self.chosen}
        return format_html('{}<ul class="errorlist"><li>{}</li></ul>', html, message)


class LockedWidget(forms.Widget):
    """A field's own widget, with why the user may not change it written under it.

    In place of the field's help text, which a tabular inline row does not show: there a
    greyed-out status, row after row, said nothing. The reason is the widget's description
    (aria-describedby), as help text is.
    """

    def __init__(self, widget, why):
        self.widget = widget
        self.why = why
        super().__init__(widget.attrs)

    def __deepcopy__(self, memo):
        obj = copy.copy(self)
        obj.widget = copy.deepcopy(self.widget, memo)
        obj.attrs = obj.widget.attrs
        memo[id(self)] = obj
        return obj

    @property
    def is_hidden(self):
        return self.widget.is_hidden

    @property
    def use_fieldset(self):
        return self.widget.use_fieldset

    @property
    def needs_multipart_form(self):
        return self.widget.needs_multipart_form

    @property
    def media(self):
        return self.widget.media

    def use_required_attribute(self, initial):
        return self.widget.use_required_attribute(initial)

    def id_for_label(self, id_):
        return self.widget.id_for_label(id_)

    def value_from_datadict(self, data, files, name):
        return self.widget.value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return self.widget.value_omitted_from_data(data, files, name)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        reason_id = f"{attrs['id']}_locked" if attrs.get("id") else ""
        if reason_id:
            described = [attrs.get("aria-describedby", ""), reason_id]
            attrs["aria-describedby"] = " ".join(filter(None, described))
        html = self.widget.render(name, value, attrs, renderer)
        return format_html(
            '{}<div class="help locked-reason"{}>{}</div>',
            html,
            format_html(' id="{}"', reason_id) if reason_id else "",
            self.why,
        )


def is_well_formed_key(model, field_name, value, using=None):
    """Whether ``value`` could be stored in ``model.<field_name>`` (the pk by default).

    A hand-made "abc" or 10**30 raises inside Django's ``__in`` lookups (SQLite cannot even
    bind the number), so such values are refused before any query.
    """
    opts = model._meta
    target = opts.get_field(field_name or opts.pk.name)
    try:
        value = target.to_python(value)
    except ValidationError:
        return False
    if isinstance(value, int):
        low, high = connections[using or "default"].ops.integer_field_range(
            target.get_internal_type()
        )
        return (low is None or value >= low) and (high is None or value <= high)
    return True


class WellFormedChoicesMixin:
    """A search box (autocomplete) that shows again only the chosen values that are keys.

    Django's widget looks the submitted values up to show them again, after the form has
    refused them: a hand-made value would be a 500 there.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        field_name = getattr(remote, "field_name", None)
        keys = [v for v in value if is_well_formed_key(remote.model, field_name, v, self.db)]
        return super().optgroups(name, keys, attr)


class StaffAutocompleteSelect(WellFormedChoicesMixin, AutocompleteSelect):
    pass


class StaffAutocompleteSelectMultiple(WellFormedChoicesMixin, AutocompleteSelectMultiple):
    pass
