"""Strings that Django and the admin libraries leave untranslated in zh-hans.

Listed here so that makemessages keeps them in our catalogue, where they are translated
for the editors (e.g. "- Select an option -" on every admin dropdown). Never imported.
"""

from django.utils.translation import gettext_noop as _

THIRD_PARTY_STRINGS = [
    _("- Select an option -"),
    _("Filter by %(field_name)s"),
    _("Logout"),
    _(", "),
    _(
        "%(exc_name)s encountered while trying to read file. Ensure you have chosen the correct format for the file."
    ),
    _("No valid data to import. Ensure your file has the correct headers or data for import."),
    _("Resource"),
    _('Select at least 1 field for "%(resource_name)s" to export'),
    _("Select all"),
    _("Value could not be parsed."),
    _("version"),
    _("Attempt Remaining"),
    _("Clean up expired attempts"),
    _("Form Data"),
    _("Locked Out"),
    _("Meta Data"),
    _("Not set"),
    _("Account locked: too many login attempts. Contact an admin to unlock your account."),
    _("Account locked: too many login attempts. Please try again later."),
    _("Access Attempt"),
    _("Access lock out"),
    _("Attempt Time"),
    _("Expires At"),
    _("Failed Logins"),
    _("GET Data"),
    _("HTTP Accept"),
    _("IP Address"),
    _("Logout Time"),
    _("POST Data"),
    _("Path"),
    _("Session key hash (sha256)"),
    _("The time when access attempt expires and is no longer valid."),
    _("User Agent"),
    _("Username"),
    _("access attempt"),
    _("access attempts"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("access failure"),
    _("access failures"),
    _("access log"),
    _("access logs"),
]
