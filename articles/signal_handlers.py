"""Receivers of Django's signals, connected in ArticlesConfig.ready()."""

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS

from articles.roles import apply_roles


def apply_roles_after_migrate(
    sender, *, using: str = DEFAULT_DB_ALIAS, apps: Apps = global_apps, **kwargs
) -> None:
    """Give the desk's groups their roles once the database is migrated.

    Sent after every `migrate`, even one with nothing to apply, and after a
    test database is flushed (which passes no `apps`).
    """
    apply_roles(apps=apps, using=using)
