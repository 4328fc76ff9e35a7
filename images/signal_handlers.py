"""Receivers of the story signals, connected in ImagesConfig.ready()."""

from django.utils import timezone

from articles.models import Article


def draw_cards_when_live(sender, *, article_id: int, **kwargs) -> None:
    """Have the worker draw the share cards of a story that just went live."""
    from images.tasks import draw_share_cards

    draw_share_cards.enqueue(article_id)


def redraw_cards_on_text_change(
    sender, *, article: Article, stored: Article | None = None, **kwargs
) -> None:
    """Have the worker redraw a live story's cards after its text or picture changed.

    Inside the saving transaction: the job commits with the change. Drafts
    and scheduled stories get theirs when they go live.
    """
    from images.tasks import draw_share_cards

    if (
        article.status == Article.Status.PUBLISHED
        and article.published_at is not None
        and article.published_at <= timezone.now()
    ):
        draw_share_cards.enqueue(article.pk)


def keep_story_pictures(
    sender, instance: Article, raw: bool = False, update_fields=None, **kwargs
) -> None:
    """Record which library pictures the saved story's bodies place.

    On every save of a story (services, imports, translations alike), in
    its transaction. Ids of pictures that no longer exist are not recorded:
    the reader site leaves those figures out.
    """
    from core.languages import LANGUAGE_CODES
    from images.models import Image, StoryPicture
    from images.placed import image_ids

    if raw or (
        update_fields is not None
        and not any(name.startswith("body") for name in update_fields)
    ):
        return
    placed: set[int] = set()
    for code in LANGUAGE_CODES:
        placed |= image_ids(getattr(instance, f"body_{code}") or "")
    recorded = set(
        StoryPicture.objects.filter(article=instance).values_list("image", flat=True)
    )
    if placed == recorded:
        return
    if gone := recorded - placed:
        StoryPicture.objects.filter(article=instance, image__in=gone).delete()
    if new := placed - recorded:
        StoryPicture.objects.bulk_create(
            [
                StoryPicture(article=instance, image_id=pk)
                for pk in Image.objects.filter(pk__in=new).values_list("pk", flat=True)
            ],
            ignore_conflicts=True,
        )
