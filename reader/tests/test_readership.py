import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from articles.tests.factories import ArticleFactory
from reader.models import StoryRead
from reader.readership import (
    is_bot,
    most_read,
    most_read_day,
    most_read_week,
    story_read_record,
)

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
)
OTHER_BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36"
)
NOON = datetime(2026, 3, 10, 12, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def read_url(language: str) -> str:
    with translation.override(language):
        return reverse("reader:read")


def post_read(
    client,
    article,
    language="ko",
    *,
    user_agent=BROWSER,
    ip="203.0.113.7",
):
    return client.post(
        read_url(language),
        {"article": str(article.pk)},
        HTTP_USER_AGENT=user_agent,
        REMOTE_ADDR=ip,
    )


def counts() -> dict[tuple[int, str, datetime], int]:
    return {
        (read.article_id, read.language, read.hour): read.count
        for read in StoryRead.objects.all()
    }


def test_the_address_has_the_language_prefix():
    assert read_url("ko") == "/ko/reads/"
    assert read_url("ja") == "/ja/reads/"


def test_reads_are_counted_per_story_language_and_hour(client):
    with time_machine.travel(NOON, tick=False):
        story, other = ArticleFactory(), ArticleFactory()
        assert post_read(client, story, "ko", ip="203.0.113.1").status_code == 204
        assert post_read(client, story, "ko", ip="203.0.113.2").status_code == 204
        assert post_read(client, story, "ja", ip="203.0.113.1").status_code == 204
        assert post_read(client, other, "en", ip="203.0.113.1").status_code == 204
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        assert post_read(client, story, "ko", ip="203.0.113.3").status_code == 204
    noon, one = NOON.replace(minute=0), NOON.replace(minute=0) + timedelta(hours=1)
    assert counts() == {
        (story.pk, "ko", noon): 2,
        (story.pk, "ja", noon): 1,
        (other.pk, "en", noon): 1,
        (story.pk, "ko", one): 1,
    }


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "   ",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)",
        "facebookexternalhit/1.1",
        "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/140.0.0.0 Safari/537.36",
        "python-requests/2.32.3",
        "curl/8.5.0",
        "Wget/1.21.4",
        "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    ],
)
def test_bots_and_empty_user_agents_are_answered_but_not_counted(client, user_agent):
    story = ArticleFactory()
    response = post_read(client, story, user_agent=user_agent)
    assert response.status_code == 204
    assert not StoryRead.objects.exists()


@pytest.mark.parametrize("user_agent", [BROWSER, OTHER_BROWSER])
def test_browsers_are_not_bots(user_agent):
    assert not is_bot(user_agent)


def test_a_reload_within_the_window_counts_once_but_another_address_counts(
    client, settings
):
    settings.NEWSROOM_READ_DEDUPE_SECONDS = 1800
    with time_machine.travel(NOON, tick=False):
        story = ArticleFactory()
        post_read(client, story)
        post_read(client, story)
        post_read(client, story, ip="198.51.100.9")
        # The same address with another browser is the same reader.
        post_read(client, story, user_agent=OTHER_BROWSER)
        post_read(client, story, "ja")
    assert counts() == {
        (story.pk, "ko", NOON.replace(minute=0)): 2,
        (story.pk, "ja", NOON.replace(minute=0)): 1,
    }


def test_the_same_visitor_counts_again_after_the_window(client, settings):
    settings.NEWSROOM_READ_DEDUPE_SECONDS = 0
    story = ArticleFactory()
    post_read(client, story)
    post_read(client, story)
    assert StoryRead.objects.get().count == 2


@pytest.mark.parametrize("ip", ["203.0.113.7", "2001:db8:85a3:8d3::7334"])
def test_nothing_identifying_is_stored(ip):
    story = ArticleFactory()
    story_read_record(article_id=story.pk, language="ko", ip=ip, user_agent=BROWSER)
    keys = list(cache._cache.keys())
    assert keys
    for key in keys:
        for clue in (ip, "203.0.113", "2001:db8", "iPhone"):
            assert clue not in key
    assert list(StoryRead.objects.values("language", "count")) == [
        {"language": "ko", "count": 1}
    ]


def test_an_address_rotating_its_browser_counts_once_per_story(client):
    with time_machine.travel(NOON, tick=False):
        story = ArticleFactory()
        for number in range(300):
            user_agent = f"Mozilla/5.0 (X11; Linux x86_64; rv:{number}.0) Firefox/140.0"
            assert post_read(client, story, user_agent=user_agent).status_code == 204
    assert counts() == {(story.pk, "ko", NOON.replace(minute=0)): 1}


def test_an_address_counts_at_most_its_hourly_reads_across_all_stories(
    client, settings
):
    settings.NEWSROOM_READS_PER_ADDRESS_HOUR = 5
    with time_machine.travel(NOON, tick=False):
        stories = ArticleFactory.create_batch(12)
        for story in stories:
            post_read(client, story, "ko")
            post_read(client, story, "ja")
        assert sum(counts().values()) == 5
        # Another reader is not held back by the first one.
        post_read(client, stories[-1], ip="198.51.100.9")
        assert sum(counts().values()) == 6
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        for story in stories:
            post_read(client, story, "en")
    assert sum(counts().values()) == 11


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # One IPv6 /64 is one household or one device: one reader.
        ("2001:db8:1:2::1", "2001:db8:1:2:abcd:ef01:2345:6789", 1),
        ("2001:db8:1:2::1", "2001:db8:1:3::1", 2),
        # An IPv4 address, however it is written, is one reader.
        ("203.0.113.7", "::ffff:203.0.113.7", 1),
        ("203.0.113.7", "203.0.113.8", 2),
    ],
)
def test_a_reader_is_an_ipv4_address_or_an_ipv6_64_prefix(
    client, first, second, expected
):
    story = ArticleFactory()
    post_read(client, story, ip=first)
    post_read(client, story, ip=second, user_agent=OTHER_BROWSER)
    assert StoryRead.objects.get().count == expected


@pytest.mark.parametrize(("proxies", "expected"), [(1, 3), (0, 1)])
def test_readers_behind_our_proxy_count_apart_only_when_it_is_trusted(
    client, settings, proxies, expected
):
    settings.NEWSROOM_TRUSTED_PROXIES = proxies
    story = ArticleFactory()
    for reader in ("203.0.113.7", "198.51.100.9", "2001:db8:1:2::1"):
        client.post(
            read_url("ko"),
            {"article": str(story.pk)},
            HTTP_USER_AGENT=BROWSER,
            HTTP_X_FORWARDED_FOR=reader,
            REMOTE_ADDR="10.0.0.1",
        )
    assert StoryRead.objects.get().count == expected


def test_a_story_not_live_in_the_language_is_not_found_and_not_counted(client):
    no_japanese = ArticleFactory(without_ja=True)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    assert post_read(client, no_japanese, "ja").status_code == 404
    assert post_read(client, draft, "ko").status_code == 404
    assert post_read(client, scheduled, "ko").status_code == 404
    assert not StoryRead.objects.exists()
    assert post_read(client, no_japanese, "ko").status_code == 204


@pytest.mark.parametrize("raw", [None, "", "abc", "0", "-3", "1.5", "٣", "9" * 19])
def test_a_missing_or_malformed_id_is_a_bad_request(client, raw):
    data = {} if raw is None else {"article": raw}
    response = client.post(read_url("ko"), data, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["get", "head", "put", "delete"])
def test_only_post_is_allowed(client, method):
    response = getattr(client, method)(read_url("ko"), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["Cache-Control"] == "no-store"


def test_the_answer_sets_no_cookie_and_is_never_stored(admin_user):
    story = ArticleFactory()
    reader = Client(enforce_csrf_checks=True)
    editor = Client(enforce_csrf_checks=True)
    editor.force_login(admin_user)
    for client, ip in ((reader, "203.0.113.1"), (editor, "203.0.113.2")):
        response = post_read(client, story, ip=ip)
        assert response.status_code == 204
        assert response.cookies == {}
        assert "Set-Cookie" not in response.headers
        assert response["Cache-Control"] == "no-store"
    assert post_read(reader, story, "ja").status_code == 204
    assert StoryRead.objects.filter(language="ko").get().count == 2


def test_errors_are_never_stored_either(client):
    story = ArticleFactory(without_en=True)
    for response in (
        post_read(client, story, "en"),
        client.post(read_url("ko"), {"article": "x"}, HTTP_USER_AGENT=BROWSER),
    ):
        assert response["Cache-Control"] == "no-store"
        assert response.cookies == {}


def _read(article, language: str, hour: datetime, count: int) -> None:
    StoryRead.objects.create(
        article=article, language=language, hour=hour.replace(minute=0), count=count
    )


def test_the_day_ranking_covers_24_hours_and_the_week_ranking_7_days(client):
    with time_machine.travel(NOON - timedelta(days=5), tick=False):
        old_favourite, today_story = ArticleFactory(), ArticleFactory()
    with time_machine.travel(NOON - timedelta(days=3), tick=False):
        for number in range(3):
            post_read(client, old_favourite, ip=f"192.0.2.{number}")
    with time_machine.travel(NOON, tick=False):
        post_read(client, today_story)
        assert most_read_day("ko") == [today_story]
        assert most_read_week("ko") == [old_favourite, today_story]
        assert [story.read_count for story in most_read_week("ko")] == [3, 1]
        assert most_read_day("ja") == []


def test_a_ranking_counts_exactly_its_last_hours():
    story = ArticleFactory(published_at=NOON - timedelta(days=10))
    _read(story, "ko", NOON - timedelta(hours=24), 5)  # 24 buckets ago: out
    _read(story, "ko", NOON - timedelta(hours=23), 2)
    _read(story, "ko", NOON, 1)
    _read(story, "ko", NOON - timedelta(days=7), 100)
    _read(story, "ja", NOON, 50)
    with time_machine.travel(NOON, tick=False):
        assert [s.read_count for s in most_read("ko", hours=24)] == [3]
        assert [s.read_count for s in most_read("ko", hours=1)] == [1]
        assert [s.read_count for s in most_read_week("ko")] == [8]


def test_a_ranking_orders_by_reads_then_newest_and_stops_at_the_limit():
    with time_machine.travel(NOON, tick=False):
        older = ArticleFactory(published_at=NOON - timedelta(hours=5))
        newer = ArticleFactory(published_at=NOON - timedelta(hours=2))
        top = ArticleFactory(published_at=NOON - timedelta(hours=9))
        for story, reads in ((older, 4), (newer, 4), (top, 9)):
            _read(story, "ko", NOON - timedelta(hours=1), reads)
        assert most_read_day("ko") == [top, newer, older]
        assert most_read_day("ko", limit=2) == [top, newer]


def test_a_ranking_lists_only_stories_live_in_its_language():
    with time_machine.travel(NOON, tick=False):
        everywhere = ArticleFactory()
        no_japanese = ArticleFactory(without_ja=True)
        unpublished = ArticleFactory()
        for story in (everywhere, no_japanese, unpublished):
            _read(story, "ja", NOON, 10)
            _read(story, "ko", NOON, 10)
        Article.objects.filter(pk=unpublished.pk).update(
            status=Article.Status.UNPUBLISHED
        )
        assert most_read_day("ja") == [everywhere]
        assert set(most_read_day("ko")) == {everywhere, no_japanese}


@pytest.mark.parametrize("stories", [3, 12])
def test_a_ranking_with_its_cards_takes_two_queries(stories, django_assert_num_queries):
    with time_machine.travel(NOON, tick=False):
        for number in range(stories):
            _read(ArticleFactory(), "ko", NOON, number + 1)
        with django_assert_num_queries(2):
            ranking = most_read_day("ko", limit=20)
            for story in ranking:
                assert story.category.name_ko
                assert story.byline_authors()
        assert len(ranking) == stories


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)
def test_simultaneous_first_reads_of_an_hour_all_count():
    story = ArticleFactory()
    readers = 8
    start = threading.Barrier(readers)
    errors: list[str] = []

    def read(number: int) -> None:
        try:
            start.wait()
            story_read_record(
                article_id=story.pk,
                language="ko",
                ip=f"203.0.113.{number}",
                user_agent=BROWSER,
            )
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            errors.append(repr(error))
        finally:
            connection.close()

    with time_machine.travel(NOON, tick=False):
        threads = [threading.Thread(target=read, args=(n,)) for n in range(readers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert StoryRead.objects.get().count == readers


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (2, "203.0.113.9", "10.0.0.1"),
    ],
)
def test_the_readers_address_is_read_past_our_own_proxies_only(
    settings, rf, proxies, forwarded, expected
):
    from reader.views_reads import client_address

    settings.NEWSROOM_TRUSTED_PROXIES = proxies
    request = rf.post(
        "/ko/reads/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1"
    )
    assert client_address(request) == expected
