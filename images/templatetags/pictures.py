"""`{% picture %}`: a library image as <picture>, with its renditions."""

from django import template

from images.renditions import picture_sources

register = template.Library()


@register.inclusion_tag("images/picture.html")
def picture(image, kind: str = "fit", sizes: str = "100vw", alt=None, lazy=True):
    """Show a library image responsively: AVIF, WebP and a fallback, with its size.

    `kind` is "fit" (the whole picture), "card" (16:9) or "thumb" (square),
    cropped around the focal point. Before its renditions exist the original
    is shown, with its own size.
    """
    return {
        "image": image,
        "picture": picture_sources(image, kind) if image else None,
        "sizes": sizes,
        "alt": image.alt_text if alt is None and image else (alt or ""),
        "lazy": lazy,
    }
