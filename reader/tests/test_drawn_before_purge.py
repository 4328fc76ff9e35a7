"""A page begun before a purge of what it shows is not kept by the front cache.

tests/stack/test_varnish.py has the same in a real Varnish, which asks again.
"""

import time

import pytest
from django.core.cache import cache

from articles.tests.factories import ArticleFactory
from frontcache import keys
from frontcache.purge import CLOCK_MARGIN_SECONDS, note_purged
from reader import views

pytestmark = pytest.mark.django_db


def test_a_page_begun_before_its_story_was_purged_goes_out_unkept(client, monkeypatch):
    story = ArticleFactory()
    url = story.get_absolute_url("ko")
    draw = views.story_page_context

    def purged_meanwhile(article, language):
        note_purged([keys.story(article.pk)])
        return draw(article, language)

    monkeypatch.setattr(views, "story_page_context", purged_meanwhile)
    drawn = client.get(url)
    assert drawn.status_code == 200
    assert "no-store" in drawn["Cache-Control"]
    assert "public" not in drawn["Cache-Control"]
    assert drawn["Drawn-Before-Purge"] == "1"

    monkeypatch.setattr(views, "story_page_context", draw)
    time.sleep(CLOCK_MARGIN_SECONDS * 2)
    later = client.get(url)
    assert "public" in later["Cache-Control"]
    assert "Drawn-Before-Purge" not in later


def test_a_purge_elsewhere_leaves_the_page_kept(client):
    story, other = ArticleFactory(), ArticleFactory()
    note_purged([keys.story(other.pk)])
    response = client.get(story.get_absolute_url("ko"))
    assert "public" in response["Cache-Control"]
    assert "Drawn-Before-Purge" not in response


def test_without_the_cache_a_readers_page_is_served_and_kept(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "get_many", broken)
    response = client.get(ArticleFactory().get_absolute_url("ko"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
