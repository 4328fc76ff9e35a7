from django.apps import AppConfig
from django.core import checks as django_checks
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("stories")

    def ready(self) -> None:
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_migrate,
            post_save,
        )

        from articles import checks, renditions, revisions, search, signal_handlers
        from articles.models import Article, Author, Byline, Image, Withholding

        revisions.register_models()
        django_checks.register(checks.check_card_fonts, "articles")
        # Search documents follow every write, whatever its path.
        post_save.connect(search.on_story_saved, sender=Article)
        post_save.connect(search.on_story_part_changed, sender=Byline)
        post_delete.connect(search.on_story_part_changed, sender=Byline)
        post_save.connect(search.on_story_part_changed, sender=Withholding)
        post_delete.connect(search.on_story_part_changed, sender=Withholding)
        m2m_changed.connect(search.on_tags_changed, sender=Article.tags.through)
        post_save.connect(search.on_name_changed, sender=Author)
        post_save.connect(search.on_name_changed, sender="tags.Tag")
        # Renditions are a cache of the picture: made once its save commits.
        post_save.connect(renditions.on_image_saved, sender=Image)
        # The groups follow articles/roles.py, whatever the database held.
        post_migrate.connect(signal_handlers.apply_roles_after_migrate, sender=self)
