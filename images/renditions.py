"""Responsive renditions of library images: made once, kept in storage, reused.

Each image gets widths for the story page (`fit`), 16:9 crops for cards and
square crops for thumbnails, cropped around the image's focal point; each in
AVIF (where Pillow has it), WebP and the original's format as the fallback.
An AI-generated image carries IPTC's `trainedAlgorithmicMedia` digital source
type in every rendition's XMP, so the label survives a copy.
"""

import hashlib
import io
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageOps, PngImagePlugin, features

from core.retries import GivenUp, retry_later
from images.models import Image, Rendition, RenditionProblem
from images.signals import renditions_made

logger = logging.getLogger(__name__)

FIT_WIDTHS = (320, 640, 960, 1280, 1920)
CROPS = {
    # kind: (aspect width, aspect height, widths)
    "card": (16, 9, (320, 640, 960)),
    "thumb": (1, 1, (120, 240)),
}
QUALITY = {"JPEG": 82, "WEBP": 80, "AVIF": 60}
MIME = {
    "AVIF": "image/avif",
    "WEBP": "image/webp",
    "JPEG": "image/jpeg",
    "PNG": "image/png",
}
EXTENSIONS = {"AVIF": "avif", "WEBP": "webp", "JPEG": "jpg", "PNG": "png"}
AI_SOURCE_TYPE = (
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
)
XMP_AI = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" '
    'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
    f"<Iptc4xmpExt:DigitalSourceType>{AI_SOURCE_TYPE}</Iptc4xmpExt:DigitalSourceType>"
    "</rdf:Description></rdf:RDF></x:xmpmeta>"
    '<?xpacket end="w"?>'
).encode()


def formats_for(original: str, has_alpha: bool) -> list[str]:
    """Return the formats to make, best first; the last is the <img> fallback."""
    modern = ["AVIF", "WEBP"] if features.check("avif") else ["WEBP"]
    fallback = "PNG" if has_alpha or original in ("PNG", "GIF") else "JPEG"
    return [*modern, fallback]


@dataclass(frozen=True)
class Spec:
    kind: str  # "fit", "card", "thumb"
    width: int
    height: int
    format: str

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.width}.{EXTENSIONS[self.format]}"


def crop_box(
    width: int, height: int, aspect: tuple[int, int], focal: tuple[float, float]
) -> tuple[int, int, int, int]:
    """Return the largest `aspect` box inside the image, centred on the focal point.

    The box slides to stay inside the picture: a focal point near an edge
    gives a box against that edge.
    """
    aspect_w, aspect_h = aspect
    if width * aspect_h > height * aspect_w:  # wider than the aspect
        box_w, box_h = height * aspect_w // aspect_h, height
    else:
        box_w, box_h = width, width * aspect_h // aspect_w
    left = round(focal[0] * width - box_w / 2)
    top = round(focal[1] * height - box_h / 2)
    left = max(0, min(left, width - box_w))
    top = max(0, min(top, height - box_h))
    return left, top, left + box_w, top + box_h


def specs_for(image: Image, source_format: str, has_alpha: bool) -> list[Spec]:
    """Return the renditions `image` gets: none wider than the original."""
    width, height = image.width or 0, image.height or 0
    if not width or not height:
        return []
    formats = formats_for(source_format, has_alpha)
    specs = []
    widths = [w for w in FIT_WIDTHS if w < width] + [min(width, FIT_WIDTHS[-1])]
    for target in sorted(set(widths)):
        specs += [
            Spec("fit", target, round(height * target / width), fmt) for fmt in formats
        ]
    for kind, (aspect_w, aspect_h, crop_widths) in CROPS.items():
        left, top, right, bottom = crop_box(
            width, height, (aspect_w, aspect_h), (image.focal_x, image.focal_y)
        )
        box_w = right - left
        for target in sorted({min(w, box_w) for w in crop_widths}):
            specs += [
                Spec(kind, target, round(target * aspect_h / aspect_w), fmt)
                for fmt in formats
            ]
    return specs


def source_key(image: Image) -> str:
    """Return what the renditions were made from: the file and the focal point."""
    text = f"{image.file.name}|{image.focal_x:.4f}|{image.focal_y:.4f}"
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def _encode(picture: PillowImage.Image, fmt: str, is_ai: bool) -> bytes:
    buffer = io.BytesIO()
    options: dict = {}
    if fmt in QUALITY:
        options["quality"] = QUALITY[fmt]
    if fmt == "AVIF":
        # Faster than the default 6 at nearly the same size: uploads wait.
        options["speed"] = 8
    if fmt == "JPEG":
        options.update(optimize=True, progressive=True)
        picture = picture.convert("RGB")
    if fmt == "PNG":
        options["optimize"] = True
        if is_ai:
            info = PngImagePlugin.PngInfo()
            info.add_itxt("XML:com.adobe.xmp", XMP_AI.decode("utf-8"))
            options["pnginfo"] = info
    elif is_ai:
        options["xmp"] = XMP_AI
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


def _open(image: Image, largest: int) -> PillowImage.Image:
    image.file.open("rb")
    try:
        picture = PillowImage.open(image.file, formats=["JPEG", "PNG", "WEBP", "GIF"])
        # A JPEG decodes at a half, quarter or eighth of its size while that
        # stays at least as wide as the widest rendition: less time, less memory.
        if picture.format == "JPEG":
            picture.draft("RGB", (largest, 1))
        picture.load()
    finally:
        image.file.close()
    return picture


def renditions_generate(image: Image) -> list[Rendition]:
    """Make the renditions `image` lacks (or has from an older file); return all.

    Idempotent: renditions of the current file and focal point are kept.
    """
    key = source_key(image)
    kept = list(image.renditions.all())
    current = [r for r in kept if r.file.name.split("/")[-2] == key]
    stale = [r for r in kept if r not in current]
    if stale:
        for rendition in stale:
            default_storage.delete(rendition.file.name)
        Rendition.objects.filter(pk__in=[r.pk for r in stale]).delete()
    if not image.file:
        return current
    with image.file.open("rb") as handle:
        header = PillowImage.open(handle)
        source_format = header.format or "JPEG"
        has_alpha = header.mode in ("RGBA", "LA", "PA") or (
            header.mode == "P" and "transparency" in header.info
        )
    wanted = [
        spec
        for spec in specs_for(image, source_format, has_alpha)
        if spec.name not in {r.spec for r in current}
    ]
    if not wanted:
        return current
    picture = ImageOps.exif_transpose(_open(image, FIT_WIDTHS[-1]))
    picture = picture.convert("RGBA" if has_alpha else "RGB")
    made = []
    for spec in wanted:
        if spec.kind == "fit":
            resized = picture.resize(
                (spec.width, spec.height), PillowImage.LANCZOS, reducing_gap=3.0
            )
        else:
            aspect_w, aspect_h, _widths = CROPS[spec.kind]
            box = crop_box(
                picture.width,
                picture.height,
                (aspect_w, aspect_h),
                (image.focal_x, image.focal_y),
            )
            resized = picture.resize(
                (spec.width, spec.height),
                PillowImage.LANCZOS,
                box=box,
                reducing_gap=3.0,
            )
        data = _encode(resized, spec.format, image.is_ai_generated)
        name = default_storage.save(
            f"renditions/{image.pk}/{key}/{spec.name}", ContentFile(data)
        )
        made.append(
            Rendition(
                image=image,
                spec=spec.name,
                file=name,
                width=spec.width,
                height=spec.height,
                format=spec.format,
            )
        )
    Rendition.objects.bulk_create(made)
    return current + made


def schedule_renditions(image_id: int) -> None:
    """Have the worker make an image's renditions once this transaction commits.

    The job is a row written in the saving transaction: it commits with the
    picture, or rolls back with it.
    """
    from images.tasks import make_renditions

    make_renditions.enqueue(image_id)


# Errors no retry can mend: the file is not a picture Pillow can decode
# (UnidentifiedImageError is an OSError, so it is named first).
UNREADABLE = (
    PillowImage.UnidentifiedImageError,
    PillowImage.DecompressionBombError,
    ValueError,
    SyntaxError,
)


def renditions_run(*, image_id: int, attempt: int = 1) -> str:
    """Make an image's renditions for the worker; retry, or report, a failure.

    Returns what happened. Failures are written with `update()`: a save would
    send post_save and schedule the work again.
    """
    from images.tasks import make_renditions

    image = Image.objects.filter(pk=image_id).prefetch_related("renditions").first()
    if image is None:
        return "gone"
    try:
        renditions_generate(image)
    except UNREADABLE as error:
        logger.exception("Renditions of image %s: the file cannot be read", image_id)
        _failed(image_id, RenditionProblem.UNREADABLE)
        raise GivenUp(f"Image {image_id}: the file cannot be read.") from error
    except Exception as error:
        delay = retry_later(make_renditions, image_id, attempt + 1, attempt=attempt)
        if delay is None:
            logger.exception(
                "Renditions of image %s failed %s times; given up.", image_id, attempt
            )
            problem = (
                RenditionProblem.STORAGE
                if isinstance(error, OSError)
                else RenditionProblem.OTHER
            )
            _failed(image_id, problem)
            raise GivenUp(
                f"Renditions of image {image_id} failed {attempt} times."
            ) from error
        logger.warning(
            "Renditions of image %s failed (attempt %s); retrying in %s s.",
            image_id,
            attempt,
            delay,
            exc_info=True,
        )
        return "retry"
    facts = {}
    if image.renditions_failed_at is not None:
        facts.update(renditions_failed_at=None, renditions_problem="")
    if image.file_size is None and image.file:
        facts["file_size"] = image.file.size
    if facts:
        Image.objects.filter(pk=image_id).update(**facts)
    renditions_made.send(sender=Image, image_id=image_id)
    return "made"


def _failed(image_id: int, problem: str) -> None:
    Image.objects.filter(pk=image_id).update(
        renditions_failed_at=timezone.now(), renditions_problem=problem
    )


def on_image_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw and instance.file:
        schedule_renditions(instance.pk)


def thumbnails() -> Prefetch:
    """Prefetch an image queryset's thumbnail renditions only, for lists and pickers."""
    return Prefetch(
        "renditions", queryset=Rendition.objects.filter(spec__startswith="thumb-")
    )


# --- markup -------------------------------------------------------------------


def picture_sources(image: Image, kind: str) -> dict | None:
    """Return what a <picture> of `image` needs: sources per type, the fallback.

    Reads `image.renditions.all()` (prefetch it). None when the image has no
    renditions of this kind yet: the template shows the original then.
    """
    key = source_key(image)
    renditions = [
        r
        for r in image.renditions.all()
        if r.spec.startswith(f"{kind}-") and r.file.name.split("/")[-2] == key
    ]
    if not renditions:
        return None
    by_format: dict[str, list[Rendition]] = {}
    for rendition in sorted(renditions, key=lambda r: r.width):
        by_format.setdefault(rendition.format, []).append(rendition)
    order = [fmt for fmt in ("AVIF", "WEBP", "PNG", "JPEG") if fmt in by_format]
    fallback_format = order[-1]
    fallback = by_format[fallback_format]
    largest = fallback[-1]
    default = next((r for r in fallback if r.width >= 960), largest)

    def srcset(items):
        return ", ".join(f"{r.file.url} {r.width}w" for r in items)

    return {
        "sources": [
            {"type": MIME[fmt], "srcset": srcset(by_format[fmt])} for fmt in order[:-1]
        ],
        "src": default.file.url,
        "srcset": srcset(fallback),
        "width": largest.width,
        "height": largest.height,
    }
