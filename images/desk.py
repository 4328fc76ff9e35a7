"""How the desk shows a picture in a list or a picker: a small card of facts."""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from articles.models import for_editors
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
    if image.credit:
        facts.append(image.credit)
    if image.is_ai_generated:
        facts.append(gettext("AI-generated"))
    return {
        "thumb": thumb["src"] if thumb else (image.file.url if image.file else ""),
        "alt": for_editors(image, "alt_text") or image.file.name,
        "caption": for_editors(image, "caption"),
        "facts": " · ".join(facts),
    }
