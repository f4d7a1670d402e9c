"""The staff admin: roles, history, concurrent-edit refusal, import/export, renditions.

- content.py: the admin page of every model, and what the history restores together
- base.py: what they share (history, publication, imports, thumbnails)
- history.py: restoring one record from a revision that holds others too
- forms.py: concurrent-edit refusal, slug clashes, sanitized rich text, checked images
- resources.py: CSV / Excel columns for institutions, enterprises and partnerships
- widgets.py: the rich-text editor widget

Needs the apps and settings of config/settings_admin.py.
"""

from . import content  # noqa: F401  (registers every model)
