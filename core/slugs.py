"""Slugs for every language: Unicode is kept, so Korean and Japanese slugs read well.

Shared by the stories, sections and series of `articles` and the tags of `tags`.
"""

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext

from core.languages import LANGUAGE_CODES

if TYPE_CHECKING:
    # A mixin for models: typed as one, a plain class at run time.
    _Model = models.Model
else:
    _Model = object

MAX_SLUG_LENGTH = 120
FALLBACK_SLUG = "story"
# Punctuation separates words ("2.25%", "부채·환율", "東京、大阪"): keep it as a break.
PUNCTUATION = re.compile(r"[^\w\s-]+")


def make_slug(
    text: str, *, max_length: int = MAX_SLUG_LENGTH, fallback: str = FALLBACK_SLUG
) -> str:
    """Return a non-empty Unicode slug for `text`, cut at a hyphen where possible."""
    normalized = PUNCTUATION.sub(" ", unicodedata.normalize("NFKC", text or ""))
    slug = slugify(normalized, allow_unicode=True).strip("-_")
    if len(slug) > max_length:
        cut = slug[:max_length]
        hyphen = cut.rfind("-")
        slug = cut[:hyphen] if hyphen > max_length // 2 else cut
        slug = slug.strip("-_")
    return slug or fallback


def unique_slug(
    base: str, taken: set[str], *, max_length: int = MAX_SLUG_LENGTH
) -> str:
    """Return `base`, or `base-2`, `base-3`… the first one not in `taken`."""
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-_") + suffix
        if candidate not in taken:
            return candidate
        number += 1


class TranslatedSlugMixin(_Model):
    """Give every language that has a title a slug, unique within that language.

    The model names the field its slugs come from (`slug_source`) and has one
    translated `slug` field; saving fills the empty slugs, and clean() also
    reports a slug another row already uses, on that language's field.
    """

    slug_source: str
    slug_fallback: str = FALLBACK_SLUG

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_slugs()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.fill_slugs()
        if errors := self.slug_errors():
            raise ValidationError(errors)

    def fill_slugs(self) -> None:
        for code in LANGUAGE_CODES:
            slug_field = f"slug_{code}"
            title = getattr(self, f"{self.slug_source}_{code}")
            if getattr(self, slug_field) or not title:
                continue
            base = make_slug(title, fallback=self.slug_fallback)
            taken = set(
                self._other_rows()
                .filter(**{f"{slug_field}__startswith": base[: MAX_SLUG_LENGTH - 8]})
                .values_list(slug_field, flat=True)
            )
            setattr(self, slug_field, unique_slug(base, taken))

    def slug_errors(self) -> dict[str, str]:
        errors = {}
        for code in LANGUAGE_CODES:
            slug_field = f"slug_{code}"
            slug = getattr(self, slug_field)
            if slug and self._other_rows().filter(**{slug_field: slug}).exists():
                errors[slug_field] = gettext(
                    "Another item already uses the address “%(slug)s” in this "
                    "language. Choose another one or leave it empty to have one made."
                ) % {"slug": slug}
        return errors

    def _other_rows(self) -> models.QuerySet[Any]:
        rows = type(self)._default_manager.all()
        return rows.exclude(pk=self.pk) if self.pk else rows
