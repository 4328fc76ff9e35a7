from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("search")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from articles.models import Article, Author, Byline
        from articles.signals import article_withholding_changed
        from search import signal_handlers as handlers

        # Search documents follow every write, whatever its path.
        post_save.connect(handlers.on_story_saved, sender=Article)
        post_save.connect(handlers.on_story_part_changed, sender=Byline)
        post_delete.connect(handlers.on_story_part_changed, sender=Byline)
        article_withholding_changed.connect(
            handlers.on_withholding_changed, dispatch_uid="search_withholding"
        )
        m2m_changed.connect(handlers.on_tags_changed, sender=Article.tags.through)
        post_save.connect(handlers.on_name_changed, sender=Author)
        post_save.connect(handlers.on_name_changed, sender="tags.Tag")
