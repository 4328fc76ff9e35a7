"""Check uploaded pictures by decoding them and store clean, re-encoded copies.

Only JPEG, PNG, WebP and GIF are taken, recognised by Pillow from their bytes
(never from the file name), within `NEWSROOM_IMAGE_MAX_BYTES` and
`NEWSROOM_IMAGE_MAX_PIXELS`. What reaches storage is never the uploaded
bytes: it is the first frame, turned the way its EXIF orientation says,
converted to sRGB and encoded afresh with no metadata at all (no EXIF, GPS,
camera serial, XMP, comments, text chunks or colour profile). So a polyglot,
a picture that also carries HTML or script, loses its payload too.

Memory: one upload is decoded once, and at most the pixel limit of it: 40
megapixels take about 160 MB decoded (4 bytes a pixel), and a conversion
(turning, CMYK or a colour profile to sRGB) holds a second copy for a moment,
so a worker needs about 320 MB at worst for one upload.
"""

import hashlib
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat, floatformat
from django.utils.translation import gettext, ngettext
from PIL import Image as PillowImage
from PIL import ImageCms, ImageFile, ImageOps

logger = logging.getLogger(__name__)

FORMATS = ["JPEG", "PNG", "WEBP", "GIF"]
# What each is stored as. MPO is how Pillow's JPEG plugin names a JPEG holding
# several pictures (stereo cameras, some phones); a GIF's first frame is a PNG.
STORED_FORMAT = {
    "JPEG": "JPEG",
    "MPO": "JPEG",
    "PNG": "PNG",
    "WEBP": "WEBP",
    "GIF": "PNG",
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
# Only the first frame is kept, so the rest of an animation is cost without
# use. A hundred frames (a few seconds of a looping GIF) still go through
# with a still picture; files of hundreds or thousands of tiny frames, the
# shape of frame-count bombs, are refused before any frame is decoded.
MAX_FRAMES = 100

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class ImageInfo:
    """What an accepted upload is, as read from its header."""

    format: str
    width: int
    height: int
    frames: int


class NormalisedImage(ContentFile):
    """Picture bytes made by `normalise_image`: safe to store as they are.

    `source_sha256` is the fingerprint of the file as it was uploaded: the
    same file uploaded twice has the same one (the library offers the
    picture it already has).
    """

    source_sha256 = ""


def upload_sha256(file) -> str:
    """Return the SHA-256 of an uploaded file's bytes, read in chunks."""
    digest = hashlib.sha256()
    if hasattr(file, "chunks"):
        for chunk in file.chunks():
            digest.update(chunk)
    else:
        file.seek(0)
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class ImageUploadField(forms.FileField):
    """A form's picture upload, cleaned into a `NormalisedImage`.

    Unlike Django's ImageField it does not judge the file by its name, and
    every refusal says what is wrong in the editor's language.
    """

    def __init__(self, *, max_length=None, **kwargs):
        # The model field's max_length bounds the name we store, not the
        # editor's file name, which is never used.
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPT
        return attrs

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return normalise_image(upload)[0]


def check_image_upload(file) -> ImageInfo:
    """Return what `file` is, or raise ValidationError saying why we refuse it."""
    picture, info = _decode(file)
    with picture:  # Unlike close(), leaves `file` open for its owner.
        return info


def normalise_image(file) -> tuple[NormalisedImage, str]:
    """Return `file` re-encoded for storage, and the extension that fits it.

    Raise ValidationError as `check_image_upload` does. Colour: a picture
    with an embedded profile other than sRGB is converted to sRGB, and no
    profile is stored at all, since browsers take untagged pictures for sRGB
    and a profile can name the device that made it.
    """
    picture, info = _decode(file)
    with picture:
        icc_profile = picture.info.get("icc_profile")
        try:
            ImageOps.exif_transpose(picture, in_place=True)
        except (OSError, SyntaxError, ValueError) as exc:
            raise _damaged() from exc
        stored_format = STORED_FORMAT[info.format]
        clean = _in_srgb(_with_mode(picture, stored_format), icc_profile)
        data = _encode(clean, stored_format)
    extension = EXTENSIONS[stored_format]
    normalised = NormalisedImage(data, name=f"upload.{extension}")
    normalised.source_sha256 = upload_sha256(file)
    return normalised, extension


def _decode(file) -> tuple[PillowImage.Image, ImageInfo]:
    """Open `file` as one of FORMATS and load its first frame, or refuse it."""
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    max_pixels = settings.NEWSROOM_IMAGE_MAX_PIXELS
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # It would let a cut-off upload through, padded with grey.
        raise ImproperlyConfigured("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must be off.")
    if not file.size:
        raise ValidationError(gettext("The file is empty."), code="empty")
    if file.size > max_bytes:
        raise ValidationError(
            # Translators: both sizes read like "20.0 MB".
            gettext("The file is %(size)s; a picture may be at most %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    file.seek(0)
    try:
        picture = PillowImage.open(file, formats=FORMATS)
    except PillowImage.DecompressionBombError as exc:
        # Pillow's own bound (twice its MAX_IMAGE_PIXELS) tripped on the header.
        raise _too_many_pixels(max_pixels) from exc
    except Exception as exc:
        # Pillow raises many kinds of error on hostile bytes; all mean the same.
        raise ValidationError(
            gettext(
                "This file is not a picture we accept: upload a JPEG, PNG, "
                "WebP or GIF file."
            ),
            code="invalid_image",
        ) from exc
    width, height = picture.size
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels, width, height)
    try:
        frames = getattr(picture, "n_frames", 1)
        if frames <= MAX_FRAMES:
            picture.load()
    except Exception as exc:
        raise _damaged() from exc
    if frames > MAX_FRAMES:
        raise ValidationError(
            ngettext(
                "The picture is an animation of %(count)s frame; the site shows "
                "only the first frame and takes at most %(limit)s frames.",
                "The picture is an animation of %(count)s frames; the site shows "
                "only the first frame and takes at most %(limit)s frames.",
                frames,
            )
            % {"count": frames, "limit": MAX_FRAMES},
            code="too_many_frames",
        )
    return picture, ImageInfo(picture.format, width, height, frames)


def _too_many_pixels(limit: int, width: int = 0, height: int = 0) -> ValidationError:
    megapixels = floatformat(limit / 1_000_000, -1)
    if not width:
        message = gettext(
            "The picture has too many pixels; a picture may have at most "
            "%(limit)s megapixels."
        ) % {"limit": megapixels}
    else:
        message = gettext(
            "The picture is %(width)s × %(height)s pixels; a picture may have at "
            "most %(limit)s megapixels."
        ) % {"width": width, "height": height, "limit": megapixels}
    return ValidationError(message, code="too_many_pixels")


def _damaged() -> ValidationError:
    return ValidationError(
        gettext(
            "The picture is damaged or incomplete, perhaps cut short on the "
            "way: save or download it again and upload that copy."
        ),
        code="damaged_image",
    )


def _has_alpha(picture: PillowImage.Image) -> bool:
    return picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode in ("P", "L", "RGB") and "transparency" in picture.info
    )


def _with_mode(picture: PillowImage.Image, stored_format: str) -> PillowImage.Image:
    """Return `picture` in a mode `stored_format` stores as it is."""
    mode = picture.mode
    if mode.startswith(("I", "F")):
        # 16-bit greys: Pillow's convert() would clip them, so scale to 8 bits.
        picture = picture.convert("I").point(lambda value: value / 256).convert("L")
        mode = "L"
    if stored_format == "JPEG":
        # CMYK stays for a colour profile to turn into sRGB (see _in_srgb).
        return picture if mode in ("L", "RGB", "CMYK") else picture.convert("RGB")
    if stored_format == "PNG" and mode in ("1", "L", "LA", "P", "RGB", "RGBA"):
        return picture
    return picture.convert("RGBA" if _has_alpha(picture) else "RGB")


def _in_srgb(
    picture: PillowImage.Image, icc_profile: bytes | None
) -> PillowImage.Image:
    """Return `picture` converted from its colour profile to sRGB, if it has one."""
    if icc_profile:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            if "sRGB" not in ImageCms.getProfileDescription(profile):
                return _profile_to_srgb(picture, profile)
        except (ImageCms.PyCMSError, OSError, ValueError):
            # A broken profile, or one for another kind of image: the pixels
            # are shown as they are, the way browsers show them.
            pass
    return picture.convert("RGB") if picture.mode == "CMYK" else picture


def _profile_to_srgb(
    picture: PillowImage.Image, profile: ImageCms.ImageCmsProfile
) -> PillowImage.Image:
    if picture.mode in ("1", "P", "PA"):
        picture = picture.convert("RGBA" if _has_alpha(picture) else "RGB")
    alpha = picture.getchannel("A") if picture.mode in ("RGBA", "LA") else None
    colour = picture.convert({"RGBA": "RGB", "LA": "L"}.get(picture.mode, picture.mode))
    converted = ImageCms.profileToProfile(colour, profile, SRGB, outputMode="RGB")
    if colour.mode == "L":
        converted = converted.convert("L")
    if alpha is not None:
        converted.putalpha(alpha)
    return converted


def _encode(picture: PillowImage.Image, stored_format: str) -> bytes:
    """Encode `picture` with its pixels and transparency only."""
    transparency = picture.info.get("transparency")
    # Pillow's encoders copy some `info` keys (comment, colour profile)
    # unless told otherwise: keep none of what the upload carried.
    picture.info = {}
    options: dict = {"optimize": True}
    if stored_format == "JPEG":
        options |= {"quality": 90, "progressive": True}
    elif stored_format == "WEBP":
        options = {"quality": 90, "method": 4}
    elif transparency is not None and picture.mode in ("P", "L", "RGB"):
        options["transparency"] = transparency
    buffer = io.BytesIO()
    picture.save(buffer, stored_format, **options)
    return buffer.getvalue()


# --- files written by a transaction that rolls back -------------------------------


@dataclass(frozen=True)
class StoredFile:
    """A file written to storage for a row not yet committed."""

    storage: Storage
    name: str
    model: type[Model]
    field_name: str

    def is_named_by_a_row(self) -> bool:
        return self.model._base_manager.filter(**{self.field_name: self.name}).exists()

    def delete(self) -> None:
        self.storage.delete(self.name)


# The files stored inside the innermost `deleted_on_rollback()` block.
_stored_files: ContextVar[list[StoredFile] | None] = ContextVar(
    "stored_files", default=None
)


def store_file(field_file: FieldFile) -> None:
    """Write `field_file`'s new content to storage now, before its row is saved.

    Inside `deleted_on_rollback()` the file is deleted again if the row never
    makes it to the database.
    """
    field_file.save(field_file.name, field_file.file, save=False)
    stored = _stored_files.get()
    if stored is not None:
        stored.append(
            StoredFile(
                field_file.storage,
                field_file.name,
                type(field_file.instance),
                field_file.field.name,
            )
        )


@contextmanager
def deleted_on_rollback() -> Iterator[None]:
    """Delete the files stored in this block whose rows were rolled back.

    Wrap it around the atomic block that saves the rows naming the files.
    Django tells nobody of a rollback (`on_commit` hears only of commits), so:
    once no transaction is open any more the outcome is settled, and a stored
    file that no row names is deleted (this also sees a commit followed by a
    failing on-commit callback, which must keep the file). Inside a
    transaction still open, an exception leaving the block means the atomic
    block it wraps rolled back, so its files go; files of a block that
    succeeded go up to the enclosing `deleted_on_rollback()` block, whose
    transaction may still roll back.
    """
    parent = _stored_files.get()
    stored: list[StoredFile] = []
    token = _stored_files.set(stored)
    failed = True
    try:
        yield
        failed = False
    finally:
        _stored_files.reset(token)
        if not transaction.get_connection().in_atomic_block:
            _delete([file for file in stored if not _is_named(file)])
        elif failed:
            _delete(stored)
        elif parent is not None:
            parent.extend(stored)


def _is_named(file: StoredFile) -> bool:
    try:
        return file.is_named_by_a_row()
    except Exception:
        # The database cannot say (the connection broke): keep the file.
        logger.exception("Could not tell whether %s is still used", file.name)
        return True


def _delete(files: list[StoredFile]) -> None:
    for file in files:
        try:
            file.delete()
        except Exception:
            # Never hide the error that rolled the transaction back.
            logger.exception("Could not delete the orphaned file %s", file.name)
