"""Purge the front cache by key: after commit, through the worker, retried.

`purge_after_commit(keys)` is what the apps call from their signal handlers,
as often as they like: the keys named in one transaction are gathered and
sent to the worker as one job once it commits (nothing if it rolls back).
The job asks the configured backend; a purge that fails is tried again after
1, 5, 30 and 120 seconds, then given up and shown on the desk's page of
background work.
"""

import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.module_loading import import_string
from prometheus_client import Counter

from core.retries import GivenUp, retry_later
from frontcache.backends import PurgeBackend, PurgeFailed

logger = logging.getLogger(__name__)

PURGES = Counter(
    "newsroom_cache_purges_total",
    "Purges of the front cache, by result: purged, retry (failed, tried again "
    "later), given_up.",
    ["result"],
)
# Short waits: a reader must not see an unpublished story for long.
PURGE_RETRY_DELAYS = (1, 5, 30, 120)
BATCHES_ATTRIBUTE = "frontcache_batches"


def backend() -> PurgeBackend | None:
    """Return the configured backend, or None when no front cache is set up."""
    config = settings.NEWSROOM_CACHE
    if not config["PURGE_BACKEND"]:
        return None
    made: PurgeBackend = import_string(str(config["PURGE_BACKEND"]))(
        **config["PURGE_OPTIONS"]
    )
    return made


def after_commit(
    name: str, items: Iterable, flush: Callable[[set], None], using: str | None = None
) -> None:
    """Gather `items` under `name` until the transaction commits; then `flush(all)`.

    One `flush` per name and transaction, however many calls. Outside a
    transaction it runs at once. A rolled-back transaction's items are
    dropped with its on-commit callbacks.
    """
    connection = connections[using or DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        flush(set(items))
        return
    batches = getattr(connection, BATCHES_ATTRIBUTE, None)
    if batches is None:
        batches = {}
        setattr(connection, BATCHES_ATTRIBUTE, batches)
    batch: set | None = batches.get(name)
    # The batch is this transaction's while its callback is still waiting; a
    # rollback drops the callback, and the next call starts a new batch.
    waiting = batch is not None and any(
        getattr(entry[1], "args", (None,))[0] is batch
        for entry in connection.run_on_commit
    )
    if batch is None or not waiting:
        batch = set()
        batches[name] = batch
        transaction.on_commit(partial(_flush, batch, name, flush, connection), using)
    batch.update(items)


def _flush(
    batch: set, name: str, flush: Callable[[set], None], connection: BaseDatabaseWrapper
) -> None:
    batches = getattr(connection, BATCHES_ATTRIBUTE, {})
    if batches.get(name) is batch:
        del batches[name]
    flush(batch)


def purge_after_commit(keys: Iterable[str]) -> None:
    """Purge `keys` from the front cache once the current transaction commits."""
    after_commit("keys", keys, enqueue)


def enqueue(keys: set[str]) -> None:
    """Hand `keys` to the worker, if there is a front cache to purge."""
    if keys and settings.NEWSROOM_CACHE["PURGE_BACKEND"]:
        from frontcache.tasks import purge_keys

        purge_keys.enqueue(sorted(keys))


def keys_purge(*, keys: list[str], attempt: int = 1) -> str:
    """Purge `keys` now (the worker's side); retry later if the cache fails."""
    from frontcache.tasks import purge_keys

    purger = backend()
    if purger is None:
        return "no front cache"
    try:
        purger.purge(keys)
    except PurgeFailed as error:
        delay = retry_later(
            purge_keys, keys, attempt + 1, attempt=attempt, delays=PURGE_RETRY_DELAYS
        )
        if delay is None:
            PURGES.labels("given_up").inc()
            logger.error(
                "Gave up purging %s keys from the front cache after %s tries: %s",
                len(keys),
                attempt,
                error,
            )
            raise GivenUp(
                f"Could not purge {' '.join(keys)} after {attempt} tries: {error}"
            ) from error
        PURGES.labels("retry").inc()
        logger.warning(
            "Purging the front cache failed (try %s), again in %s s: %s",
            attempt,
            delay,
            error,
        )
        return "retry"
    PURGES.labels("purged").inc()
    return "purged"
