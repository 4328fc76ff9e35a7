"""Give the desk's groups their rights on tags (the tags app came after 0004)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    # Reporters create tags by typing them on a story.
    "reporter": ["add_tag", "view_tag"],
    "editor": ["add_tag", "change_tag", "delete_tag", "view_tag"],
    "translator": ["view_tag"],
}


def add_permissions(apps, schema_editor):
    app_config = apps.get_app_config("tags")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label="tags", codename__in=codenames
            )
        )


def remove_permissions(apps, schema_editor):
    permission_model = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=GROUP_PERMISSIONS
    ):
        group.permissions.remove(
            *permission_model.objects.filter(content_type__app_label="tags")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_tags"),
        ("tags", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
