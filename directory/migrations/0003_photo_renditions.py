from django.db import migrations, models


def record_existing_renditions(apps, schema_editor):
    """Record the renditions of photos already on the site (made again only if missing)."""
    from directory.renditions import generate_for

    Photo = apps.get_model("directory", "Photo")
    for photo in Photo.objects.using(schema_editor.connection.alias).iterator():
        generate_for(photo)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_staff_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="renditions",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="renditions"
            ),
        ),
        migrations.RunPython(record_existing_renditions, migrations.RunPython.noop),
    ]
