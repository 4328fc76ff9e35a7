"""The worker notes each purge, for the pages drawn meanwhile.

What a page does with the notes: reader/tests/test_drawn_before_purge.py.
"""

import time

import pytest
from django.core.cache import cache

from frontcache.purge import keys_purge, purged_since

pytestmark = pytest.mark.django_db


def test_the_worker_notes_the_keys_it_purges():
    before = time.time()
    assert keys_purge(keys=["s41", "home"]) == "purged"
    assert purged_since(["s41"], before)
    assert purged_since(["x", "home"], before)
    assert not purged_since(["s42"], before)
    assert not purged_since(["s41"], time.time() + 1)


def test_without_the_cache_purges_go_on_and_nothing_counts_as_purged(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "set_many", broken)
    assert keys_purge(keys=["s43"]) == "purged"
    assert not purged_since(["s43"], 0)
