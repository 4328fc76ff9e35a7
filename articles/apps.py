from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("stories")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from articles import revisions, search
        from articles.models import Article, Author, Byline

        revisions.register_models()
        # Search documents follow every write, whatever its path.
        post_save.connect(search.on_story_saved, sender=Article)
        post_save.connect(search.on_story_part_changed, sender=Byline)
        post_delete.connect(search.on_story_part_changed, sender=Byline)
        m2m_changed.connect(search.on_tags_changed, sender=Article.tags.through)
        post_save.connect(search.on_name_changed, sender=Author)
        post_save.connect(search.on_name_changed, sender="tags.Tag")
