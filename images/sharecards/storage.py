"""Cards in storage: drawn once per look, drawn again when what they show changes.

`ShareCard.fingerprint` names what a card was drawn from; a card whose story,
picture or font changed is drawn again the next time it is asked for.
"""

import hashlib
import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles.models import Article
from images.models import ShareCard
from images.sharecards.drawing import (
    CARD_VERSION,
    card_format,
    card_texts,
    render_card,
)
from images.sharecards.fonts import font_for

EXTENSIONS = {"JPEG": "jpg", "PNG": "png"}


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
