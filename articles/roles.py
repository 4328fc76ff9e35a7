"""The desk's roles: the permissions each of its groups holds.

`ROLES` is the only place a group is granted a permission. After every
`migrate`, and every flush of a test database, `apply_roles()` gives each
group exactly its list: a permission added here needs no migration, and one
granted to these groups by hand in the admin is taken back. What a role may
do beyond its permissions (own drafts only, a translator's own languages only)
is decided in articles/permissions.py.
"""

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, router, transaction


def every(model: str) -> set[str]:
    """Return the add, change, delete and view permissions of `app_label.model`."""
    app_label, _dot, name = model.partition(".")
    return {
        f"{app_label}.{action}_{name}" for action in ("add", "change", "delete", "view")
    }


ROLES: dict[str, frozenset[str]] = {
    "reporter": frozenset(
        {
            # Their own drafts only.
            "articles.add_article",
            "articles.change_article",
            "articles.view_article",
            *every("articles.byline"),
            "articles.view_category",
            "articles.view_author",
            "articles.view_series",
            "articles.view_correction",
            # The pictures they uploaded only.
            "images.add_image",
            "images.change_image",
            "images.view_image",
            *every("related.source"),
            *every("related.relatedarticle"),
            *every("related.externallink"),
            # Reporters create tags by typing them on a story.
            "tags.add_tag",
            "tags.view_tag",
            "translations.view_glossaryterm",
        }
    ),
    "editor": frozenset(
        {
            "articles.publish_article",
            "articles.place_article",
            "articles.edit_others_article",
            *every("articles.article"),
            *every("articles.byline"),
            *every("articles.category"),
            *every("articles.author"),
            *every("articles.series"),
            *every("images.image"),
            *every("articles.correction"),
            *every("related.source"),
            *every("related.relatedarticle"),
            *every("related.externallink"),
            *every("tags.tag"),
            "translations.view_translationstate",
            *every("translations.glossaryterm"),
            # Archives: uploaded, read, imported (imports/admin.py).
            "imports.add_importrun",
            "imports.view_importrun",
        }
    ),
    "translator": frozenset(
        {
            # The fields of their own languages only.
            "articles.change_article",
            "articles.view_article",
            "translations.translate_story",
            "articles.view_byline",
            "articles.view_category",
            "articles.view_author",
            "articles.view_series",
            "articles.view_correction",
            # The alt text and caption of their own languages only.
            "images.change_image",
            "images.view_image",
            "related.view_source",
            "related.view_relatedarticle",
            "related.view_externallink",
            # The names of their own languages only (articles/permissions.py).
            "tags.change_tag",
            "tags.view_tag",
            "translations.view_translationstate",
            "translations.add_glossaryterm",
            "translations.change_glossaryterm",
            "translations.view_glossaryterm",
        }
    ),
}


def apply_roles(*, apps: Apps = global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Give each role's group exactly the permissions `ROLES` lists.

    `apps` is the registry to read models from: after `migrate`, the migrated
    state. A listed permission missing from the database is left out rather
    than refused: its app is not installed or not migrated that far yet, and
    the `migrate` that brings it grants it. The tests check that every listed
    permission exists.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    if not router.allow_migrate_model(using, group_model):
        return
    with transaction.atomic(using=using):
        # Django makes each app's permissions after `migrate` one app at a
        # time; the roles need those of every app at once.
        for app_config in global_apps.get_app_configs():
            create_permissions(app_config, verbosity=0, apps=apps, using=using)
        app_labels = {
            dotted.partition(".")[0]
            for permissions in ROLES.values()
            for dotted in permissions
        }
        pk_of = {
            f"{app_label}.{codename}": pk
            for pk, app_label, codename in permission_model.objects.using(using)
            .filter(content_type__app_label__in=app_labels)
            .values_list("pk", "content_type__app_label", "codename")
        }
        for name, permissions in ROLES.items():
            group, _created = group_model.objects.using(using).get_or_create(name=name)
            group.permissions.set(
                [pk_of[dotted] for dotted in permissions if dotted in pk_of]
            )
