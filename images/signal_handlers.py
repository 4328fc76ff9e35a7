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
