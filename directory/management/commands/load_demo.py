"""Load the demo: migrate, then every fixture and its media in one transaction.

Fixtures use natural keys (slugs). The command remembers what it loaded (DemoLoad: a digest
of the fixture files and a fingerprint of each record as it left it), so that running it
again, as the README's serve command does, never undoes the editors' work:

- a database without the demo gets all of it;
- with the same fixtures as last time, no content is touched;
- with changed fixtures (a newer version of the code), records new to the fixtures are added,
  and a record is rewritten only while it is still exactly as load_demo left it. Records the
  editors changed or deleted since stay as they are, and are listed;
- ``--reset`` writes every fixture record again and brings deleted ones back (on purpose);
  the editors' versions stay in the history.

A database loaded before load_demo kept this record counts as the editors' throughout:
nothing in it is changed or added back.
"""

import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from directory.cache import bump_for_command
from directory.models import DemoLoad, Photo, Publishable
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


def fixtures_digest(paths):
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def key_of(model, natural_key):
    """How DemoLoad names a record: 'directory.institution:["wuyi"]'."""
    return f"{model._meta.label_lower}:{json.dumps(list(natural_key), ensure_ascii=False)}"


def _canonical(value):
    return json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)


def fingerprint(obj):
    """A digest of everything editors can change in a stored record: its editable fields and
    relations (by natural key), not the times or keys derived from them."""
    (row,) = serializers.serialize(
        "python", [obj], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    editable = {}
    for name, value in row["fields"].items():
        model_field = obj._meta.get_field(name)
        if model_field.editable:
            editable[name] = sorted(value, key=_canonical) if model_field.many_to_many else value
    return hashlib.sha256(_canonical(editable).encode()).hexdigest()


def raw_label(raw):
    fields = raw.get("fields") or {}
    name = next((fields[k] for k in ("slug", "key", "name", "order") if fields.get(k)), "")
    return f"{raw.get('model', '?')} {name}".strip()


def references(raw):
    """(model, natural key) of every record a fixture record refers to by natural key."""
    model = apps.get_model(raw["model"])
    for name, value in (raw.get("fields") or {}).items():
        model_field = model._meta.get_field(name)
        if not model_field.is_relation or not value:
            continue
        for target in value if model_field.many_to_many else [value]:
            if isinstance(target, list):
                yield model_field.related_model, target


def deserialized(raw):
    """One fixture record as a DeserializedObject (matched to the stored row by natural key)."""
    return next(serializers.deserialize("python", [raw], handle_forward_references=True))


def exists(model, natural_key):
    try:
        model._default_manager.get_by_natural_key(*natural_key)
    except model.DoesNotExist:
        return False
    return True


WRITE, KEEP, GONE, BLOCKED = "write", "keep", "gone", "blocked"


@dataclass
class Plan:
    """Which fixture records one run writes.

    ``previous`` is the last load's {key: fingerprint}; None when the database holds a demo
    loaded before load_demo remembered its loads. ``everything``: first load, or --reset.
    """

    everything: bool
    previous: dict | None = None
    records: dict = field(default_factory=dict)  # what the next DemoLoad remembers
    absent: set = field(default_factory=set)  # keys left out of the database by this run
    kept: list = field(default_factory=list)
    gone: list = field(default_factory=list)
    blocked: list = field(default_factory=list)
    added: int = 0
    updated: int = 0

    def __post_init__(self):
        if self.previous and not self.everything:
            self.records = dict(self.previous)

    def known(self, key):
        return self.previous is None or key in self.previous

    def decide(self, record, raw, label):
        if self.everything:
            return WRITE
        obj = record.object
        key = key_of(type(obj), obj.natural_key())
        if obj.pk is not None:
            before = (self.previous or {}).get(key)
            stored = type(obj)._default_manager.get(pk=obj.pk)
            if before is None or before != fingerprint(stored):
                self.records.setdefault(key, None)
                self.kept.append(label)
                return KEEP
        elif self.known(key):  # loaded before and no longer here: the editors deleted it
            self.records.setdefault(key, None)
            self.absent.add(key)
            self.gone.append(label)
            return GONE
        if any(self.missing(model, natural_key) for model, natural_key in references(raw)):
            if obj.pk is None:
                self.absent.add(key)
            self.blocked.append(label)
            return BLOCKED
        if obj.pk is None:
            self.added += 1
        else:
            self.updated += 1
        return WRITE

    def missing(self, model, natural_key):
        """A record this run will not find: deleted by the editors, or left out above.
        (One new to the fixtures and not loaded yet is found once it is.)"""
        key = key_of(model, natural_key)
        if key in self.absent:
            return True
        return self.known(key) and not exists(model, natural_key)


class Command(BaseCommand):
    help = (
        "Apply migrations and load the demo data with placeholder images. Safe to run again: "
        "with the same fixtures it changes no content; with changed fixtures it adds new "
        "records and updates only records nobody changed since the last load. --reset writes "
        "every demo record from the fixtures again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", type=Path, default=FIXTURE_DIR, help="Folder of JSON fixtures."
        )
        parser.add_argument("--no-user", action="store_true", help="Do not create the demo user.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Write every demo record from the fixtures again, also those editors changed "
            "or deleted (their versions stay in the history).",
        )

    def handle(self, *args, fixtures, no_user, reset, **options):
        call_command("migrate", interactive=False, verbosity=0)
        paths = sorted(fixtures.glob("*.json"))
        if not paths:
            raise CommandError(f"No fixtures found in {fixtures}.")
        digest = fixtures_digest(paths)
        last = DemoLoad.objects.first()
        if not reset and last is not None and last.digest == digest:
            self.stdout.write(
                f"Demo data already loaded on {timezone.localtime(last.loaded_at):%Y-%m-%d %H:%M}"
                " from these fixtures: no content changed, editors' changes kept.\n"
                "  (`manage.py load_demo --reset` writes every demo record again.)"
            )
            with transaction.atomic():
                images = self.make_placeholders()  # only files that are missing
            self.stdout.write(f"  placeholder images written: {images}")
        else:
            if reset:
                plan = Plan(everything=True)
            elif last is not None:
                plan = Plan(everything=False, previous=last.records)
            else:
                plan = Plan(everything=not self.demo_in_database(paths))
            self.load_and_report(paths, plan, digest, last, reset)
        renditions = generate_renditions()
        self.stdout.write(f"  renditions in place: {renditions}")  # made now or earlier
        refresh_statistics()
        bump_for_command(self)
        if not no_user:
            self.ensure_demo_user()

    def load_and_report(self, paths, plan, digest, last, reset):
        # The history comment is stored text: written in the site's language, whatever is active.
        with translation.override(settings.LANGUAGE_CODE):
            comment = (
                gettext("Demo data restored from the fixtures (load_demo --reset).")
                if reset
                else gettext("Demo data loaded.")
            )
        with transaction.atomic(), reversion.create_revision(manage_manually=True):
            counts, written = self.load(paths, plan)
            images = self.make_placeholders()
            for model, pk in written:
                obj = model._default_manager.get(pk=pk)
                plan.records[key_of(model, obj.natural_key())] = fingerprint(obj)
                if reversion.is_registered(model):
                    reversion.add_to_revision(obj)
            reversion.set_comment(comment)
            state = DemoLoad.objects.first() or DemoLoad()
            state.digest, state.records, state.loaded_at = digest, plan.records, timezone.now()
            state.save()
            DemoLoad.objects.exclude(pk=state.pk).delete()
        if not plan.everything:
            when = f" on {timezone.localtime(last.loaded_at):%Y-%m-%d %H:%M}" if last else ""
            self.stdout.write(
                f"Demo data was loaded before{when}; the fixtures have changed since. Records "
                "the editors changed or deleted are left as they are."
                if last
                else "Demo data was loaded before load_demo kept a record of its loads: "
                "everything in the database is left as it is."
            )
            self.stdout.write(f"  added: {plan.added}, updated: {plan.updated}")
        for label, n in sorted(counts.items()):
            self.stdout.write(f"  {label}: {n}")
        self.stdout.write(f"  placeholder images written: {images}")
        for title, labels in [
            ("kept as the editors left them", plan.kept),
            ("deleted by the editors, not added back", plan.gone),
            ("not written: they refer to a record the editors deleted", plan.blocked),
        ]:
            if labels:
                more = f" and {len(labels) - 10} more" if len(labels) > 10 else ""
                self.stdout.write(f"  {title} ({len(labels)}): {', '.join(labels[:10])}{more}")
        self.stdout.write(self.style.SUCCESS(f"Loaded {sum(counts.values())} records."))
        if plan.kept or plan.gone or plan.blocked:
            self.stdout.write(
                "  (`manage.py load_demo --reset` writes every demo record again; the editors' "
                "versions stay in each record's history.)"
            )

    def demo_in_database(self, paths):
        """Whether any fixture record is already stored (by a load_demo that kept no record)."""
        for path in paths:
            for raw in self.read(path):
                try:
                    record = deserialized(raw)
                except Exception:  # its parent is not stored
                    continue
                if record.object.pk is not None:
                    return True
        return False

    def read(self, path):
        try:
            records = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path.name}: {exc}. Nothing was loaded.") from exc
        if not isinstance(records, list):
            raise CommandError(f"{path.name}: not a list of records. Nothing was loaded.")
        return records

    def load(self, paths, plan):
        counts, written, deferred = {}, [], []
        for path in paths:
            for index, raw in enumerate(self.read(path), start=1):
                label = raw_label(raw) if isinstance(raw, dict) else "?"
                try:
                    try:
                        record = deserialized(raw)
                    except ObjectDoesNotExist:
                        # Its natural key names a parent that is not stored (an article's
                        # section, an institution's alumnus): the editors deleted the parent.
                        if plan.everything:
                            raise
                        plan.blocked.append(label)
                        continue
                    obj = record.object
                    label = f"{obj._meta.label_lower} {getattr(obj, 'slug', '') or obj}"
                    if plan.decide(record, raw, label) != WRITE:
                        continue
                    if isinstance(obj, Publishable):
                        obj.refresh_keys()
                    stamp_times(obj)
                    record.save()
                except Exception as exc:
                    raise CommandError(
                        f"{path.name}, record {index} ({label}): {exc}. Nothing was loaded."
                    ) from exc
                if record.deferred_fields:
                    deferred.append((path, index, label, record))
                written.append((type(obj), obj.pk))
                counts[obj._meta.label] = counts.get(obj._meta.label, 0) + 1
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
        return counts, written

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
