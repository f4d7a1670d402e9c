"""The two staff roles, so every deployment has them.

Editors: add, change, delete and view every content model; publish and withdraw.
Reviewers: view every content model; withdraw (send back to draft) only.
Neither gets anything of auth (users, groups), axes or other apps: superusers manage accounts.

Running it again (or after new content models are added, from a later migration calling
`sync_roles`) only adds what is missing; permissions given by hand are left alone.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = [
    "article", "articlesection", "cluster", "enterprise", "figure", "honour", "institution",
    "notablealumnus", "park", "partnership", "photo",
]
# Models with a status that can be published and withdrawn.
PUBLISHABLE_MODELS = [
    "article", "cluster", "enterprise", "figure", "honour", "institution", "park", "partnership",
]
ROLES = {
    "Editors": {
        "actions": ["add", "change", "delete", "view"],
        "extra": ["publish", "unpublish"],
    },
    "Reviewers": {
        "actions": ["view"],
        "extra": ["unpublish"],
    },
}
EXTRA_NAMES = {"publish": "Can publish %s", "unpublish": "Can withdraw %s"}


def sync_roles(apps, schema_editor):
    app_config = apps.get_app_config("directory")
    # Standard permissions are made after migrate; make them now so they can be granted.
    had_module = getattr(app_config, "models_module", None)
    app_config.models_module = had_module or True
    try:
        create_permissions(
            app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias
        )
    finally:
        app_config.models_module = had_module

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    db = schema_editor.connection.alias

    def permission(action, model_name):
        content_type, _ = ContentType.objects.db_manager(db).get_or_create(
            app_label="directory", model=model_name
        )
        codename = f"{action}_{model_name}"
        verbose = apps.get_model("directory", model_name)._meta.verbose_name
        name = EXTRA_NAMES.get(action, f"Can {action} %s") % verbose
        perm, _ = Permission.objects.db_manager(db).get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name[:255]}
        )
        return perm

    for group_name, spec in ROLES.items():
        group, _ = Group.objects.db_manager(db).get_or_create(name=group_name)
        perms = [
            permission(action, model_name)
            for model_name in CONTENT_MODELS
            for action in spec["actions"]
        ]
        perms += [
            permission(action, model_name)
            for model_name in PUBLISHABLE_MODELS
            for action in spec["extra"]
        ]
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
