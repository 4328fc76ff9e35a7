import json
import re

import pytest

from articles.models import Article
from articles.tests.factories import ArticleFactory, AuthorFactory
from images.tests.factories import ImageFactory
from related.models import Source
from tags.models import Tag

pytestmark = pytest.mark.django_db


def json_ld(client, url: str) -> dict:
    html = client.get(url).content.decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    return json.loads(script)


@pytest.fixture
def story():
    author = AuthorFactory(
        name_ko="김하늘", name_ja="キム・ハヌル", name_en="Kim Ha-neul"
    )
    article = ArticleFactory(
        authors=[author],
        headline_en="Rates held at 2.5% & <b>markets</b> calm",
        feature_image=ImageFactory(
            is_ai_generated=True, credit="Newsroom graphics", licence="CC BY 4.0"
        ),
        ai_use=Article.AIUse.ASSISTED,
        without_en=False,
    )
    article.tags.add(Tag.objects.create(name_ko="금리", name_ja="金利"))
    Source.objects.create(
        article=article,
        publisher="Example Daily",
        title="Rate decision",
        url="https://www.example.org/rates",
        language="en",
    )
    return article


def test_the_original_lists_its_translations(client, story):
    data = json_ld(client, story.get_absolute_url("ko"))
    assert data["@type"] == "NewsArticle"
    assert data["inLanguage"] == "ko"
    assert data["headline"] == story.headline_ko
    assert data["author"][0]["name"] == "김하늘"
    assert data["author"][0]["url"].endswith(
        story.bylines.get().author.get_absolute_url("ko")
    )
    assert data["keywords"] == ["금리"]
    assert {version["inLanguage"] for version in data["workTranslation"]} == {
        "ja",
        "en",
    }
    assert "translationOfWork" not in data
    assert data["citation"][0]["url"] == "https://www.example.org/rates"
    assert data["image"][0]["digitalSourceType"].endswith("trainedAlgorithmicMedia")
    assert data["image"][0]["copyrightNotice"] == "CC BY 4.0"
    assert data["digitalSourceType"].endswith("compositeWithTrainedAlgorithmicMedia")
    assert data["publisher"]["name"] == "뉴스룸"
    assert data["datePublished"].startswith(str(story.published_at.year))


def test_a_translation_points_at_its_original_in_its_own_language(client, story):
    data = json_ld(client, story.get_absolute_url("en"))
    assert data["inLanguage"] == "en"
    assert data["headline"] == "Rates held at 2.5% & markets calm"
    assert data["author"][0]["name"] == "Kim Ha-neul"
    assert data["translationOfWork"]["inLanguage"] == "ko"
    assert data["translationOfWork"]["url"].endswith(story.get_absolute_url("ko"))
    assert "keywords" not in data  # the tag has no English name
    assert data["publisher"]["name"] == "Newsroom"


def test_json_ld_cannot_break_out_of_its_script_element():
    from reader.structured_data import as_script

    script = as_script({"headline": "3 < 5 </script><script>alert(1)</script>"})
    assert script.count("</script>") == 1
    assert script.endswith("</script>")
    assert json.loads(script[script.index(">") + 1 : -len("</script>")]) == {
        "headline": "3 < 5 </script><script>alert(1)</script>"
    }


def test_the_picture_carries_the_pages_caption_and_credit_this_story_gives_it(
    client,
):
    picture = ImageFactory(
        caption_ko="도서관 설명",
        caption_ja="ライブラリの説明",
        credit_ko="연합뉴스",
        credit_ja="聯合ニュース",
        credit_en="Yonhap",
    )
    story = ArticleFactory(
        feature_image=picture,
        feature_image_caption_ja="この記事の説明",
        feature_image_credit_en="Yonhap / Newsroom",
    )
    # Another story shows the same picture with words of its own.
    ArticleFactory(feature_image=picture, feature_image_caption_ko="다른 기사 설명")

    images = {
        language: json_ld(client, story.get_absolute_url(language))["image"][0]
        for language in ("ko", "ja", "en")
    }

    assert (images["ko"]["caption"], images["ko"]["creditText"]) == (
        "도서관 설명",
        "연합뉴스",
    )
    assert (images["ja"]["caption"], images["ja"]["creditText"]) == (
        "この記事の説明",
        "聯合ニュース",
    )
    assert "caption" not in images["en"]
    assert images["en"]["creditText"] == "Yonhap / Newsroom"
