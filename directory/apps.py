from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Vocational education city directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from directory import renditions
        from directory.cache import code_version, connect_signals

        connect_signals()
        renditions.connect_signals()
        code_version()  # once, at start-up (before gunicorn forks its workers)
