"""Reads counted in Redis, added to the database by the worker, ranked ahead of time."""

import os
import uuid
from datetime import timedelta

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.tests.factories import ArticleFactory
from frontcache import backends
from frontcache.purge import BATCHES_ATTRIBUTE
from reader.models import Ranking, StoryRead
from reader.readership import reads_flush
from reader.tests.test_readership import post_read

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    backends.recorded.clear()
    setattr(connection, BATCHES_ATTRIBUTE, {})
    yield
    cache.clear()
    backends.recorded.clear()


@pytest.fixture
def counting_redis():
    """Count reads in a real Redis, under a key of this test's own."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        message = (
            f"these tests need Redis at {REDIS_URL} (apt-get install redis-server)"
        )
        if os.environ.get("NEWSROOM_REQUIRE_REDIS") == "1":
            pytest.fail(f"NEWSROOM_REQUIRE_REDIS=1 but {message}")
        pytest.skip(f"skipped: {message}")
    key = f"newsroom-test:{uuid.uuid4().hex}"
    with override_settings(NEWSROOM_READS_REDIS_URL=REDIS_URL, NEWSROOM_READS_KEY=key):
        yield client, key
    for leftover in client.scan_iter(f"{key}*"):
        client.delete(leftover)


def run_planned_flush(run_tasks, django_capture_on_commit_callbacks) -> None:
    """Run the planned flush now, as the worker would FLUSH_SECONDS later."""
    planned = DBTaskResult.objects.filter(task_path="reader.tasks.flush_reads")
    assert planned.filter(status="READY").count() == 1
    assert planned.get().run_after > timezone.now() + timedelta(seconds=5)
    planned.update(run_after=timezone.now())
    # The test's transaction never commits: what the set-up gathered would
    # wait for it, out of this capture's reach.
    setattr(connection, BATCHES_ATTRIBUTE, {})
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    # The purges it left, as the purge worker runs them.
    run_tasks()


def test_reads_become_a_ranking_the_home_page_shows_and_purges(
    client, run_tasks, django_capture_on_commit_callbacks
):
    favourite, other = (
        ArticleFactory(headline_ko="가장 많이 읽은 기사"),
        ArticleFactory(),
    )
    for number in range(3):
        post_read(client, favourite, ip=f"192.0.2.{number}")
    post_read(client, other)
    run_planned_flush(run_tasks, django_capture_on_commit_callbacks)
    day = Ranking.objects.filter(language="ko", window="day")
    assert list(day.values_list("article_id", "reads")) == [
        (favourite.pk, 3),
        (other.pk, 1),
    ]
    assert ["most-read"] in backends.recorded
    html = client.get(reverse("reader:home")).content.decode()
    ranking = html.split('class="compact-list ranking"')[1].split("</ol>")[0]
    assert ranking.index("가장 많이 읽은 기사") < ranking.index(other.headline_ko)
    # The same order again: nothing to purge.
    backends.recorded.clear()
    assert reads_flush()["rankings_changed"] is False
    assert backends.recorded == []


def test_a_ranked_story_unpublished_leaves_the_home_page_at_once(client):
    story = ArticleFactory(headline_ko="내려간 기사")
    Ranking.objects.create(
        language="ko", window="day", position=0, article=story, reads=9
    )
    assert "내려간 기사" in client.get(reverse("reader:home")).content.decode()
    Article.objects.filter(pk=story.pk).update(status=Article.Status.UNPUBLISHED)
    assert "내려간 기사" not in client.get(reverse("reader:home")).content.decode()


def test_the_home_page_costs_the_same_queries_however_many_reads(
    client, django_assert_num_queries
):
    stories = [ArticleFactory() for _ in range(3)]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for position, story in enumerate(stories):
        Ranking.objects.create(
            language="ko", window="day", position=position, article=story, reads=1
        )
    client.get(reverse("reader:home"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("reader:home"))
    StoryRead.objects.bulk_create(
        StoryRead(article=story, language="ko", hour=now - timedelta(hours=h), count=5)
        for story in stories
        for h in range(150)
    )
    with django_assert_num_queries(len(before)):
        client.get(reverse("reader:home"))


def test_redis_counts_reads_and_the_flush_adds_them_to_the_hours_rows(
    client, counting_redis, run_tasks, django_capture_on_commit_callbacks
):
    redis_client, key = counting_redis
    story = ArticleFactory()
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    StoryRead.objects.create(article=story, language="ko", hour=hour, count=5)
    post_read(client, story, ip="192.0.2.1")
    post_read(client, story, ip="192.0.2.2")
    # Counted in Redis, not yet in the database.
    assert StoryRead.objects.get().count == 5
    assert redis_client.hgetall(key) == {
        f"{story.pk}:ko:{int(hour.timestamp())}".encode(): b"2"
    }
    run_planned_flush(run_tasks, django_capture_on_commit_callbacks)
    assert StoryRead.objects.get().count == 7
    assert not list(redis_client.scan_iter(f"{key}*"))
    assert Ranking.objects.get(language="ko", window="day").reads == 7


def test_a_flush_that_failed_halfway_is_finished_by_the_next(counting_redis):
    redis_client, key = counting_redis
    story = ArticleFactory()
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    stamp = int(hour.timestamp())
    # Renamed away by a flush that then failed, and new reads since.
    redis_client.hset(f"{key}:taking:earlier", f"{story.pk}:ja:{stamp}", 4)
    redis_client.hset(key, f"{story.pk}:ja:{stamp}", 1)
    # A read of a story deleted meanwhile is dropped, not an error.
    redis_client.hset(key, f"999999:ja:{stamp}", 3)
    assert reads_flush()["reads"] == 5
    assert StoryRead.objects.get(language="ja").count == 5
    assert not list(redis_client.scan_iter(f"{key}*"))
