"""The rich-text widget: django-prose-editor's editor, loaded without an inline import map."""

from django import forms
from django.forms import Script


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
