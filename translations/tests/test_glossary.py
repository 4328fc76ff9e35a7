"""The glossary: the pairs machine translators get, and names spelled another way."""

import unicodedata

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import ArticleFactory
from translations.glossary import glossary_for, glossary_problems
from translations.tests.factories import GlossaryTermFactory
from translations.tests.test_services import edit

pytestmark = pytest.mark.django_db


@pytest.fixture
def seoul(db):
    return GlossaryTermFactory(name_ko="서울시", name_ja="ソウル市", name_en="Seoul")


def flagged(article: Article, language: str) -> list[tuple[str, str, str]]:
    article = Article.objects.get(pk=article.pk)
    return [
        (problem["unit"].key, problem["source_form"], problem["target_form"])
        for problem in glossary_problems(article, language)
    ]


def test_glossary_for_pairs_the_terms_spelled_in_both_languages(seoul):
    GlossaryTermFactory(name_ko="박지성", name_ja="", name_en="Park Ji-sung")
    # Decomposed Hangul (as some keyboards and PDFs give it) is stored NFC.
    GlossaryTermFactory(
        name_ko=unicodedata.normalize("NFD", "부산항"), name_ja="釜山港", name_en=""
    )
    assert glossary_for("ko", "ja") == {"서울시": "ソウル市", "부산항": "釜山港"}
    assert glossary_for("ko", "en") == {"서울시": "Seoul", "박지성": "Park Ji-sung"}
    assert glossary_for("en", "ja") == {"Seoul": "ソウル市"}


def test_a_name_spelled_another_way_is_flagged_and_the_right_one_is_not(
    seoul, korean_story, editor, translator
):
    # A particle glued to the name (서울시는) is still the name.
    edit(
        korean_story,
        editor,
        headline_ko="서울시는 빗물 터널을 열었다",
        body_ko="<p>서울시의 새 터널.</p>",
    )
    edit(
        korean_story,
        translator,
        headline_ja="ソウル都が雨水トンネルを開いた",
        body_ja="<p>ソウル市の新しいトンネル。</p>",
    )
    assert flagged(korean_story, "ja") == [("headline", "서울시", "ソウル市")]
    # Not translated into English: nothing is spelled wrong there yet.
    assert flagged(korean_story, "en") == []
    assert flagged(korean_story, "ko") == []


def test_english_names_match_whole_words_in_any_case(db, editor):
    GlossaryTermFactory(name_ko="박", name_ja="パク", name_en="Park")
    story = ArticleFactory(
        source_language="en",
        headline_en="Park opens a car park",
        body_en="<p>Parking is free.</p>",
        headline_ja="パク氏が駐車場を開く",
        body_ja="<p>駐車は無料。</p>",
    )
    assert flagged(story, "ja") == []
    edit(story, editor, headline_ja="朴氏が駐車場を開く")
    assert flagged(story, "ja") == [("headline", "Park", "パク")]

    GlossaryTermFactory(name_ko="서울시", name_ja="ソウル市", name_en="Seoul City")
    edit(
        story,
        editor,
        headline_ko="서울시가 주차장을 열다",
        body_ko="<p>서울시.</p>",
        source_language="ko",
    )
    edit(story, editor, headline_en="seoul city opens a car park")
    assert ("headline", "서울시", "Seoul City") not in flagged(story, "en")


def test_a_name_in_a_link_address_is_not_read(seoul, korean_story, editor, translator):
    edit(
        korean_story,
        editor,
        body_ko='<p><a href="https://example.com/서울시">시청</a> 소식</p>',
    )
    edit(korean_story, translator, body_ja="<p>市役所のニュース</p>")
    assert flagged(korean_story, "ja") == []


def test_the_story_page_lists_the_names_spelled_another_way(
    client, seoul, korean_story, editor
):
    edit(korean_story, editor, headline_ko="서울시, 빗물 터널 완공")
    edit(korean_story, editor, headline_ja="ソウル都、雨水トンネル完成")
    client.force_login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(
        reverse("admin:articles_article_change", args=[korean_story.pk])
    ).content.decode()
    assert "Glossary: “서울시” should be “ソウル市” in Japanese (headline)" in html
