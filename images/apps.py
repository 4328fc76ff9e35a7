from django.apps import AppConfig
from django.core import checks as django_checks
from django.utils.translation import gettext_lazy as _


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = _("images")

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_delete

        from articles.models import Article
        from articles.signals import article_text_changed, article_went_live
        from images import checks, cleanup, renditions, signal_handlers
        from images.models import Image

        django_checks.register(checks.check_card_fonts, "images")
        # Renditions are a cache of the picture: made once its save commits.
        post_save.connect(renditions.on_image_saved, sender=Image)
        # Pictures placed in bodies are recorded: in use, never deleted.
        post_save.connect(
            signal_handlers.keep_story_pictures,
            sender=Article,
            dispatch_uid="images_story_pictures",
        )
        # A deleted picture's files go once the deletion commits.
        pre_delete.connect(cleanup.on_image_deleting, sender=Image)
        # Share cards are drawn by the worker before crawlers ask for them.
        article_went_live.connect(
            signal_handlers.draw_cards_when_live, dispatch_uid="images_cards_live"
        )
        article_text_changed.connect(
            signal_handlers.redraw_cards_on_text_change,
            dispatch_uid="images_cards_text",
        )
