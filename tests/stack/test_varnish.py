"""Our VCL in a real Varnish: readers' pages kept, purged by key, the desk passed.

Changes go through the same path as in production: the save commits, its
purge waits for the worker as a job, the worker (run here in-process) sends
`PURGE` with the keys to this Varnish.
"""

import threading
import time

import pytest
from django.conf import settings
from django.test import override_settings

from articles.models import Article, Category
from articles.services import article_unpublish
from articles.tests.factories import ArticleFactory, UserFactory
from core.jobs import run_due_jobs
from tests.stack.conftest import fetch

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def purging_to(varnish):
    with override_settings(
        NEWSROOM_CACHE={
            **settings.NEWSROOM_CACHE,
            "PURGE_BACKEND": "frontcache.backends.VarnishBackend",
            "PURGE_OPTIONS": {"locations": [varnish]},
        }
    ):
        yield varnish


def story_url(varnish: str, story: Article) -> str:
    return varnish + story.get_absolute_url("ko")


def test_a_page_is_kept_until_its_story_changes_then_fetched_anew(purging_to):
    story = ArticleFactory(headline_ko="첫 제목")
    url = story_url(purging_to, story)
    assert fetch(url).cache == "MISS"
    kept = fetch(url)
    assert kept.cache == "HIT"
    assert "첫 제목" in kept.text
    home = purging_to + "/ko/"
    fetch(home)
    assert fetch(home).cache == "HIT"
    story.headline_ko = "고친 제목"
    story.save()
    assert run_due_jobs() >= 1
    fresh = fetch(url)
    assert fresh.cache == "MISS"
    assert "고친 제목" in fresh.text
    assert fetch(home).cache == "MISS"


def test_an_unpublished_story_is_gone_at_once(purging_to):
    story = ArticleFactory()
    url = story_url(purging_to, story)
    fetch(url)
    assert fetch(url).status == 200
    article_unpublish(article=story, user=UserFactory(role="editor"))
    run_due_jobs()
    assert fetch(url).status == 404


def test_a_purge_reaches_only_the_pages_naming_the_key(purging_to):
    one, other = ArticleFactory(), ArticleFactory()
    for story in (one, other):
        fetch(story_url(purging_to, story))
    answer = fetch(purging_to + "/", method="PURGE", xkey_purge=f"s{one.pk}")
    assert answer.status == 200
    assert fetch(story_url(purging_to, one)).cache == "MISS"
    assert fetch(story_url(purging_to, other)).cache == "HIT"
    assert fetch(purging_to + "/", method="PURGE").status == 400


def test_the_desk_and_sessions_pass_readers_cookies_do_not_split_the_cache(varnish):
    story = ArticleFactory()
    url = story_url(varnish, story)
    fetch(url)
    # A reader's unrelated cookie: the same copy as everyone's.
    assert fetch(url, Cookie="_ga=GA1.2.3").cache == "HIT"
    # Someone with a session gets the app's own answer, never kept.
    with_session = fetch(url, Cookie="sessionid=abc")
    assert with_session.cache == "MISS"
    assert fetch(url, Cookie="sessionid=abc").cache == "MISS"
    for _ in range(2):
        assert fetch(varnish + "/admin/login/").cache == "MISS"


def test_readers_get_gzip_or_plain_text_from_one_copy(varnish):
    story = ArticleFactory(body_ko="<p>" + "부산항 물동량이 늘었다. " * 80 + "</p>")
    url = story_url(varnish, story)
    zipped = fetch(url, Accept_Encoding="gzip")
    assert zipped.headers["Content-Encoding"] == "gzip"
    plain = fetch(url, Accept_Encoding="identity")
    assert plain.cache == "HIT"
    assert "Content-Encoding" not in plain.headers
    assert "부산항 물동량" in plain.text
    # Our keys stay between the app and Varnish.
    assert "Surrogate-Key" not in plain.headers
    assert "xkey" not in plain.headers


def test_a_reader_revalidating_gets_304_from_the_cache(varnish):
    story = ArticleFactory()
    url = story_url(varnish, story)
    first = fetch(url)
    again = fetch(url, If_None_Match=first.headers["ETag"])
    assert again.status == 304
    assert again.cache == "HIT"


def test_a_soft_purge_serves_the_old_page_once_while_it_fetches_the_new(purging_to):
    story = ArticleFactory()
    url = story_url(purging_to, story)
    fetch(url)
    Category.objects.filter(pk=story.category_id).update(name_ko="새 섹션 이름")
    answer = fetch(
        purging_to + "/", method="PURGE", xkey_softpurge=f"sec{story.category_id}"
    )
    assert answer.status == 200
    # The old copy, at once, while Varnish asks the app in the background.
    stale = fetch(url)
    assert stale.cache == "HIT"
    assert "새 섹션 이름" not in stale.text
    deadline = time.monotonic() + 10
    while "새 섹션 이름" not in fetch(url).text:
        assert time.monotonic() < deadline, "the new page never came"
        time.sleep(0.1)


def test_a_page_drawn_before_its_purge_and_kept_after_it_is_not_kept(
    purging_to, monkeypatch
):
    """The purge comes while the page is being drawn from the old story.

    Varnish had nothing to drop then; the old page, arriving after, must not
    stay for its whole lifetime (it did: the edit never showed).
    """
    from reader import views

    story = ArticleFactory(headline_ko="첫 제목")
    url = story_url(purging_to, story)
    loaded, edited = threading.Event(), threading.Event()
    draw = views.story_page_context

    def slow_draw(article, language):
        # The story is read already: hold the page until the edit is purged.
        loaded.set()
        edited.wait(timeout=20)
        return draw(article, language)

    monkeypatch.setattr(views, "story_page_context", slow_draw)
    first: dict = {}
    reader = threading.Thread(target=lambda: first.update(answer=fetch(url)))
    reader.start()
    assert loaded.wait(timeout=20)
    story.headline_ko = "고친 제목"
    story.save()
    assert run_due_jobs() >= 1
    edited.set()
    reader.join(timeout=20)
    monkeypatch.setattr(views, "story_page_context", draw)

    # Told the page was begun before the purge, Varnish asked again: the
    # reader who waited gets the edited story, and so does the next, from
    # the cache.
    assert "고친 제목" in first["answer"].text
    assert "Drawn-Before-Purge" not in first["answer"].headers
    again = fetch(url)
    assert again.cache == "HIT"
    assert "고친 제목" in again.text
