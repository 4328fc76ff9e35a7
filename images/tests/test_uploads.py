"""Picture uploads: bad files are refused with a reason, good ones stored clean."""

import io
import re
import struct
import zlib
from collections.abc import Callable

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models.signals import post_save
from django.template.defaultfilters import filesizeformat
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image as PillowImage
from PIL import ImageCms, ImageFile, PngImagePlugin

from articles.tests.factories import UserFactory
from images import services, uploads
from images.models import Image

pytestmark = [
    pytest.mark.django_db,
    # Pillow warns of pictures over its own bound (89 megapixels) before our
    # lower limit refuses them.
    pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
]

NOT_A_PICTURE = (
    "This file is not a picture we accept: upload a JPEG, PNG, WebP or GIF file."
)
DAMAGED = (
    "The picture is damaged or incomplete, perhaps cut short on the way: save or "
    "download it again and upload that copy."
)
STORED_NAME = re.compile(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|webp)")
GPS_INFO, BODY_SERIAL, ORIENTATION = 0x8825, 0xA431, 0x0112
SERIAL = "CAM-SERIAL-0042"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    b'photoshop:Source="secret-source-xmp"/></rdf:RDF></x:xmpmeta>'
)
HTML = b"<html><script>alert('polyglot')</script></html>"


# --- building pictures --------------------------------------------------------


def encode(picture: PillowImage.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, image_format, **options)
    return buffer.getvalue()


def photo(size=(40, 20), mode="RGB") -> PillowImage.Image:
    """Return a picture with a red block in its top left corner."""
    picture = PillowImage.new(mode, size, "white")
    picture.paste("red", (0, 0, 10, 10))
    return picture


def private_exif(orientation: int = 1) -> PillowImage.Exif:
    """Return EXIF naming where and with which camera a picture was taken."""
    exif = PillowImage.Exif()
    exif[ORIENTATION] = orientation
    exif[BODY_SERIAL] = SERIAL
    exif[GPS_INFO] = {1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 41.0)}
    return exif


def png_text() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-source: our man in the ministry")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return info


def blank_png(width: int, height: int) -> bytes:
    """Return a valid 1-bit PNG of `width` × `height` without holding its pixels.

    Zeros compress about a thousand times: a decompression bomb.
    """

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    row = bytes(1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row * 1000) for _ in range(height // 1000))
    idat += packer.compress(row * (height % 1000)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def animated_gif(frames: int, size=(2, 2)) -> bytes:
    # Neighbouring frames differ, or Pillow would merge them.
    pictures = [PillowImage.new("P", size, index % 2) for index in range(frames)]
    for picture in pictures:
        picture.putpalette([255, 0, 0, 0, 0, 255])
    return encode(pictures[0], "GIF", save_all=True, append_images=pictures[1:])


def linear_rgb_profile() -> bytes:
    """Return an ICC profile with sRGB's primaries and no gamma: not sRGB."""

    def xyz(x: float, y: float, z: float) -> bytes:
        values = (round(value * 65536) for value in (x, y, z))
        return b"XYZ \0\0\0\0" + struct.pack(">3i", *values)

    name = b"Linear RGB"
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0100)  # gamma 1.0
    tags = [
        (
            b"desc",
            b"desc\0\0\0\0" + struct.pack(">I", len(name) + 1) + name + bytes(80),
        ),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text\0\0\0\0none\0"),
    ]
    start = 128 + 4 + 12 * len(tags)
    table = data = b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", start + len(data), len(body))
        data += body
    header = (
        struct.pack(">I", start + len(data))
        + b"lcms"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + bytes(12)
        + b"acsp"
        + bytes(28)
        + xyz(0.9642, 1.0, 0.8249)[8:]
        + bytes(48)
    )
    return header + struct.pack(">I", len(tags)) + table + data


def truncated_jpeg() -> bytes:
    data = encode(PillowImage.effect_noise((200, 150), 60).convert("RGB"), "JPEG")
    return data[: len(data) // 2]


def gif_then_html() -> bytes:
    return encode(photo(), "GIF") + HTML


# --- storage and the admin ----------------------------------------------------


def stored_files(folder: str = "images") -> set[str]:
    """Return every file under `folder` in the default storage."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return set()
    found = {f"{folder}/{name}" for name in files}
    for name in folders:
        found |= stored_files(f"{folder}/{name}")
    return found


def stored_bytes(image: Image) -> bytes:
    with image.file.open("rb") as handle:
        return handle.read()


def stored_picture(image: Image) -> PillowImage.Image:
    return PillowImage.open(io.BytesIO(stored_bytes(image)))


def add_image(client, name: str, data: bytes, language: str = "en"):
    return client.post(
        reverse("admin:images_image_add"),
        {
            "file": SimpleUploadedFile(name, data),
            "alt_text_en": "Containers stacked on a Busan pier",
            "credit": "Newsroom photo desk",
            "focal_x": "0.5",
            "focal_y": "0.5",
            "_save": "Save",
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )


def file_errors(response) -> list[str]:
    assert response.status_code == 200, "the form should have been shown again"
    return response.context["adminform"].form.errors["file"]


# --- bad files ----------------------------------------------------------------

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
    b'height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'
)

# name, file name, bytes, the error's code, its English text
BAD_FILES: list[tuple[str, str, Callable[[], bytes], str, str]] = [
    ("svg", "logo.svg", lambda: SVG, "invalid_image", NOT_A_PICTURE),
    ("html-named-jpg", "photo.jpg", lambda: HTML, "invalid_image", NOT_A_PICTURE),
    (
        "html-then-gif",
        "photo.gif",
        lambda: HTML + encode(photo(), "GIF"),
        "invalid_image",
        NOT_A_PICTURE,
    ),
    (
        "bmp",
        "photo.bmp",
        lambda: encode(photo(), "BMP"),
        "invalid_image",
        NOT_A_PICTURE,
    ),
    ("truncated-jpeg", "photo.jpg", truncated_jpeg, "damaged_image", DAMAGED),
    (
        "decompression-bomb",
        "bomb.png",
        lambda: blank_png(20_000, 20_000),
        "too_many_pixels",
        "The picture has too many pixels; a picture may have at most 40 megapixels.",
    ),
    (
        "100-megapixels",
        "wide.png",
        lambda: blank_png(10_000, 10_000),
        "too_many_pixels",
        "The picture is 10000 × 10000 pixels; a picture may have at most 40 "
        "megapixels.",
    ),
    (
        "300-frames",
        "loop.gif",
        lambda: animated_gif(300),
        "too_many_frames",
        "The picture is an animation of 300 frames; the site shows only the first "
        "frame and takes at most 100 frames.",
    ),
]


def test_the_bad_files_are_what_they_claim_to_be():
    files = {name: make() for name, _file_name, make, _code, _text in BAD_FILES}
    bombs = [files["decompression-bomb"], files["100-megapixels"]]
    assert all(len(data) < 60_000 for data in bombs)
    assert PillowImage.open(io.BytesIO(files["100-megapixels"])).size == (10000, 10000)
    assert PillowImage.open(io.BytesIO(files["300-frames"])).n_frames == 300
    assert files["html-named-jpg"].startswith(b"<html>")


@pytest.mark.parametrize(
    ("file_name", "make", "text"),
    [(file_name, make, text) for _name, file_name, make, _code, text in BAD_FILES],
    ids=[name for name, *_rest in BAD_FILES],
)
def test_the_admin_refuses_a_bad_file_and_stores_nothing(desk, file_name, make, text):
    before = stored_files()
    response = add_image(desk, file_name, make())
    assert file_errors(response) == [text]
    assert text in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize(
    ("make", "code"),
    [(make, code) for _name, _file_name, make, code, _text in BAD_FILES],
    ids=[name for name, *_rest in BAD_FILES],
)
def test_the_checks_refuse_a_bad_file(make, code):
    upload = SimpleUploadedFile("upload", make())
    with pytest.raises(ValidationError) as refused:
        uploads.check_image_upload(upload)
    assert refused.value.code == code
    with pytest.raises(ValidationError):
        uploads.normalise_image(upload)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(desk):
    data = encode(PillowImage.effect_noise((64, 64), 80), "PNG")
    with override_settings(NEWSROOM_IMAGE_MAX_BYTES=1024):
        response = add_image(desk, "noise.png", data)
    size, limit = filesizeformat(len(data)), filesizeformat(1024)
    expected = f"The file is {size}; a picture may be at most {limit}."
    assert file_errors(response) == [expected]
    assert not Image.objects.exists()

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before its size was checked")

    with (
        override_settings(NEWSROOM_IMAGE_MAX_BYTES=1024),
        pytest.raises(ValidationError) as refused,
    ):
        uploads.check_image_upload(Unreadable("noise.png", data))
    assert refused.value.code == "file_too_large"


def test_the_pixel_limit_is_a_setting():
    data = encode(photo((1000, 600)), "PNG")
    with (
        translation.override("en"),
        override_settings(NEWSROOM_IMAGE_MAX_PIXELS=500_000),
        pytest.raises(ValidationError) as refused,
    ):
        uploads.check_image_upload(SimpleUploadedFile("small.png", data))
    assert refused.value.messages == [
        "The picture is 1000 × 600 pixels; a picture may have at most 0.5 megapixels."
    ]


def test_an_empty_file_is_refused(desk):
    response = add_image(desk, "empty.jpg", b"")
    assert file_errors(response) == ["The submitted file is empty."]
    assert not Image.objects.exists()
    with pytest.raises(ValidationError) as refused:
        uploads.check_image_upload(SimpleUploadedFile("empty.jpg", b""))
    assert refused.value.code == "empty"


def test_the_refusal_speaks_the_editors_language(desk):
    desk.cookies["django_language"] = "ja"
    html = desk.post(
        reverse("admin:images_image_add"),
        {"file": SimpleUploadedFile("empty.jpg", b""), "focal_x": 0.5, "focal_y": 0.5},
    ).content.decode()
    assert "入力されたファイルは空です。" in html
    html = desk.post(
        reverse("admin:images_image_add"),
        {"file": SimpleUploadedFile("logo.svg", SVG), "focal_x": 0.5, "focal_y": 0.5},
    ).content.decode()
    with translation.override("ja"):
        assert gettext(NOT_A_PICTURE) in html
    assert not Image.objects.exists()


def test_truncated_images_are_never_padded(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ImproperlyConfigured):
        uploads.check_image_upload(SimpleUploadedFile("a.jpg", truncated_jpeg()))


# --- good files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "stored_format"),
    [("JPEG", "JPEG"), ("PNG", "PNG"), ("WEBP", "WEBP"), ("GIF", "PNG")],
)
def test_each_format_we_take_is_checked_and_stored(image_format, stored_format):
    upload = SimpleUploadedFile("upload", encode(photo(), image_format))
    info = uploads.check_image_upload(upload)
    assert (info.format, info.width, info.height, info.frames) == (
        image_format,
        40,
        20,
        1,
    )
    stored, extension = uploads.normalise_image(upload)
    assert PillowImage.open(stored).format == stored_format
    assert stored.name == f"upload.{extension}"


def test_the_file_input_asks_for_the_formats_we_take(desk):
    html = desk.get(reverse("admin:images_image_add")).content.decode()
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in html


def test_the_name_an_editor_gives_never_reaches_storage(desk):
    name = "..\\..\\" + "부산항\x01\x1b\u202e" * 75 + ".png"
    response = add_image(desk, name, encode(photo(), "PNG"))
    assert response.status_code == 302
    image = Image.objects.get()
    assert STORED_NAME.fullmatch(image.file.name)
    assert image.file.name in stored_files()


def test_the_content_decides_the_type_not_the_name(desk):
    assert add_image(desk, "photo.jpg", encode(photo(), "PNG")).status_code == 302
    assert add_image(desk, "photo", encode(photo(), "WEBP")).status_code == 302
    names = [image.file.name for image in Image.objects.order_by("pk")]
    assert [name.rsplit(".", 1)[1] for name in names] == ["png", "webp"]


def test_a_jpeg_loses_its_exif_and_keeps_its_orientation(desk):
    data = encode(
        photo((40, 20)),
        "JPEG",
        exif=private_exif(orientation=6),
        xmp=XMP,
        comment=b"shot by staff camera 7",
    )
    assert SERIAL.encode() in data
    response = add_image(desk, "IMG_0001.JPG", data)
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (20, 40)
    stored = stored_bytes(image)
    for secret in (b"Exif", SERIAL.encode(), b"secret-source-xmp", b"staff camera"):
        assert secret not in stored
    picture = stored_picture(image)
    assert picture.format == "JPEG" and picture.size == (20, 40)
    assert not picture.getexif()
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(picture.info)
    # Turned a quarter clockwise: the red corner is now top right.
    red, green, blue = picture.getpixel((15, 3))
    assert red > 200 and green < 60 and blue < 60


def test_a_png_loses_its_text_xmp_and_exif(client):
    client.force_login(UserFactory(username="editor1", role="editor"))
    data = encode(
        photo(mode="RGBA"),
        "PNG",
        pnginfo=png_text(),
        exif=private_exif(),
    )
    response = add_image(client, "graphic.png", data)
    assert response.status_code == 302
    image = Image.objects.get()
    stored = stored_bytes(image)
    for secret in (SERIAL.encode(), b"secret-source", b"tEXt", b"iTXt", b"eXIf"):
        assert secret not in stored
    picture = stored_picture(image)
    assert picture.mode == "RGBA" and not picture.text
    assert not picture.getexif()


def test_a_webp_loses_its_metadata():
    data = encode(photo(), "WEBP", exif=private_exif(), xmp=XMP)
    stored, extension = uploads.normalise_image(SimpleUploadedFile("a.webp", data))
    content = stored.read()
    assert extension == "webp"
    assert SERIAL.encode() not in content and b"secret-source" not in content
    assert not {"exif", "xmp"} & set(PillowImage.open(io.BytesIO(content)).info)


def test_a_polyglot_is_stored_without_its_payload(desk):
    polyglots = {
        "gif-then-html.gif": gif_then_html(),
        "html-in-a-comment.jpg": encode(photo(), "JPEG", comment=HTML) + HTML,
    }
    for name, data in polyglots.items():
        assert HTML in data
        assert add_image(desk, name, data).status_code == 302
    for image in Image.objects.all():
        content = stored_bytes(image)
        assert b"<script>" not in content and b"html" not in content
        assert stored_picture(image).size == (40, 20)


def test_a_colour_profile_other_than_srgb_is_converted_to_srgb():
    grey = PillowImage.new("RGB", (8, 8), (128, 128, 128))
    data = encode(grey, "PNG", icc_profile=linear_rgb_profile())
    stored, _extension = uploads.normalise_image(SimpleUploadedFile("a.png", data))
    picture = PillowImage.open(stored)
    assert "icc_profile" not in picture.info
    # Linear light 0.5 is sRGB 188.
    assert picture.getpixel((0, 0)) == (188, 188, 188)


def test_an_srgb_profile_leaves_the_pixels_alone():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(photo(), "PNG", icc_profile=srgb)
    stored, _extension = uploads.normalise_image(SimpleUploadedFile("a.png", data))
    picture = PillowImage.open(stored)
    assert "icc_profile" not in picture.info
    assert picture.tobytes() == photo().tobytes()


def test_a_cmyk_jpeg_is_stored_in_rgb():
    data = encode(photo(mode="CMYK"), "JPEG")
    stored, extension = uploads.normalise_image(SimpleUploadedFile("a.jpg", data))
    picture = PillowImage.open(stored)
    assert (extension, picture.mode) == ("jpg", "RGB")


def test_an_animation_is_stored_as_its_first_frame():
    data = animated_gif(3, size=(6, 4))
    stored, extension = uploads.normalise_image(SimpleUploadedFile("a.gif", data))
    picture = PillowImage.open(stored)
    assert extension == "png" and picture.format == "PNG"
    assert not getattr(picture, "is_animated", False)
    assert picture.convert("RGB").getpixel((0, 0)) == (255, 0, 0)

    frames = [PillowImage.new("RGB", (6, 4), colour) for colour in ("blue", "red")]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:])
    stored, _extension = uploads.normalise_image(SimpleUploadedFile("a.webp", data))
    picture = PillowImage.open(stored)
    assert not getattr(picture, "is_animated", False)
    red, green, blue = picture.getpixel((0, 0))
    assert blue > 200 and red < 60


def test_transparency_is_kept():
    clear = photo(mode="RGBA")
    clear.putalpha(0)
    palette = PillowImage.new("P", (4, 4), 1)
    palette.putpalette([255, 0, 0, 0, 0, 255])
    for data, mode in (
        (encode(clear, "PNG"), "RGBA"),
        (encode(palette, "PNG", transparency=1), "P"),
    ):
        stored, _extension = uploads.normalise_image(SimpleUploadedFile("a", data))
        picture = PillowImage.open(stored)
        assert picture.mode == mode
        assert picture.convert("RGBA").getpixel((3, 3))[3] == 0


def test_16_bit_greys_are_scaled_not_clipped():
    data = encode(PillowImage.new("I;16", (4, 4), 40000), "PNG")
    stored, _extension = uploads.normalise_image(SimpleUploadedFile("a.png", data))
    picture = PillowImage.open(stored)
    assert (picture.mode, picture.getpixel((0, 0))) == ("L", 156)


# --- the service --------------------------------------------------------------


def test_image_save_cleans_a_file_handed_to_it_directly():
    editor = UserFactory(username="editor1", role="editor")
    name = "../../" + "서울" * 150 + "\x00\n.jpg"
    data = encode(photo(), "JPEG", exif=private_exif(orientation=6))
    image = Image(credit="Newsroom photo desk")
    image.file = File(io.BytesIO(data), name=name)
    services.image_save(image=image, user=editor)
    image.refresh_from_db()
    assert STORED_NAME.fullmatch(image.file.name)
    assert (image.width, image.height) == (20, 40)
    assert SERIAL.encode() not in stored_bytes(image)


def test_image_save_refuses_a_bad_file_handed_to_it_directly():
    editor = UserFactory(username="editor1", role="editor")
    image = Image(credit="Newsroom photo desk")
    image.file = File(io.BytesIO(SVG), name="logo.svg")
    before = stored_files()
    with pytest.raises(ValidationError):
        services.image_save(image=image, user=editor)
    assert not Image.objects.exists()
    assert stored_files() == before


def test_image_save_does_not_clean_a_file_twice(monkeypatch):
    editor = UserFactory(username="editor1", role="editor")
    clean, _extension = uploads.normalise_image(
        SimpleUploadedFile("a.png", encode(photo(), "PNG"))
    )

    def fail(file):
        raise AssertionError("normalised twice")

    data = clean.read()
    monkeypatch.setattr(services, "normalise_image", fail)
    image = Image(credit="Newsroom photo desk", file=clean)
    services.image_save(image=image, user=editor)
    assert stored_bytes(image) == data


# --- a save that fails leaves no file behind ------------------------------------


class DatabaseWentAway(Exception):
    pass


@pytest.fixture
def failing_row_write():
    """Make the picture's row write fail after its file is stored."""

    def fail(sender, instance, **kwargs):
        raise DatabaseWentAway

    post_save.connect(fail, sender=Image)
    yield
    post_save.disconnect(fail, sender=Image)


def test_a_new_picture_whose_save_fails_leaves_no_file(failing_row_write):
    editor = UserFactory(username="editor1", role="editor")
    before = stored_files()
    image = Image(credit="Newsroom photo desk")
    image.file = File(io.BytesIO(encode(photo(), "PNG")), name="pier.png")
    with pytest.raises(DatabaseWentAway):
        services.image_save(image=image, user=editor)
    assert not Image.objects.exists()
    assert stored_files() == before


def test_a_replaced_file_whose_save_fails_leaves_the_old_one_alone():
    editor = UserFactory(username="editor1", role="editor")
    image = services.image_save(
        image=Image(file=File(io.BytesIO(encode(photo(), "PNG")), name="a.png")),
        user=editor,
    )
    old_name, before = image.file.name, stored_files()
    image = Image.objects.get(pk=image.pk)
    image.file = File(io.BytesIO(encode(photo((30, 30)), "PNG")), name="b.png")

    def fail(sender, instance, **kwargs):
        raise DatabaseWentAway

    post_save.connect(fail, sender=Image)
    try:
        with pytest.raises(DatabaseWentAway):
            services.image_save(image=image, user=editor, loaded_version=1)
    finally:
        post_save.disconnect(fail, sender=Image)
    assert Image.objects.get(pk=image.pk).file.name == old_name
    assert stored_files() == before


def test_an_upload_whose_request_fails_after_the_save_leaves_no_file(desk, monkeypatch):
    from images.admin import ImageAdmin

    def fail(*args, **kwargs):
        raise DatabaseWentAway

    # The admin logs the addition in the same transaction, after the save.
    monkeypatch.setattr(ImageAdmin, "log_addition", fail)
    before = stored_files()
    with pytest.raises(DatabaseWentAway):
        add_image(desk, "pier.png", encode(photo(), "PNG"))
    assert not Image.objects.exists()
    assert stored_files() == before


@pytest.mark.django_db(transaction=True)
def test_with_real_commits_a_failed_upload_leaves_no_file_and_a_saved_one_stays(
    desk,
):
    before = stored_files()

    def fail(sender, instance, **kwargs):
        raise DatabaseWentAway

    post_save.connect(fail, sender=Image)
    try:
        with pytest.raises(DatabaseWentAway):
            add_image(desk, "pier.png", encode(photo(), "PNG"))
    finally:
        post_save.disconnect(fail, sender=Image)
    assert not Image.objects.exists()
    assert stored_files() == before

    def fail_after_commit(sender, instance, **kwargs):
        def fail():
            raise DatabaseWentAway

        transaction.on_commit(fail)

    # Committed, then a step after the commit fails: the row names the file,
    # which must stay.
    post_save.connect(fail_after_commit, sender=Image)
    try:
        with pytest.raises(DatabaseWentAway):
            add_image(desk, "pier.png", encode(photo(), "PNG"))
    finally:
        post_save.disconnect(fail_after_commit, sender=Image)
    image = Image.objects.get()
    assert default_storage.exists(image.file.name)
