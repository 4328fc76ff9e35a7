"""What a translator translates in a story: its fields and its picture's words.

A unit is one translatable text of a story in every language: a field of the
story itself (`headline`) or of its feature image (`image.caption`). Units are
what freshness is tracked by, what a PO catalogue holds one entry for, and what
machine translation is asked for.
"""

import hashlib
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from articles.models import Article


@dataclass(frozen=True)
class Unit:
    key: str  # "headline", "image.caption"
    field: str  # the model field on its owner
    on_image: bool
    is_html: bool
    max_length: int | None
    label: object  # lazy translated name, for people
    help: str  # what the field is, for translators (PO comments)

    def owner(self, article: Article):
        """Return the object that holds this text: the story or its image."""
        return article.feature_image if self.on_image else article

    def text(self, article: Article, language: str) -> str:
        owner = self.owner(article)
        if owner is None:
            return ""
        return getattr(owner, f"{self.field}_{language}") or ""

    def set_text(self, article: Article, language: str, value: str) -> None:
        setattr(self.owner(article), f"{self.field}_{language}", value)


UNITS = (
    Unit(
        "headline",
        "headline",
        False,
        False,
        200,
        _("headline"),
        "The story's headline. Plain text, one line.",
    ),
    Unit(
        "dek",
        "dek",
        False,
        False,
        None,
        _("dek"),
        "One or two sentences under the headline. Plain text.",
    ),
    Unit(
        "feature_text",
        "feature_text",
        False,
        False,
        None,
        _("feature text"),
        "The teaser on story cards. Plain text.",
    ),
    Unit(
        "key_points",
        "key_points",
        False,
        False,
        None,
        _("key points"),
        "Key points, one per line: keep the same number of lines.",
    ),
    Unit(
        "body",
        "body",
        False,
        True,
        None,
        _("body"),
        "The story's body, in HTML. Keep every tag and link of the source, in "
        "the same order; translate only the text between them.",
    ),
    Unit(
        "image.alt_text",
        "alt_text",
        True,
        False,
        300,
        _("image alt text"),
        "What the feature image shows, for readers who cannot see it. Plain "
        "text. The image is shared: other stories show the same words.",
    ),
    Unit(
        "image.caption",
        "caption",
        True,
        False,
        None,
        _("image caption"),
        "The feature image's caption. Plain text. The image is shared: other "
        "stories show the same caption.",
    ),
)
UNITS_BY_KEY = {unit.key: unit for unit in UNITS}
# The parts without which a language version cannot be published.
REQUIRED_KEYS = ("headline", "body")


def units_for(article: Article) -> list[Unit]:
    """Return the units `article` has: its picture's only if it has a picture."""
    has_image = article.feature_image_id is not None
    return [unit for unit in UNITS if has_image or not unit.on_image]


def normalise(text: str) -> str:
    """Return `text` as compared for freshness: NFC, line ends and edges unified."""
    text = unicodedata.normalize("NFC", text or "")
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))


def fingerprint(text: str) -> str:
    """Return a fingerprint of a source text (SHA-256 of its normalised form)."""
    return hashlib.sha256(normalise(text).strip().encode("utf-8")).hexdigest()
