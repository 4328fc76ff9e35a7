"""Keys named during a transaction are purged once, after it commits."""

import pytest
from django.db import transaction

from frontcache.purge import after_commit

pytestmark = pytest.mark.django_db(transaction=True)


def test_keys_named_in_a_transaction_are_flushed_once_after_commit():
    flushed: list[set[str]] = []
    with transaction.atomic():
        after_commit("t", {"a"}, flushed.append)
        with transaction.atomic():
            after_commit("t", {"b"}, flushed.append)
        assert flushed == []
    assert flushed == [{"a", "b"}]


def test_outside_a_transaction_keys_are_flushed_at_once():
    flushed: list[set[str]] = []
    after_commit("t", {"a"}, flushed.append)
    assert flushed == [{"a"}]


def test_a_rolled_back_transaction_flushes_nothing_and_the_next_one_starts_anew():
    flushed: list[set[str]] = []
    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit("t", {"gone"}, flushed.append)
        raise RuntimeError
    with transaction.atomic():
        after_commit("t", {"kept"}, flushed.append)
    assert flushed == [{"kept"}]


def test_a_rolled_back_savepoint_does_not_lose_the_keys_named_after_it():
    flushed: list[set[str]] = []
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            after_commit("t", {"inner"}, flushed.append)
            raise RuntimeError
        after_commit("t", {"after"}, flushed.append)
    assert flushed == [{"after"}]
