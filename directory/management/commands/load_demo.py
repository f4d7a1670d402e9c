"""Load the demo: migrate, then every fixture and its media in one transaction.

Fixtures use natural keys (slugs), so a second run updates the same rows instead of adding
duplicates, and leaves alone every object the fixtures do not hold.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from directory.cache import bump_for_command
from directory.models import Photo, Publishable
from directory.placeholders import ensure_placeholder
from directory.planner import refresh_statistics
from directory.renditions import generate_renditions

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
DEMO_USER = "demo-editor"


def stamp_times(obj):
    """Raw saves skip auto_now: keep a row's first `created`, and mark it `updated` now."""
    if not hasattr(obj, "created"):
        return
    now = timezone.now()
    obj.updated = now
    existing = None
    if obj.pk is not None:
        existing = type(obj).objects.filter(pk=obj.pk).values_list("created", flat=True).first()
    obj.created = existing or now


class Command(BaseCommand):
    help = "Apply migrations and load the demo data with placeholder images (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", type=Path, default=FIXTURE_DIR, help="Folder of JSON fixtures."
        )
        parser.add_argument("--no-user", action="store_true", help="Do not create the demo user.")

    def handle(self, *args, fixtures, no_user, **options):
        call_command("migrate", interactive=False, verbosity=0)
        paths = sorted(fixtures.glob("*.json"))
        if not paths:
            raise CommandError(f"No fixtures found in {fixtures}.")
        with transaction.atomic():
            counts = self.load(paths)
            images = self.make_placeholders()
        for label, n in sorted(counts.items()):
            self.stdout.write(f"  {label}: {n}")
        self.stdout.write(f"  placeholder images written: {images}")
        self.stdout.write(self.style.SUCCESS(f"Loaded {sum(counts.values())} records."))
        call_command("createinitialrevisions", comment="Demo data loaded", verbosity=0)
        renditions = generate_renditions()
        self.stdout.write(f"  renditions made: {renditions}")
        refresh_statistics()
        bump_for_command(self)
        if not no_user:
            self.ensure_demo_user()

    def load(self, paths):
        counts, deferred = {}, []
        for path in paths:
            index, label = 0, "?"
            try:
                with path.open(encoding="utf-8") as stream:
                    for index, record in enumerate(
                        serializers.deserialize("json", stream, handle_forward_references=True),
                        start=1,
                    ):
                        obj = record.object
                        label = f"{obj._meta.label_lower} {getattr(obj, 'slug', '') or obj}"
                        if isinstance(obj, Publishable):
                            obj.refresh_keys()
                        stamp_times(obj)
                        record.save()
                        if record.deferred_fields:
                            deferred.append((path, index, label, record))
                        counts[obj._meta.label] = counts.get(obj._meta.label, 0) + 1
            except Exception as exc:
                raise CommandError(
                    f"{path.name}, record {index + 1 if label == '?' else index} "
                    f"({label}): {exc}. Nothing was loaded."
                ) from exc
        for path, index, label, record in deferred:
            try:
                record.save_deferred_fields()
            except Exception as exc:
                raise CommandError(
                    f"{path.name}, record {index} ({label}): {exc}. Nothing was loaded."
                ) from exc
        try:
            connection.check_constraints()
        except Exception as exc:
            raise CommandError(
                f"A fixture breaks a constraint: {exc}. Nothing was loaded."
            ) from exc
        return counts

    def make_placeholders(self):
        written = 0
        for photo in Photo.objects.filter(is_placeholder=True).select_related(
            "institution", "enterprise", "park"
        ):
            if ensure_placeholder(photo, default_storage):
                photo.save(update_fields=["image", "width", "height"])
                written += 1
        return written

    def ensure_demo_user(self):
        """The demo account is an editor (Editors group, made by a migration), not a superuser."""
        from django.contrib.auth.models import Group

        User = get_user_model()
        password = os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user, created = User.objects.get_or_create(
            username=DEMO_USER, defaults={"is_staff": True, "is_superuser": False}
        )
        user.is_staff = True
        user.is_superuser = False
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
        self.stdout.write(
            "\nAdmin: http://127.0.0.1:8000/"
            + settings.ADMIN_URL
            + f"\n  user:     {DEMO_USER}\n  password: {password}"
            + (
                ""
                if os.environ.get("DEMO_ADMIN_PASSWORD")
                else "  (new each run; set DEMO_ADMIN_PASSWORD to choose)"
            )
        )
