"""How the desk shows a picture in a list or a picker: a small card of facts."""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from articles.models import for_editors
from core.languages import LANGUAGE_CODES
from images.models import Image
from images.renditions import picture_sources


def image_card(image: Image) -> dict[str, str]:
    """Return a picture's thumbnail, words and size for the desk's pickers.

    Reads `image.renditions.all()` (prefetch the thumbnails). Before its
    renditions exist the thumbnail is the original, scaled by the browser.
    """
    thumb = picture_sources(image, "thumb")
    facts = []
    if image.width and image.height:
        facts.append(f"{image.width}×{image.height}")
    if image.file_size:
        facts.append(str(filesizeformat(image.file_size)))
    if credit := for_editors(image, "credit"):
        facts.append(credit)
    if image.is_ai_generated:
        facts.append(gettext("AI-generated"))
    return {
        "id": str(image.pk),
        "thumb": thumb["src"] if thumb else (image.file.url if image.file else ""),
        "alt": for_editors(image, "alt_text") or image.file.name,
        "caption": for_editors(image, "caption"),
        "facts": " · ".join(facts),
        # The library's words in every language: a new use starts from them.
        "texts": {code: library_texts(image, code) for code in LANGUAGE_CODES},
    }


def library_texts(image: Image, language: str) -> dict[str, str]:
    """Return the library's alt text, caption and credit of `image` in `language`."""
    return {
        "alt": getattr(image, f"alt_text_{language}") or "",
        "caption": getattr(image, f"caption_{language}") or "",
        "credit": getattr(image, f"credit_{language}") or "",
    }
