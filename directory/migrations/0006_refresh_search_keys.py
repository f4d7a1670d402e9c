from django.db import migrations

SEARCHABLE = [
    "Article",
    "Cluster",
    "Enterprise",
    "Figure",
    "Honour",
    "Institution",
    "Park",
    "Partnership",
]


def refresh_search_keys(apps, schema_editor):
    """Store the keys in the form queries now take (no marks, simplified, nothing invisible),
    or a row named in traditional characters or with a zero-width space would stop matching."""
    from directory.search_keys import search_text_for

    alias = schema_editor.connection.alias
    for model_name in SEARCHABLE:
        model = apps.get_model("directory", model_name)
        changed = []
        rows = model.objects.using(alias).only("name", "name_en", "aliases", "search_text")
        for row in rows.iterator():
            keys = search_text_for(row.name, row.name_en, row.aliases)
            if keys != row.search_text:
                row.search_text = keys
                changed.append(row)
        model.objects.using(alias).bulk_update(changed, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_demo_load"),
    ]

    operations = [
        migrations.RunPython(refresh_search_keys, migrations.RunPython.noop),
    ]
