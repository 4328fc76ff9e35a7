from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("stories")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from articles import revisions, signal_handlers

        revisions.register_models()
        # The groups follow articles/roles.py, whatever the database held.
        post_migrate.connect(signal_handlers.apply_roles_after_migrate, sender=self)
