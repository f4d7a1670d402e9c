"""Backup and restore round-trip the demo data and its media into an empty database."""

import shutil
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command

from directory.models import Institution, Photo

# serialized_rollback: the flush after this test must not recreate content types with new
# ids, or the browser tests (which restore the serialized database) collide with them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def to_the_millisecond(value):
    # Django's JSON serializer (dumpdata) keeps times to the millisecond.
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def snapshot():
    """Every content object, serialized with natural keys: comparable across databases."""
    models = [m for m in apps.get_app_config("directory").get_models()]
    return {
        model._meta.label: sorted(
            repr({name: to_the_millisecond(value) for name, value in row["fields"].items()})
            for row in serializers.serialize(
                "python",
                model.objects.all(),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
            )
        )
        for model in models
    }


def test_round_trip(settings, tmp_path):
    call_command("load_demo", no_user=True, stdout=StringIO())
    # Under a millisecond: "12:00:00.000" in the backup, which must still compare equal.
    Institution.objects.update(updated=datetime(2026, 1, 2, 3, 4, 5, 250, tzinfo=UTC))
    before = snapshot()
    photo_names = sorted(Photo.objects.values_list("image", flat=True))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())

    # A new, empty site: every table emptied, media gone.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Photo.objects.exists()

    call_command("restore", str(archive), stdout=StringIO())
    assert snapshot() == before
    for name in photo_names:
        assert (settings.MEDIA_ROOT / name).exists(), name


def test_restore_refuses_a_database_with_content(tmp_path):
    call_command("load_demo", no_user=True, stdout=StringIO())
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=StringIO())
    with pytest.raises(CommandError, match="already holds content"):
        call_command("restore", str(archive), stdout=StringIO())


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    import tarfile

    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        (tmp_path / "x.txt").write_text("x")
        tar.add(tmp_path / "x.txt", arcname="x.txt")
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(bogus), stdout=StringIO())
