from django.apps import AppConfig
from django.core import checks as django_checks
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("stories")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save

        from articles import checks, renditions, revisions, signal_handlers
        from articles.models import Image

        revisions.register_models()
        django_checks.register(checks.check_card_fonts, "articles")
        # Renditions are a cache of the picture: made once its save commits.
        post_save.connect(renditions.on_image_saved, sender=Image)
        # The groups follow articles/roles.py, whatever the database held.
        post_migrate.connect(signal_handlers.apply_roles_after_migrate, sender=self)
