"""The picture library in the desk: a grid of thumbnails, found in any language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.tests.factories import ArticleFactory, UserFactory
from images.renditions import renditions_generate
from images.tests.factories import ImageFactory, png_bytes

pytestmark = pytest.mark.django_db

LIBRARY = reverse("admin:images_image_changelist")


@pytest.fixture
def editor(client):
    person = UserFactory(role="editor")
    client.force_login(person)
    return person


def cards(html: str) -> list[str]:
    return html.split('<li class="image-card">')[1:]


def test_each_picture_is_a_thumbnail_with_its_size_and_flags(client, editor):
    used = ImageFactory(
        alt_text_ko="부두의 크레인",
        is_ai_generated=True,
        file__data=png_bytes(400, 300),
    )
    renditions_generate(used)
    ArticleFactory(feature_image=used)
    ImageFactory(alt_text_ko="비 오는 광장", file_size=2_400_000)
    html = client.get(LIBRARY, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    crane, square = sorted(cards(html), key=lambda card: "크레인" not in card)
    assert "thumb-240" in crane and 'alt=""' in crane
    assert "400×300" in crane
    assert "AI 생성" in crane and "미사용" not in crane
    assert "미사용" in square
    assert "2.3\xa0MB" in square


@pytest.mark.parametrize(
    "query", ["港のクレーン", "harbour crane at dusk", "부두 크레인", "Yonhap"]
)
def test_a_picture_is_found_by_any_languages_words(client, editor, query):
    ImageFactory(
        alt_text_ko="저녁 부두 크레인",
        alt_text_ja="",
        alt_text_en="",
        caption_ja="夕方の港のクレーン",
        caption_en="A harbour crane at dusk",
        credit="Yonhap",
    )
    ImageFactory(alt_text_ko="산", caption_ja="山", caption_en="Hills", credit="Ours")
    html = client.get(LIBRARY, {"q": query}).content.decode()
    assert len(cards(html)) == 1


def test_filters_find_unused_pictures_and_licences(client, editor):
    shown = ImageFactory(licence="CC BY 4.0")
    ArticleFactory(feature_image=shown)
    ImageFactory(licence="Agency, one use")
    unused = client.get(LIBRARY, {"use": "unused"}).content.decode()
    assert len(cards(unused)) == 1 and f"/{shown.pk}/change/" not in unused
    by_licence = client.get(LIBRARY, {"licence": "CC BY 4.0"}).content.decode()
    assert len(cards(by_licence)) == 1 and f"/{shown.pk}/change/" in by_licence


def test_the_grid_costs_the_same_for_a_few_pictures_or_a_full_page(client, editor):
    for _ in range(2):
        renditions_generate(ImageFactory())
    client.get(LIBRARY)
    with CaptureQueriesContext(connection) as few:
        client.get(LIBRARY)
    for _ in range(30):
        renditions_generate(ImageFactory())
    with CaptureQueriesContext(connection) as many:
        client.get(LIBRARY)
    assert len(many) == len(few)


def test_the_picture_form_shows_the_picture_to_click_for_its_focal_point(
    client, editor
):
    image = ImageFactory(file__data=png_bytes(1400, 700))
    url = reverse("admin:images_image_change", args=[image.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    picker = html.split("data-focal-picker", 1)[1].split("</section>", 1)[0]
    assert f'src="{image.file.url}"' in picker  # no renditions yet: the original
    assert "画像の主役がいる位置をクリック" in picker
    renditions_generate(image)
    html = client.get(url).content.decode()
    picker = html.split("data-focal-picker", 1)[1].split("</section>", 1)[0]
    assert "fit-960" in picker
