"""A story body as readers get it: its pictures, galleries and embeds drawn.

The stored body holds placeholders the sanitiser lets through (core/richtext.py):
a figure names a library picture by id with the words of this use, a gallery
is a row of such figures, an embed is a provider's address. Each is drawn here
from its template; a figure whose picture no longer exists, or an embed whose
address its provider does not own, is left out rather than shown broken.
"""

import html
import re
from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from core.embeds import render_embed
from core.placeholders import FIGURE, HREF, attributes
from images.models import Image
from images.placed import image_ids

# Galleries and figures (core/placeholders.py) in one pass, so what is drawn
# is never read again.
PLACEHOLDER = re.compile(
    r"<div data-gallery=\"\">(?P<gallery>.*?)</div>|" + FIGURE.pattern, re.DOTALL
)
CREDIT = re.compile(r"<small>(.*?)</small>", re.DOTALL)
CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)
TAG = re.compile(r"<[^>]*>")


@dataclass
class Placed:
    """One picture as this use shows it: the use's words, else the library's."""

    image: Image
    alt: str
    caption: str
    credit: str
    size: str


def _text(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment)).strip()


def _library(image: Image, field: str, language: str) -> str:
    return getattr(image, f"{field}_{language}", None) or ""


def _placed(raw: str, inner: str, images: dict[int, Image], language: str):
    found = attributes(raw)
    image = images.get(int(found.get("data-image") or 0))
    if image is None:
        return None
    caption_html = CAPTION.search(inner)
    caption, credit = "", ""
    if caption_html:
        words = caption_html.group(1)
        if small := CREDIT.search(words):
            credit = _text(small.group(1))
        caption = _text(CREDIT.sub("", words))
    return Placed(
        image=image,
        alt=found.get("data-alt", "").strip() or _library(image, "alt_text", language),
        caption=caption or _library(image, "caption", language),
        credit=credit or _library(image, "credit", language),
        size=found.get("data-size") or "full",
    )


def body_pictures(body: str) -> dict[int, Image]:
    """Return the library pictures `body` places, by id: one query, none if none."""
    if not body or "<figure" not in body:
        return {}
    ids = image_ids(body)
    return Image.objects.in_bulk(ids) if ids else {}


def render_body(
    body: str, language: str, pictures: dict[int, Image] | None = None
) -> SafeString:
    """Return the sanitised `body` with its placeholders drawn for readers.

    `pictures` are `body_pictures(body)` with their renditions prefetched;
    without them, runs two queries when the body places pictures (the
    pictures, their renditions), however many it places.
    """
    if not body or "<figure" not in body:
        return mark_safe(body or "")  # noqa: S308 - sanitised on every save
    if pictures is None:
        pictures = body_pictures(body)
        prefetch_related_objects(list(pictures.values()), "renditions")

    def draw(match: re.Match) -> str:
        inside, raw, inner = match.groups()
        if inside is not None:
            return gallery(inside)
        if provider := attributes(raw).get("data-embed"):
            href = HREF.search(inner)
            return render_embed(provider, html.unescape(href.group(1))) if href else ""
        placed = _placed(raw, inner, pictures, language)
        if placed is None:
            return ""
        return render_to_string("reader/includes/_figure.html", {"placed": placed})

    def gallery(inside: str) -> str:
        items = [
            placed
            for raw, inner in FIGURE.findall(inside)
            if (placed := _placed(raw, inner, pictures, language))
        ]
        if not items:
            return ""
        return render_to_string(
            "reader/includes/_gallery.html",
            {
                "items": items,
                # Translators: how a screen reader names a story's gallery.
                "label": ngettext(
                    "Gallery, %(count)s picture",
                    "Gallery, %(count)s pictures",
                    len(items),
                )
                % {"count": len(items)},
            },
        )

    return mark_safe(PLACEHOLDER.sub(draw, body))  # noqa: S308 - our templates, escaped words


def has_embeds(body: str) -> bool:
    """Say whether `body` holds an embed (its page then loads the embed script)."""
    return "<figure data-embed=" in (body or "")
