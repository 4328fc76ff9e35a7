"""Create the desk's groups: reporter, editor and translator.

What each group may do beyond these permissions (own drafts only, a
translator's own languages only) is enforced in articles/permissions.py.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "delete", "view")

GROUP_PERMISSIONS = {
    "reporter": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        *(f"articles.{action}_byline" for action in CRUD),
        "articles.view_category",
        "articles.view_author",
        "articles.view_series",
        "articles.add_image",
        "articles.change_image",
        "articles.view_image",
        "articles.view_correction",
        *(f"related.{action}_source" for action in CRUD),
        *(f"related.{action}_relatedarticle" for action in CRUD),
        *(f"related.{action}_externallink" for action in CRUD),
    ],
    "editor": [
        "articles.publish_article",
        "articles.place_article",
        "articles.edit_others_article",
        *(
            f"articles.{action}_{model}"
            for action in CRUD
            for model in (
                "article",
                "byline",
                "category",
                "author",
                "series",
                "image",
                "correction",
            )
        ),
        *(
            f"related.{action}_{model}"
            for action in CRUD
            for model in ("source", "relatedarticle", "externallink")
        ),
    ],
    "translator": [
        "articles.change_article",
        "articles.view_article",
        "articles.translate_article",
        "articles.view_byline",
        "articles.view_category",
        "articles.view_author",
        "articles.view_series",
        "articles.view_image",
        "articles.view_correction",
        "related.view_source",
        "related.view_relatedarticle",
        "related.view_externallink",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, permissions in GROUP_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                permission_model.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=GROUP_PERMISSIONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_workflow_and_roles"),
        ("related", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
