import itertools
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from articles.models import LIVE_FIELDS, Article
from articles.services import article_withhold
from articles.tests.factories import ArticleFactory, CategoryFactory
from core.slugs import make_slug

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("서울 지하철, 심야 운행 1시간 연장", "서울-지하철-심야-운행-1시간-연장"),
        ("東京都、猛暑で「警戒」を発令", "東京都-猛暑で-警戒-を発令"),
        ("기준금리 2.25% 동결…부채·환율 점검", "기준금리-2-25-동결-부채-환율-점검"),
        ("Ｆｕｌｌ－width Ｔｅｘｔ", "full-width-text"),
        ("!!! ??? …", "story"),
        ("", "story"),
    ],
)
def test_make_slug_keeps_korean_and_japanese_and_is_never_empty(text, slug):
    assert make_slug(text) == slug


def test_make_slug_cuts_long_headlines_at_a_hyphen():
    slug = make_slug("가나다라 " * 60)
    assert len(slug) <= 120
    assert not slug.endswith("-")
    assert slug.endswith("가나다라")


def test_slugs_are_made_from_each_languages_headline_on_save():
    article = ArticleFactory(
        headline_ko="부산 항만 물동량 증가", headline_ja="釜山港の貨物量が増加"
    )
    assert article.slug_ko == "부산-항만-물동량-증가"
    assert article.slug_ja == "釜山港の貨物量が増加"
    assert article.slug_en.startswith("port-cargo-rises")


def test_a_language_without_a_headline_gets_no_slug():
    article = ArticleFactory(without_ja=True)
    assert article.slug_ja in ("", None)


def test_generated_slugs_do_not_collide_within_a_language():
    first = ArticleFactory(headline_ko="같은 제목")
    second = ArticleFactory(headline_ko="같은 제목")
    assert first.slug_ko == "같은-제목"
    assert second.slug_ko == "같은-제목-2"


def test_two_stories_may_share_a_slug_in_different_languages():
    ArticleFactory(slug_ko="tokyo", slug_ja="tokyo-ja")
    other = ArticleFactory(slug_ko="tokyo-ko", slug_ja="tokyo")
    assert other.slug_ja == "tokyo"


def test_the_database_refuses_a_duplicate_slug_in_one_language():
    ArticleFactory(slug_ja="同じ")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug_ja="同じ")


def test_validation_names_the_duplicate_slug_field():
    ArticleFactory(slug_en="same-slug")
    article = ArticleFactory.build(
        slug_en="same-slug", category=CategoryFactory(), authors=None
    )
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "slug_en" in error.value.message_dict
    assert "slug_ko" not in error.value.message_dict


def test_empty_slugs_never_collide():
    ArticleFactory(without_ja=True)
    ArticleFactory(without_ja=True)
    assert Article.objects.filter(slug_ja__gt="").count() == 0


def test_the_source_language_needs_a_headline_and_body():
    article = ArticleFactory.build(
        source_language="ja",
        headline_ja="",
        body_ja="",
        category=CategoryFactory(),
    )
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert set(error.value.message_dict) == {"headline_ja", "body_ja"}


def test_a_korean_story_needs_no_translation():
    article = ArticleFactory.build(
        headline_ja="",
        body_ja="",
        headline_en="",
        body_en="",
        category=CategoryFactory(),
    )
    article.full_clean()


def test_publishing_without_a_time_sets_it():
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)
    assert article.published_at is not None


def test_the_database_refuses_a_published_story_without_a_time():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script><p>ok</p>",
        '<p onclick="alert(1)">ok</p>',
        '<p style="color:red">ok</p>',
        '<iframe src="https://example.org"></iframe><p>ok</p>',
        '<p><a href="javascript:alert(1)">ok</a></p>',
        '<p><a href="data:text/html,x">ok</a></p>',
    ],
)
def test_body_html_is_sanitised_on_save_in_every_language(payload):
    article = ArticleFactory(body_ko=payload, body_ja=payload, body_en=payload)
    article.refresh_from_db()
    for stored in (article.body_ko, article.body_ja, article.body_en):
        lowered = stored.lower()
        for forbidden in (
            "<script",
            "onclick",
            "style=",
            "<iframe",
            "javascript:",
            "data:",
        ):
            assert forbidden not in lowered
        assert "ok" in stored


def test_allowed_markup_survives_sanitising():
    body = (
        "<h2>소제목</h2><p><strong>굵게</strong> <em>기울임</em> <mark>강조</mark> "
        '<a href="https://www.example.org/a">링크</a></p><hr><blockquote>인용</blockquote>'
        "<ul><li>하나</li></ul><p><ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby></p>"
    )
    article = ArticleFactory(body_ko=body)
    article.refresh_from_db()
    for tag in (
        "<h2>",
        "<strong>",
        "<em>",
        "<mark>",
        "<hr>",
        "<blockquote>",
        "<li>",
        "<ruby>",
        "<rt>",
    ):
        assert tag in article.body_ko
    assert 'href="https://www.example.org/a"' in article.body_ko


def test_is_live_in_and_live_agree_on_every_kind_of_story():
    """The Python reading of the rule (story pages, related links) and the
    query (lists, feeds) give the same answer, field by field."""
    now = timezone.now()
    times = {
        "none": None,
        "past": now - timedelta(hours=1),
        "future": now + timedelta(hours=1),
    }
    cases = {}
    for status, when, missing, withheld in itertools.product(
        [Article.Status.PUBLISHED, Article.Status.UNPUBLISHED, Article.Status.DRAFT],
        times,
        [None, *LIVE_FIELDS],
        [False, True],
    ):
        if when == "none" and status != Article.Status.DRAFT:
            continue  # a published or unpublished story always has a time
        article = ArticleFactory(status=status, published_at=times[when])
        if missing:
            Article.objects.filter(pk=article.pk).update(**{f"{missing}_ja": ""})
        if withheld:
            article_withhold(article=article, language="ja", withheld=True)
        cases[article.pk] = (status, when, missing, withheld)
    live = set(Article.objects.live("ja").values_list("pk", flat=True))
    for article in Article.objects.all():
        expected = cases[article.pk] == (Article.Status.PUBLISHED, "past", None, False)
        assert article.is_live_in("ja") is expected, cases[article.pk]
        assert (article.pk in live) is expected, cases[article.pk]
    assert len(live) == 1


@pytest.mark.parametrize("field", LIVE_FIELDS)
def test_a_story_whose_text_is_null_in_a_language_is_not_live_there(field):
    story = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )
    Article.objects.filter(pk=story.pk).update(**{f"{field}_ja": None})

    assert not Article.objects.live("ja").filter(pk=story.pk).exists()
    assert Article.objects.live("ko").filter(pk=story.pk).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the partial indexes are PostgreSQL's"
)
@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_the_database_can_read_a_languages_live_stories_from_its_own_index(language):
    """The index's condition and live() say "visible" alike, or it goes unused.

    With a few rows the planner would rather scan the table: forbidding that
    shows whether it could prove the index holds every row the query wants.
    """
    ArticleFactory.create_batch(3, status=Article.Status.PUBLISHED)
    latest = Article.objects.live(language).newest_first().values("pk")[:20]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = latest.explain()

    assert f"article_live_{language}" in plan


def test_a_story_links_to_itself_in_any_language_without_changing_the_active_one():
    story = ArticleFactory(slug_ko="서울-속보", slug_ja="東京-速報")

    with translation.override("ko"):
        assert (
            story.get_absolute_url()
            == "/ko/stories/%EC%84%9C%EC%9A%B8-%EC%86%8D%EB%B3%B4/"
        )
        assert story.get_absolute_url("ja") == f"/ja/stories/{quote('東京-速報')}/"
        assert translation.get_language() == "ko"
