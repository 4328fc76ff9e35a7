import re

import factory
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from articles.models import Correction
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    SeriesFactory,
)
from images.tests.factories import ImageFactory, png_bytes

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>제목",
    '<b onclick="alert(1)">제목</b>',
    "&lt;script&gt;alert(1)&lt;/script&gt;제목",
    '<img src=x onerror="alert(1)">제목',
    '<a href="javascript:alert(1)">제목</a>',
    '<span style="color:red">제목</span>',
]


def assert_plain(value: str) -> None:
    assert "<" not in value and ">" not in value, value
    assert "제목" in value


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_fields_of_a_story_never_store_markup(payload):
    values = {
        f"{field}_{code}": payload
        for field in ("headline", "dek", "feature_text", "key_points")
        for code in ("ko", "ja", "en")
    }
    article = ArticleFactory(**values)
    article.refresh_from_db()
    for name in values:
        assert_plain(getattr(article, name))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_fields_of_sections_authors_series_images_and_corrections(payload):
    section = CategoryFactory(name_ko=payload)
    author = AuthorFactory(name_ja=payload)
    series = SeriesFactory(title_en=payload, description_ko=payload)
    image = ImageFactory(alt_text_ko=payload, caption_ja=payload, credit=payload)
    correction = Correction.objects.create(article=ArticleFactory(), text_en=payload)
    for obj, fields in [
        (section, ["name_ko"]),
        (author, ["name_ja"]),
        (series, ["title_en", "description_ko"]),
        (image, ["alt_text_ko", "caption_ja", "credit"]),
        (correction, ["text_en"]),
    ]:
        obj.refresh_from_db()
        for field in fields:
            assert_plain(getattr(obj, field))


def test_plain_text_keeps_ampersands_and_comparisons_as_typed():
    article = ArticleFactory(headline_en="R&D spending: 3 < 5 & rising")
    article.refresh_from_db()
    assert article.headline_en == "R&D spending: 3 < 5 & rising"


@pytest.mark.parametrize(
    "filename",
    [
        "../../etc/passwd.png",
        "서울 " + "가" * 300 + ".PNG",
        "photo\x00\x1f.png",
        "no-extension",
        "evil.php",
    ],
)
def test_uploaded_images_get_names_made_by_the_server(filename):
    image = ImageFactory(
        file=factory.django.FileField(filename=filename, data=png_bytes())
    )
    assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.(png|img)", image.file.name)
    assert (image.width, image.height) == (8, 6)


def test_an_image_source_url_must_be_a_web_address():
    image = ImageFactory.build(source_url="javascript:alert(1)")
    with pytest.raises(ValidationError) as error:
        image.full_clean()
    assert "source_url" in error.value.message_dict


def test_key_points_are_read_one_per_line_in_the_active_language():
    article = ArticleFactory(
        key_points_ko="첫째 요점\n\n  둘째 요점  \n",
        key_points_ja="要点一\n要点二\n要点三",
    )
    with translation.override("ko"):
        assert article.key_point_list() == ["첫째 요점", "둘째 요점"]
    with translation.override("ja"):
        assert article.key_point_list() == ["要点一", "要点二", "要点三"]
    with translation.override("en"):
        assert article.key_point_list() == []


def test_a_correction_needs_text_in_at_least_one_language():
    correction = Correction(article=ArticleFactory())
    with pytest.raises(ValidationError):
        correction.full_clean()
    correction.text_ja = "見出しの数字を訂正した。"
    correction.full_clean()


def test_a_correction_is_only_for_a_story_that_was_published():
    from articles.models import Article

    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    correction = Correction(article=draft, text_ko="정정합니다.")
    with pytest.raises(ValidationError, match="published"), translation.override("en"):
        correction.full_clean()
