from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReaderConfig(AppConfig):
    name = "reader"
    verbose_name = _("reader site")

    def ready(self) -> None:
        from django.db.models.signals import (
            post_delete,
            post_save,
            pre_delete,
            pre_save,
        )

        from articles.models import (
            Article,
            Author,
            Byline,
            Category,
            Correction,
            Series,
        )
        from articles.signals import article_went_live, article_withholding_changed
        from images.models import Image
        from images.signals import renditions_made
        from reader import purges
        from related.models import ExternalLink, RelatedArticle, Source
        from tags.models import Tag, TaggedArticle

        # The front cache forgets the pages a change reaches (reader/purges.py).
        pre_save.connect(
            purges.on_story_saving, sender=Article, dispatch_uid="reader_purge_saving"
        )
        post_save.connect(
            purges.on_story_saved, sender=Article, dispatch_uid="reader_purge_saved"
        )
        pre_delete.connect(
            purges.on_story_deleting,
            sender=Article,
            dispatch_uid="reader_purge_deleting",
        )
        # Saved or deleted, each of these changes the pages its handler names.
        changes = {
            purges.on_story_part_changed: (
                Byline,
                Correction,
                Source,
                RelatedArticle,
                ExternalLink,
                TaggedArticle,
            ),
            purges.on_named_changed: (Category, Series, Author, Tag),
            purges.on_picture_changed: (Image,),
        }
        for handler, senders in changes.items():
            for sender in senders:
                for signal in (post_save, post_delete):
                    signal.connect(
                        handler,
                        sender=sender,
                        dispatch_uid=f"reader_purge_{sender.__name__}_"
                        f"{signal is post_save}",
                    )
        renditions_made.connect(
            purges.on_renditions_made, dispatch_uid="reader_purge_renditions"
        )
        article_went_live.connect(
            purges.on_story_went_live, dispatch_uid="reader_purge_live"
        )
        article_withholding_changed.connect(
            purges.on_withholding_changed, dispatch_uid="reader_purge_withholding"
        )
