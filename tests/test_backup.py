"""Backup and restore round-trip the demo data and its media into an empty database."""

import shutil
from io import StringIO

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command

from directory.models import Photo

# serialized_rollback: the flush after this test must not recreate content types with new
# ids, or the browser tests (which restore the serialized database) collide with them.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def snapshot():
    """Every content object, serialized with natural keys: comparable across databases."""
    models = [m for m in apps.get_app_config("directory").get_models()]
    return {
        model._meta.label: sorted(
            serializers.serialize(
                "json", [obj], use_natural_foreign_keys=True, use_natural_primary_keys=True
            )
            for obj in model.objects.all()
        )
        for model in models
    }


def test_round_trip(settings, tmp_path):
    call_command("load_demo", no_user=True, stdout=StringIO())
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
