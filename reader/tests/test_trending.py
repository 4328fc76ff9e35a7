"""The trending tags: worked out by the worker, read by the home page."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from articles.services import article_unpublish, article_withhold
from articles.tests.factories import ArticleFactory, UserFactory
from frontcache import backends, keys
from frontcache.purge import BATCHES_ATTRIBUTE
from reader.readership import FLUSH_PLANNED_KEY, FLUSH_SECONDS
from reader.trending import trending, trending_refresh
from tags.models import Tag

pytestmark = pytest.mark.django_db


def tagged(tag: Tag, count: int, **fields) -> list:
    stories = ArticleFactory.create_batch(count, **fields)
    for story in stories:
        story.tags.add(tag)
    return stories


def names(language: str) -> list[str]:
    return [getattr(tag, f"name_{language}") for tag in trending(language)]


def test_a_language_trends_the_tags_its_recent_stories_use_most():
    flood = Tag.objects.create(name_ko="홍수", name_ja="洪水")
    election = Tag.objects.create(name_ko="선거", name_ja="選挙")
    korean_only = Tag.objects.create(name_ko="지역 축제")
    tagged(flood, 1)
    tagged(election, 3)
    tagged(korean_only, 2)
    # Older than the window: not counted however many.
    tagged(flood, 5, published_at=timezone.now() - timedelta(days=8))
    withheld = tagged(flood, 4)
    for story in withheld:
        article_withhold(article=story, language="ja", withheld=True)

    assert trending_refresh()
    assert names("ko") == ["홍수", "선거", "지역 축제"]
    # A tag trends where it has a name; a withheld language's stories do
    # not count for it.
    assert names("ja") == ["選挙", "洪水"]
    assert names("en") == []


def test_the_home_page_shows_the_list_as_last_worked_out(client):
    flood = Tag.objects.create(name_ko="홍수")
    tagged(flood, 2)
    trending_refresh()
    election = Tag.objects.create(name_ko="선거")
    tagged(election, 3)

    listed = client.get("/ko/").context["trending_tags"]
    assert [tag.name_ko for tag in listed] == ["홍수"]
    trending_refresh()
    listed = client.get("/ko/").context["trending_tags"]
    assert [tag.name_ko for tag in listed] == ["선거", "홍수"]


def test_a_new_order_is_purged_softly_and_the_same_order_not_at_all(
    run_tasks, django_capture_on_commit_callbacks
):
    tagged(Tag.objects.create(name_ko="홍수"), 2)
    # The set-up's gathered purges wait for a commit that never comes.
    setattr(connection, BATCHES_ATTRIBUTE, {})
    backends.recorded_soft.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert trending_refresh()
    run_tasks()
    assert backends.recorded_soft == [[keys.TRENDING]]

    backends.recorded_soft.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert not trending_refresh()
    run_tasks()
    assert backends.recorded_soft == []


def test_a_story_leaving_readers_plans_the_worker_to_work_the_list_out_again(
    client, run_tasks, django_capture_on_commit_callbacks
):
    flood = Tag.objects.create(name_ko="홍수")
    (story,) = tagged(flood, 1)
    trending_refresh()
    assert names("ko") == ["홍수"]
    cache.delete(FLUSH_PLANNED_KEY)
    setattr(connection, BATCHES_ATTRIBUTE, {})

    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article=story, user=UserFactory(role="editor"))
    assert names("ko") == ["홍수"]
    with time_machine.travel(timezone.now() + timedelta(seconds=FLUSH_SECONDS + 1)):
        assert run_tasks() >= 1
    assert names("ko") == []
