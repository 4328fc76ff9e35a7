"""Renditions: widths and formats, focal-point crops, AI provenance, page markup."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PillowImage
from PIL import features

from articles.tests.factories import ArticleFactory
from images.models import Image, Rendition
from images.renditions import (
    AI_SOURCE_TYPE,
    crop_box,
    renditions_generate,
)
from images.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db

FORMATS = {"AVIF", "WEBP", "JPEG"} if features.check("avif") else {"WEBP", "JPEG"}


def two_colour_jpeg(width=1600, height=900) -> bytes:
    """A picture blue on its left half and red on its right half."""
    picture = PillowImage.new("RGB", (width, height), (0, 0, 255))
    picture.paste((255, 0, 0), (width // 2, 0, width, height))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def library_image(**fields) -> Image:
    image = ImageFactory(**fields)
    image.file.save("photo.jpg", ContentFile(two_colour_jpeg()), save=True)
    return Image.objects.get(pk=image.pk)


def opened(rendition: Rendition) -> PillowImage.Image:
    with default_storage.open(rendition.file.name) as handle:
        picture = PillowImage.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


def test_crop_boxes_keep_the_focal_point_and_stay_inside():
    assert crop_box(1600, 900, (1, 1), (0.5, 0.5)) == (350, 0, 1250, 900)
    assert crop_box(1600, 900, (1, 1), (0.98, 0.5)) == (700, 0, 1600, 900)
    assert crop_box(1600, 900, (1, 1), (0.0, 0.5)) == (0, 0, 900, 900)
    # A portrait picture in a 16:9 card: the box slides vertically.
    assert crop_box(900, 1600, (16, 9), (0.5, 0.1)) == (0, 0, 900, 506)


def test_an_image_gets_widths_crops_and_formats_once():
    image = library_image()
    made = renditions_generate(image)
    specs = {r.spec for r in made}
    widths = sorted({r.width for r in made if r.spec.startswith("fit-")})
    assert widths == [320, 640, 960, 1280, 1600]
    assert {r.format for r in made} == FORMATS
    assert {"card-320", "card-640", "card-960", "thumb-120", "thumb-240"} <= {
        spec.rsplit(".", 1)[0] for spec in specs
    }
    for rendition in made:
        picture = opened(rendition)
        assert (picture.width, picture.height) == (rendition.width, rendition.height)
        assert picture.format == rendition.format
    card = next(r for r in made if r.spec == "card-640.webp")
    assert (card.width, card.height) == (640, 360)
    # Made once: a second run adds nothing.
    again = renditions_generate(Image.objects.get(pk=image.pk))
    assert {r.pk for r in again} == {r.pk for r in made}
    assert Rendition.objects.filter(image=image).count() == len(made)


@pytest.mark.parametrize(("focal_x", "colour"), [(0.95, "red"), (0.05, "blue")])
def test_thumbnails_are_cropped_around_the_focal_point(focal_x, colour):
    image = library_image(focal_x=focal_x)
    thumb = next(r for r in renditions_generate(image) if r.spec == "thumb-240.webp")
    red, _green, blue = opened(thumb).convert("RGB").getpixel((120, 120))
    assert (red > blue) == (colour == "red")


def test_a_new_focal_point_or_file_replaces_the_renditions():
    image = library_image()
    old = {r.file.name for r in renditions_generate(image)}
    image.focal_x = 0.9
    image.save()
    new = {r.file.name for r in renditions_generate(Image.objects.get(pk=image.pk))}
    assert not old & new
    assert not any(default_storage.exists(name) for name in old)


def test_ai_generated_renditions_carry_the_digital_source_type():
    ai = library_image(is_ai_generated=True)
    plain = library_image()
    for rendition in renditions_generate(ai):
        with default_storage.open(rendition.file.name) as handle:
            assert AI_SOURCE_TYPE.encode() in handle.read(), rendition.spec
    for rendition in renditions_generate(plain):
        with default_storage.open(rendition.file.name) as handle:
            assert b"trainedAlgorithmicMedia" not in handle.read(), rendition.spec


def test_pages_offer_every_rendition_with_the_size_of_the_picture(client):
    image = library_image()
    renditions_generate(image)
    related = ArticleFactory(feature_image=image)
    article = ArticleFactory(feature_image=image, placement="top")
    article.related_articles.create(related=related, position=0)
    html = client.get(article.get_absolute_url("ko")).content.decode()
    assert '<source type="image/webp" srcset="' in html
    assert " 640w, " in html and " 1600w" in html
    assert 'width="1600" height="900"' in html
    # The related story's square thumbnail.
    assert "thumb-120.jpg 120w" in html and 'width="240" height="240"' in html
    home = client.get("/ko/").content.decode()
    assert "card-960.jpg 960w" in home and 'width="960" height="540"' in home


def test_before_its_renditions_exist_a_page_shows_the_original(client):
    image = library_image()
    article = ArticleFactory(feature_image=image)
    html = client.get(article.get_absolute_url("ko")).content.decode()
    assert f'src="{image.file.url}" width="1600" height="900"' in html
