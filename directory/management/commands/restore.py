"""Restore a `backup` archive into an empty database (after migrate) and media folder."""

import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directory.cache import bump_for_command
from directory.planner import refresh_statistics


class Command(BaseCommand):
    help = "Load a backup archive written by `backup` into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Restore even if the database holds content."
        )

    def handle(self, *args, archive, force, **options):
        if not archive.exists():
            raise CommandError(f"{archive} does not exist.")
        call_command("migrate", interactive=False, verbosity=0)
        content = [m for m in apps.get_app_config("directory").get_models()]
        if not force and any(m.objects.exists() for m in content):
            raise CommandError("The database already holds content; use --force to load over it.")
        with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
            data = Path(tmp) / "data.json"
            if not data.exists():
                raise CommandError(f"{archive} holds no data.json: not a backup of this site.")
            with transaction.atomic():
                call_command("loaddata", str(data), verbosity=0)
            media = Path(tmp) / "media"
            if media.exists():
                shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        moved = self.hide_photo_files()
        if moved:
            self.stdout.write(f"  photos moved to unguessable file names: {moved}")
        refresh_statistics()
        bump_for_command(self)
        self.stdout.write(self.style.SUCCESS(f"Restored {archive}"))

    def hide_photo_files(self):
        """A backup from before photos had unguessable file names brings back guessable ones:
        move them as migration 0007 did."""
        from django.contrib.contenttypes.models import ContentType
        from reversion.models import Version

        from directory.models import Photo
        from directory.renditions import move_to_unguessable_names

        versions = Version.objects.filter(content_type=ContentType.objects.get_for_model(Photo))
        with transaction.atomic():
            return move_to_unguessable_names(Photo.objects.order_by("pk"), versions)
