from django.db import migrations


def move_photo_files(apps, schema_editor):
    """Photos uploaded before now lie at photos/<upload's name>, where anyone may guess them
    (a draft's too): copy each, with its renditions, to photos/<random folder>/, point the
    photo and its history there, and delete the old files once this migration commits."""
    from django.db import transaction

    from directory.renditions import move_to_unguessable_names

    alias = schema_editor.connection.alias
    Photo = apps.get_model("directory", "Photo")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    photo_type = ContentType.objects.using(alias).filter(app_label="directory", model="photo")
    versions = Version.objects.using(alias).filter(content_type__in=photo_type)
    moved = move_to_unguessable_names(Photo.objects.using(alias).order_by("pk"), versions)
    if moved:
        transaction.on_commit(_expire_pages, using=alias)


def _expire_pages():
    """Pages cached with the old addresses of the renditions must not be served again."""
    import logging

    from directory.cache import bump_generation

    try:
        bump_generation()
    except Exception:
        logging.getLogger(__name__).warning(
            "Photos moved, but cached pages could not be expired: run `manage.py expire_pages`."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_refresh_search_keys"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("easy_thumbnails", "0002_thumbnaildimensions"),
    ]

    operations = [
        migrations.RunPython(move_photo_files, migrations.RunPython.noop),
    ]
