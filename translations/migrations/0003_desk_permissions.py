"""Let the desk's groups see the translation dashboard and keep the glossary."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "delete", "view")
GROUP_PERMISSIONS = {
    "editor": [
        "view_translationstate",
        *(f"{action}_glossaryterm" for action in CRUD),
    ],
    "translator": [
        "view_translationstate",
        "add_glossaryterm",
        "change_glossaryterm",
        "view_glossaryterm",
    ],
    "reporter": ["view_glossaryterm"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("translations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label="translations", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    permission_model = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=GROUP_PERMISSIONS
    ):
        group.permissions.remove(
            *permission_model.objects.filter(content_type__app_label="translations")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("translations", "0002_backfill_states"),
        ("articles", "0004_desk_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
