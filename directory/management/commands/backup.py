"""Save all data and media into one .tar.gz that `restore` brings back."""

import io
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by migrate on any database, or per-visit state not worth keeping.
EXCLUDED = ["contenttypes", "sessions", "admin.logentry"]


class Command(BaseCommand):
    help = "Write data (JSON, natural keys) and media files to a .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Where to write, e.g. backup.tar.gz")

    def handle(self, *args, archive, **options):
        data = io.StringIO()
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=EXCLUDED,
            indent=1,
            stdout=data,
        )
        payload = data.getvalue().encode("utf-8")
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(archive, "w:gz") as tar:
            info = tarfile.TarInfo("data.json")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
            if media.exists():
                tar.add(media, arcname="media")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {archive}"))
