"""What load_demo last wrote, so that running it again leaves the editors' work alone."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoLoad(models.Model):
    """The last load of the demo fixtures (one row, kept by load_demo; not shown in the admin).

    ``records`` maps each fixture record ("app.model:[natural key]") to a fingerprint of the
    record as load_demo left it, or to None for a record it found and did not write.
    """

    digest = models.CharField(_("fixtures digest"), max_length=64)
    records = models.JSONField(_("fixture records"), default=dict)
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        verbose_name = _("demo data load")
        verbose_name_plural = _("demo data loads")
        default_permissions = ()  # nobody edits it: no permissions to offer in the admin

    def __str__(self):
        return f"{self.loaded_at:%Y-%m-%d %H:%M} {self.digest[:12]}"
