"""What a translator translates in a story: its fields and its picture's words.

A unit is one translatable text of a story in every language: a field of the
story (`headline`), or a word of its feature image as the story uses it
(`image.caption`, the story's `feature_image_caption`). Units are what
freshness is tracked by, what a PO catalogue holds one entry for, and what
machine translation is asked for.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from articles.models import PART_WORDS, Article


@dataclass(frozen=True)
class Unit:
    key: str  # "headline", "image.caption"; stored in states, never renamed
    field: str  # the story's field that holds it (a part's field, for a part)
    # The feature image's word it is ("caption", see Article.feature_word),
    # or "" for the story's own texts.
    picture_word: str
    is_html: bool
    max_length: int | None
    label: object  # lazy translated name, for people
    help: object  # lazy translated: what the field is, for translators (PO comments)
    # A row of the story's whose words are translated with it ("link.12", see
    # Article.text_parts), or "" for the story's own fields.
    part: str = ""

    def text(self, article: Article, language: str) -> str:
        """Return the text readers of `language` see.

        A picture's word is the story's own, else the library's in that
        language: a story that never wrote its own still has its text.
        """
        if self.part:
            row = article.text_parts().get(self.part)
            return (getattr(row, f"{self.field}_{language}") or "") if row else ""
        if self.picture_word:
            return article.feature_word(self.picture_word, language)
        return getattr(article, f"{self.field}_{language}") or ""

    def set_text(self, article: Article, language: str, value: str) -> None:
        """Put `value` in place; a part's text is saved by `parts_save`."""
        if self.part:
            row = article.text_parts()[self.part]
            setattr(row, f"{self.field}_{language}", value)
            article.__dict__.setdefault("_text_parts_written", set()).add(
                (self.part, f"{self.field}_{language}")
            )
            return
        setattr(article, f"{self.field}_{language}", value)

    @property
    def is_part(self) -> bool:
        return bool(self.part)


UNITS = (
    Unit(
        "headline",
        "headline",
        "",
        False,
        200,
        _("headline"),
        _("The story's headline. Plain text, one line."),
    ),
    Unit(
        "dek",
        "dek",
        "",
        False,
        None,
        _("dek"),
        _("One or two sentences under the headline. Plain text."),
    ),
    Unit(
        "feature_text",
        "feature_text",
        "",
        False,
        None,
        _("feature text"),
        _("The teaser on story cards. Plain text."),
    ),
    Unit(
        "key_points",
        "key_points",
        "",
        False,
        None,
        _("key points"),
        _("Key points, one per line: keep the same number of lines."),
    ),
    Unit(
        "body",
        "body",
        "",
        True,
        None,
        _("body"),
        _(
            "The story's body, in HTML. Keep every tag and link of the source, in "
            "the same order; translate only the text between them."
        ),
    ),
    Unit(
        "image.alt_text",
        "feature_image_alt",
        "alt",
        False,
        300,
        _("image alt text"),
        _(
            "What the story's feature image shows, for readers who cannot see it. "
            "Plain text. Written for this story only."
        ),
    ),
    Unit(
        "image.caption",
        "feature_image_caption",
        "caption",
        False,
        None,
        _("image caption"),
        _(
            "The caption of the story's feature image. Plain text. Written for "
            "this story only."
        ),
    ),
    Unit(
        "image.credit",
        "feature_image_credit",
        "credit",
        False,
        200,
        _("image credit"),
        _(
            "Who made the story's feature image (photographer, agency), as it "
            "should be printed in this language. Plain text, one line."
        ),
    ),
)
UNITS_BY_KEY = {unit.key: unit for unit in UNITS}
# The parts without which a language version cannot be published.
REQUIRED_KEYS = ("headline", "body")


def units_for(article: Article) -> list[Unit]:
    """Return the units `article` has.

    Its picture's words only if it has a picture; then one unit per external
    link (its label) and per correction (its text), in the order readers see
    them.
    """
    has_image = article.feature_image_id is not None
    units = [unit for unit in UNITS if has_image or not unit.picture_word]
    return units + [part_unit(key) for key in article.text_parts()]


PART_KEY = re.compile(r"^(link|correction)\.(\d{1,18})$")


def part_unit(key: str) -> Unit:
    """Return the unit of the story's row `key` ("link.12", "correction.3")."""
    kind = key.split(".", 1)[0]
    if kind == "link":
        return Unit(
            key,
            PART_WORDS[kind],
            "",
            False,
            200,
            _("link label"),
            _(
                "The label of a link under the story to another page. Plain "
                "text, one line; readers of a language see only the links "
                "labelled in it."
            ),
            part=key,
        )
    return Unit(
        key,
        PART_WORDS[kind],
        "",
        False,
        None,
        _("correction"),
        _(
            "A correction published under the story. Plain text; say what was "
            "wrong and what is right, as the source does."
        ),
        part=key,
    )


def unit_for_key(article: Article, key: str) -> Unit | None:
    """Return the unit `key` names in `article`, or None if it has no such unit."""
    unit = UNITS_BY_KEY.get(key)
    if unit is not None:
        return unit
    if PART_KEY.match(key) and key in article.text_parts():
        return part_unit(key)
    return None


def parts_save(article: Article) -> list[str]:
    """Save the part texts `Unit.set_text` put in place; return their keys.

    Each row is checked first (full_clean), so a part saves whole or not.
    """
    written = article.__dict__.pop("_text_parts_written", set())
    rows: dict[str, list[str]] = {}
    for key, name in written:
        rows.setdefault(key, []).append(name)
    parts = article.text_parts()
    for key in rows:
        parts[key].full_clean(exclude=["article"])
    for key, names in rows.items():
        parts[key].save(update_fields=names)
    return sorted(rows)


def normalise(text: str) -> str:
    """Return `text` as compared for freshness: NFC, line ends and edges unified."""
    text = unicodedata.normalize("NFC", text or "")
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))


def fingerprint(text: str) -> str:
    """Return a fingerprint of a source text (SHA-256 of its normalised form)."""
    return hashlib.sha256(normalise(text).strip().encode("utf-8")).hexdigest()
