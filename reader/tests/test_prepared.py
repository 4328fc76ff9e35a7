"""The story page's prepared queries (core/prepared.py) find what the ORM finds."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import BREAKING_HOURS, Article, live_q, read_related_links
from articles.services import article_withhold
from articles.tests.factories import ArticleFactory, CategoryFactory, SeriesFactory
from core.prepared import Param, PreparedQueryError, prepared
from reader.views import neighbours_query, story_page_query
from related.models import RelatedArticle

pytestmark = pytest.mark.django_db


def slugs(article: Article) -> dict[str, str]:
    return {code: getattr(article, f"slug_{code}") for code in ("ko", "ja", "en")}


def test_the_story_page_query_finds_the_stories_live_finds():
    now = timezone.now()
    live = ArticleFactory(published_at=now - timedelta(hours=1))
    scheduled = ArticleFactory(published_at=now + timedelta(hours=1))
    unpublished = ArticleFactory(status=Article.Status.UNPUBLISHED)
    withheld = ArticleFactory(published_at=now - timedelta(hours=2))
    article_withhold(article=withheld, language="ja", withheld=True)
    for article in (live, scheduled, unpublished, withheld):
        for language, slug in slugs(article).items():
            if not slug:
                continue
            found = list(story_page_query(language, slug=slug, now=now))
            expected = list(
                Article.objects.live(language)
                .with_story_parts()
                .with_edition(language)
                .filter(**{f"slug_{language}": slug})
            )
            assert [a.pk for a in found] == [a.pk for a in expected], (
                article,
                language,
            )
            for mine, theirs in zip(found, expected, strict=True):
                assert mine.headline == theirs.headline
                assert mine.category == theirs.category
                assert mine.edition_changed_at == theirs.edition_changed_at
                assert mine.edition_behind_since == theirs.edition_behind_since
                assert list(mine.bylines.all()) == list(theirs.bylines.all())
    assert [a.pk for a in story_page_query("ko", slug=live.slug_ko, now=now)] == [
        live.pk
    ]


def test_the_time_is_given_each_run_not_kept_from_the_first():
    now = timezone.now()
    scheduled = ArticleFactory(published_at=now + timedelta(hours=1))
    assert not list(story_page_query("ko", slug=scheduled.slug_ko, now=now))
    later = now + timedelta(hours=2)
    assert list(story_page_query("ko", slug=scheduled.slug_ko, now=later)) == [
        scheduled
    ]


def test_related_stories_say_whether_they_are_live_at_the_time_given():
    now = timezone.now()
    story = ArticleFactory(published_at=now - timedelta(hours=1))
    soon = ArticleFactory(published_at=now + timedelta(hours=1))
    out = ArticleFactory(published_at=now - timedelta(hours=3))
    for position, related in enumerate((soon, out)):
        RelatedArticle.objects.create(article=story, related=related, position=position)
    read_related_links(story, "ko", now)
    links = list(story.related_articles.all())
    assert [(link.related, link.is_live_here) for link in links] == [
        (soon, False),
        (out, True),
    ]
    # Read with the page: asking the links again asks nothing.
    assert links[0].article is story
    later = now + timedelta(hours=2)
    again = Article.objects.get(pk=story.pk)
    read_related_links(again, "ko", later)
    assert [link.is_live_here for link in again.related_articles.all()] == [
        True,
        True,
    ]


def orm_neighbours(article: Article, language: str) -> tuple:
    """Return the previous and next story as the ORM alone finds them."""
    stories = Article.objects.live(language)
    if article.series_id:
        stories = stories.filter(series=article.series_id)
    else:
        stories = stories.filter(category=article.category_id)
    key = (article.published_at, article.pk)
    ordered = sorted(stories, key=lambda s: (s.published_at, s.pk))
    before = [s for s in ordered if (s.published_at, s.pk) < key]
    after = [s for s in ordered if (s.published_at, s.pk) > key]
    return (before[-1] if before else None, after[0] if after else None)


def prepared_neighbours(article: Article, language: str) -> tuple:
    found = list(
        neighbours_query(
            language,
            "series" if article.series_id else "category",
            group_id=article.series_id or article.category_id,
            moment=article.published_at,
            pk=article.pk,
            now=timezone.now(),
        )
    )
    key = (article.published_at, article.pk)
    before = [s for s in found if (s.published_at, s.pk) < key]
    after = [s for s in found if (s.published_at, s.pk) > key]
    assert len(before) <= 1 and len(after) <= 1
    return (before[0] if before else None, after[0] if after else None)


def test_previous_and_next_stories_are_those_the_orm_finds():
    now = timezone.now()
    section, series = CategoryFactory(), SeriesFactory()
    moments = [now - timedelta(hours=hours) for hours in (5, 4, 4, 3, 1)]
    in_section = [ArticleFactory(category=section, published_at=m) for m in moments]
    in_series = [
        ArticleFactory(category=section, series=series, published_at=m)
        for m in moments[:3]
    ]
    # One of another section, and one of this section still to come.
    ArticleFactory(published_at=now - timedelta(hours=2))
    ArticleFactory(category=section, published_at=now + timedelta(hours=1))
    for article in (*in_section, *in_series):
        article.refresh_from_db()
        for language in ("ko", "ja"):
            assert prepared_neighbours(article, language) == orm_neighbours(
                article, language
            ), (article, language)
    # Two stories at the same moment are told apart by their ids.
    assert prepared_neighbours(in_series[1], "ko") == (in_series[0], in_series[2])


def test_a_prepared_query_cannot_be_changed_or_run_without_its_values():
    now = timezone.now()
    story = ArticleFactory(published_at=now - timedelta(hours=1))
    found = story_page_query("ko", slug=story.slug_ko, now=now)
    with pytest.raises(PreparedQueryError):
        found.filter(pk=story.pk)
    with pytest.raises(PreparedQueryError):
        found.order_by("pk")
    with pytest.raises(PreparedQueryError):
        found[:1]
    with pytest.raises(PreparedQueryError, match="slug"):
        story_page_query("ko", now=now)
    # The same queryset may still be read, and read again.
    assert len(found) == 1
    assert list(found) == [story]


def test_a_prepared_query_is_built_once_for_its_arguments():
    built = []

    @prepared
    def headlined(language: str):
        built.append(language)
        return Article.objects.filter(
            **{f"headline_{language}": Param("headline", models.CharField())}
        )

    one, two = ArticleFactory(), ArticleFactory()
    assert list(headlined("ko", headline=one.headline_ko)) == [one]
    assert list(headlined("ko", headline=two.headline_ko)) == [two]
    assert list(headlined("ja", headline=two.headline_ja)) == [two]
    assert built == ["ko", "ja"]


def test_constants_with_percent_signs_stay_constants():
    @prepared
    def rate_stories():
        return Article.objects.filter(
            headline_ko__contains="50%",
            pk__gte=Param("from", models.BigIntegerField()),
        ).order_by("pk")

    rise = ArticleFactory(headline_ko="기준금리 50% 인상")
    ArticleFactory(headline_ko="기준금리 50 포인트 인상")
    ArticleFactory(headline_ko="기준금리 5% 인상")
    assert list(rate_stories(**{"from": 0})) == [rise]
    assert list(rate_stories(**{"from": rise.pk + 1})) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side PREPARE is PostgreSQL's"
)
# Its own transactions: it closes the connection.
@pytest.mark.django_db(transaction=True)
def test_postgresql_prepares_the_statement_once_a_connection():
    now = timezone.now()
    story = ArticleFactory(published_at=now - timedelta(hours=1))
    other = ArticleFactory(published_at=now - timedelta(hours=2))
    connection.close()

    def statements(article: Article) -> list[str]:
        with CaptureQueriesContext(connection) as context:
            found = list(story_page_query("ja", slug=article.slug_ja, now=now))
        assert found == [article]
        return [query["sql"].split(" ", 1)[0] for query in context.captured_queries]

    assert statements(story)[:2] == ["PREPARE", "EXECUTE"]
    assert statements(other)[0] == "EXECUTE"
    assert "PREPARE" not in statements(story)
    # A new session knows none of the old one's statements.
    connection.close()
    assert statements(other)[:2] == ["PREPARE", "EXECUTE"]


def test_without_prepared_statements_the_query_is_sent_whole(settings):
    settings.NEWSROOM_PREPARED_STATEMENTS = False

    @prepared
    def headlined():
        return Article.objects.filter(headline_ko=Param("headline", models.CharField()))

    story = ArticleFactory()
    with CaptureQueriesContext(connection) as context:
        assert list(headlined(headline=story.headline_ko)) == [story]
    assert [q["sql"].split(" ", 1)[0] for q in context.captured_queries] == ["SELECT"]


def test_live_q_at_a_given_time_is_live_q_now_when_the_time_is_now():
    now = timezone.now()
    ArticleFactory(published_at=now - timedelta(hours=1))
    ArticleFactory(published_at=now + timedelta(hours=1))
    assert set(Article.objects.filter(live_q("ko"))) == set(
        Article.objects.filter(live_q("ko", now=timezone.now()))
    )
    assert (
        Article.objects.filter(live_q("ko", now=now + timedelta(hours=2))).count() == 2
    )


def test_the_home_pages_prepared_blocks_hold_what_the_orm_finds():
    from reader.readership import ranked
    from reader.tests.test_views import full_front_page
    from reader.trending import trending
    from reader.views import front_page

    full_front_page(5)
    # A story to come is in no block yet.
    ArticleFactory(
        placement=Article.Placement.RECOMMENDED,
        is_breaking=True,
        published_at=timezone.now() + timedelta(hours=1),
    )
    live = Article.objects.live("ko")
    page = front_page("ko")
    assert page["breaking"] == live.breaking_now().newest_first().first()
    assert page["breaking"] is not None
    assert page["top_story"] == (
        live.filter(placement=Article.Placement.TOP).newest_first().first()
    )
    assert page["recommended"] == list(
        live.filter(placement=Article.Placement.RECOMMENDED).newest_first()[:5]
    )
    assert len(page["recommended"]) == 4
    for section, stories in page["sections"]:
        assert stories == list(live.filter(category=section).newest_first()[:4])
    assert len(page["sections"]) == 5
    assert page["most_read_day"] == ranked("ko", ["day"], limit=5)["day"]
    assert len(page["most_read_day"]) == 5
    assert page["trending_tags"] == trending("ko", 10)


def test_the_breaking_strip_goes_when_its_hours_are_over():
    from reader.views import front_page

    now = timezone.now()
    story = ArticleFactory(
        is_breaking=True, published_at=now - timedelta(hours=BREAKING_HOURS - 1)
    )
    assert front_page("ko")["breaking"] == story
    # The same prepared query, a later time.
    with time_machine.travel(now + timedelta(hours=2)):
        assert front_page("ko")["breaking"] is None
