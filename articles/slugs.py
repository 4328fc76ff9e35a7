"""Slugs for every language: Unicode is kept, so Korean and Japanese slugs read well."""

import re
import unicodedata

from django.utils.text import slugify

MAX_SLUG_LENGTH = 120
FALLBACK_SLUG = "story"
# Punctuation separates words ("2.25%", "부채·환율", "東京、大阪"): keep it as a break.
PUNCTUATION = re.compile(r"[^\w\s-]+")


def make_slug(text: str, *, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Return a non-empty Unicode slug for `text`, cut at a hyphen where possible."""
    normalized = PUNCTUATION.sub(" ", unicodedata.normalize("NFKC", text or ""))
    slug = slugify(normalized, allow_unicode=True).strip("-_")
    if len(slug) > max_length:
        cut = slug[:max_length]
        hyphen = cut.rfind("-")
        slug = cut[:hyphen] if hyphen > max_length // 2 else cut
        slug = slug.strip("-_")
    return slug or FALLBACK_SLUG


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
