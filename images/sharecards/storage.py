"""Cards in storage: drawn once per look, drawn again when what they show changes.

`ShareCard.fingerprint` names what a card was drawn from; a card whose story,
picture or font changed is drawn again the next time it is asked for.
"""

import hashlib
import json
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles.models import Article
from core.languages import LANGUAGE_CODES
from core.retries import GivenUp, retry_later
from images.models import ShareCard
from images.sharecards.drawing import (
    CARD_VERSION,
    card_format,
    card_texts,
    render_card,
)
from images.sharecards.fonts import font_for

EXTENSIONS = {"JPEG": "jpg", "PNG": "png"}

logger = logging.getLogger(__name__)


def card_fingerprint(article: Article, language: str) -> str:
    """Return a digest of everything a card in `language` is drawn from."""
    image = article.feature_image
    site_name, label = card_texts(language, image)
    face = font_for(language)
    parts = {
        "version": CARD_VERSION,
        "language": language,
        "headline": getattr(article, f"headline_{language}"),
        "image": image
        and [
            image.pk,
            image.file.name,
            round(image.focal_x, 4),
            round(image.focal_y, 4),
            image.is_ai_generated,
        ],
        "texts": [site_name, label],
        # Fonts installed later redraw the cards drawn without them.
        "font": face.key if face else None,
    }
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def share_card(article: Article, language: str) -> ShareCard | None:
    """Return the story's current card in `language`, drawing it if it is stale.

    None when the story has no headline in that language.
    """
    if not getattr(article, f"headline_{language}"):
        return None
    fingerprint = card_fingerprint(article, language)
    card = ShareCard.objects.filter(article=article, language=language).first()
    if (
        card is not None
        and card.fingerprint == fingerprint
        and card.file
        and default_storage.exists(card.file.name)
    ):
        return card
    extension = EXTENSIONS[card_format(article)]
    name = f"cards/{article.pk}/{language}-{fingerprint[:12]}.{extension}"
    # The name says what the file shows: another request may just have drawn it.
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(render_card(article, language)))
    old_name = card.file.name if card is not None and card.file else None
    card, _created = ShareCard.objects.update_or_create(
        article=article,
        language=language,
        defaults={"file": name, "fingerprint": fingerprint},
    )
    if old_name and old_name != name:
        default_storage.delete(old_name)
    return card


def share_cards_draw(*, article_id: int, attempt: int = 1) -> str:
    """Draw the cards of a live story in each language it is live in.

    For the worker, so that a crawler finds the card drawn: the card view
    still draws one that is missing or stale. A failure is retried, then
    logged (the view draws on demand meanwhile).
    """
    from images.tasks import draw_share_cards

    article = (
        Article.objects.filter(pk=article_id).select_related("feature_image").first()
    )
    if article is None:
        return "gone"
    languages = [code for code in LANGUAGE_CODES if article.is_live_in(code)]
    try:
        for language in languages:
            share_card(article, language)
    except Exception as error:
        delay = retry_later(draw_share_cards, article_id, attempt + 1, attempt=attempt)
        if delay is None:
            logger.exception(
                "Share cards of story %s failed %s times; given up (the card "
                "view draws them on demand).",
                article_id,
                attempt,
            )
            raise GivenUp(
                f"Share cards of story {article_id} failed {attempt} times."
            ) from error
        logger.warning(
            "Share cards of story %s failed (attempt %s); retrying in %s s.",
            article_id,
            attempt,
            delay,
            exc_info=True,
        )
        return "retry"
    return "drawn" if languages else "not live"
