"""Purge the front cache by key: after commit, through the worker, retried.

`purge_after_commit(keys)` is what the apps call from their signal handlers,
as often as they like: the keys named in one transaction are gathered and
sent to the worker as one job once it commits (nothing if it rolls back).
The job asks the configured backend; a purge that fails is tried again after
1, 5, 30 and 120 seconds, then given up and shown on the desk's page of
background work.
"""

import logging
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
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


def purge_after_commit(keys: Iterable[str], *, soft: bool = False) -> None:
    """Purge `keys` from the front cache once the current transaction commits.

    `soft`: for changes readers may see a moment late (a section renamed, a
    picture's caption): the cache serves the old page while it fetches the
    new one, instead of sending every reader of every page to the app at once.
    """
    if soft:
        after_commit("soft-keys", keys, partial(enqueue, soft=True))
    else:
        after_commit("keys", keys, enqueue)


def enqueue(keys: set[str], soft: bool = False) -> None:
    """Hand `keys` to the worker, if there is a front cache to purge.

    With read replicas the job carries the primary's WAL position after the
    change committed: the purge waits until the replicas have replayed it, or
    the cache would fetch the old page again from a lagging replica.
    """
    if keys and settings.NEWSROOM_CACHE["PURGE_BACKEND"]:
        from frontcache.tasks import purge_keys

        purge_keys.enqueue(sorted(keys), 1, primary_position(), soft)


# A page drawn from the old data while its purge went by reaches the cache
# after it, with nothing left to drop it: it would be kept, old, for its whole
# lifetime. The worker notes when it purges each key, in the cache every app
# server shares (Redis), before it purges; a page begun before such a note is
# sent uncacheable (frontcache/middleware.py) and the next reader gets a new one.
PURGED_NOTE_PREFIX = "frontcache:purged:"
# Longer than any page takes to draw.
PURGED_NOTE_SECONDS = 300
# The app servers' and the worker's clocks may differ by this much (one clock
# in `make up`; NTP keeps a network's within milliseconds). A page begun
# within it after a purge is asked again too: kept small, so that Varnish's
# retries of a busy page are not all spent inside it.
CLOCK_MARGIN_SECONDS = 0.05


def note_purged(keys: Iterable[str]) -> None:
    """Note that `keys` are being purged now, for the pages drawn meanwhile."""
    now = time.time()
    try:
        cache.set_many(
            {PURGED_NOTE_PREFIX + key: now for key in keys},
            timeout=PURGED_NOTE_SECONDS,
        )
    except Exception:  # noqa: BLE001 - the purge itself matters more
        logger.exception("Could not note the purge of %s in the cache", " ".join(keys))


def purged_since(keys: Iterable[str], moment: float) -> bool:
    """Whether one of `keys` was purged after `moment`, less the clocks' margin.

    False when the cache cannot say: pages stay cacheable, as they were
    before these notes, rather than all going to the app servers at once.
    """
    try:
        notes = cache.get_many([PURGED_NOTE_PREFIX + key for key in keys])
    except Exception:  # noqa: BLE001 - a reader's page must not fail for it
        logger.exception("Could not read the purge notes from the cache")
        return False
    return any(note >= moment - CLOCK_MARGIN_SECONDS for note in notes.values())


# How long a purge waits for lagging replicas before it purges anyway (and
# again once more, REPURGE_SECONDS later).
REPLICA_WAIT_SECONDS = 10
REPURGE_SECONDS = 30


def primary_position() -> str:
    """Return the primary's WAL position now, "" without replicas or PostgreSQL."""
    primary = connections[DEFAULT_DB_ALIAS]
    if not settings.NEWSROOM_REPLICAS or primary.vendor != "postgresql":
        return ""
    with primary.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return str(cursor.fetchone()[0])


def replicas_caught_up(position: str, timeout: float) -> bool:
    """Wait until every replica has replayed `position`; False if one lags still."""
    deadline = time.monotonic() + timeout
    behind = list(settings.NEWSROOM_REPLICAS)
    while True:
        for alias in list(behind):
            with connections[alias].cursor() as cursor:
                # NULL: not replaying (not a standby), nothing to wait for.
                cursor.execute(
                    "SELECT COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, true)",
                    [position],
                )
                if cursor.fetchone()[0]:
                    behind.remove(alias)
        if not behind:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def keys_purge(
    *, keys: list[str], attempt: int = 1, position: str = "", soft: bool = False
) -> str:
    """Purge `keys` now (the worker's side); retry later if the cache fails.

    `position`: the primary's WAL position the replicas must reach first.
    """
    from frontcache.tasks import purge_keys

    purger = backend()
    if purger is None:
        return "no front cache"
    if position and not replicas_caught_up(position, REPLICA_WAIT_SECONDS):
        # Purge now all the same, and again once the replicas have had time.
        logger.warning(
            "Replicas still behind %s after %s s: purging, and again in %s s.",
            position,
            REPLICA_WAIT_SECONDS,
            REPURGE_SECONDS,
        )
        purge_keys.using(
            run_after=timezone.now() + timedelta(seconds=REPURGE_SECONDS)
        ).enqueue(keys, 1, "", soft)
    note_purged(keys)
    try:
        purger.purge(keys, soft=soft)
    except PurgeFailed as error:
        delay = retry_later(
            purge_keys,
            keys,
            attempt + 1,
            "",
            soft,
            attempt=attempt,
            delays=PURGE_RETRY_DELAYS,
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
