"""Count readers' visits to stories without cookies, and rank the most read.

A read is counted per story, per language and per hour (UTC). Bots that say
so are not counted. A reader is an address: an IPv4 address, or an IPv6 /64
(one household's or one phone's prefix, inside which a device picks addresses
at will). A reader's further reads of a story within
NEWSROOM_READ_DEDUPE_SECONDS count once, and no more than
NEWSROOM_READS_PER_ADDRESS_HOUR of their reads count in an hour, so that one
client cannot move the rankings by changing its User-Agent or its IPv6
address. Readers are recognised by keyed hashes of their address that live
only in the cache and change every day.

With Redis (NEWSROOM_READS_REDIS_URL, REDIS_URL by default) a read is one
atomic increment there; the worker adds the pending counts to the database
every FLUSH_SECONDS and works out the rankings the home page shows
(`Ranking`), purging its "most read" lists when their order changes. Without
Redis (the demo) reads go straight to the database; the rankings are still
worked out by the worker.
"""

import contextlib
import functools
import ipaddress
import logging
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import cast

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, QuerySet, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from articles.models import Article
from core.languages import LANGUAGE_CODES, check_language
from core.prepared import Param, prepared
from frontcache import keys
from frontcache.purge import purge_after_commit
from reader.models import Ranking, StoryRead
from reader.trending import places_rewrite, trending_refresh

logger = logging.getLogger(__name__)

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|headless|python-requests|"
    r"python-urllib|curl|wget|preview|monitor|scrape|fetch|http-?client|"
    r"lighthouse|pingdom|uptime|feed|okhttp|go-http|java/|axios|node-fetch|"
    # Naver's and Daum's crawlers and Google's ad and tool fetchers.
    r"yeti|daumoa|mediapartners|google-",
    re.IGNORECASE,
)
HOUR_SECONDS = 3600
# Pending reads reach the database, and the rankings are worked out, at most
# this often (and this long after the first read since the last time).
FLUSH_SECONDS = 10
RANKING_WINDOWS = {Ranking.Window.DAY: 24, Ranking.Window.WEEK: 7 * 24}
RANKING_LENGTH = 10
FLUSH_PLANNED_KEY = "reads:flush-planned"
FLUSH_LOCK_KEY = "reads:flushing"


def is_bot(user_agent: str) -> bool:
    """Whether `user_agent` says it is a robot; an empty one counts as a robot."""
    return not user_agent.strip() or bool(BOT_USER_AGENT.search(user_agent))


def story_read_record(
    *, article_id: int, language: str, ip: str, user_agent: str
) -> bool:
    """Count a read of a live story in `language`; return whether it counted.

    The caller checks that the story is live in `language`.
    """
    check_language(language)
    if is_bot(user_agent):
        return False
    now = timezone.now()
    reader = reader_of(ip)
    if not _first_in_window(
        now=now, article_id=article_id, language=language, reader=reader
    ):
        return False
    if not _within_hourly_reads(now=now, reader=reader):
        return False
    _increment(article_id=article_id, language=language, hour=_hour_of(now))
    return True


def reader_of(ip: str) -> str:
    """Return the reader an address stands for: itself (IPv4) or its IPv6 /64.

    An address that does not parse is taken as it is.
    """
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip
    if address.version == 6 and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def most_read(language: str, *, hours: int, limit: int = 10) -> list[Article]:
    """Return the stories live in `language` read most over the last `hours`.

    The last `hours` hourly buckets count, the current one included. Ties go
    to the newer story. Two queries: the ranking, and the cards' bylines.
    """
    check_language(language)
    if hours < 1:
        raise ValueError("hours must be at least 1")
    since = timezone.now() - timedelta(hours=hours)
    return list(
        Article.objects.live(language)
        .with_cards()
        .filter(reads__language=language, reads__hour__gt=since)
        .annotate(read_count=Sum("reads__count"))
        .order_by("-read_count", "-published_at", "-id")[:limit]
    )


def most_read_day(language: str, *, limit: int = 10) -> list[Article]:
    """Return the most read stories in `language` over the last 24 hours."""
    return most_read(language, hours=24, limit=limit)


def most_read_week(language: str, *, limit: int = 10) -> list[Article]:
    """Return the most read stories in `language` over the last 7 days."""
    return most_read(language, hours=7 * 24, limit=limit)


def _hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _reader_key(now: datetime, *parts: str) -> str:
    """Return a cache key for a reader's `parts` that cannot be traced to them.

    An HMAC under SECRET_KEY salted with the UTC date: it cannot be turned
    back into an address, nor linked from one day to the next.
    """
    digest = salted_hmac(
        f"reader.readership.{now.astimezone(UTC):%Y-%m-%d}",
        "\n".join(parts),
        algorithm="sha256",
    ).hexdigest()
    return f"reads:{digest}"


def _first_in_window(
    *, now: datetime, article_id: int, language: str, reader: str
) -> bool:
    """Whether this reader has not read this story in this language lately.

    cache.add is atomic: of two simultaneous reloads, one counts.
    """
    key = _reader_key(now, "story", reader, str(article_id), language)
    return cache.add(key, 1, settings.NEWSROOM_READ_DEDUPE_SECONDS)


def _within_hourly_reads(*, now: datetime, reader: str) -> bool:
    """Take one of this reader's reads for this hour (UTC); False when none is left.

    cache.add then cache.incr are each atomic on the shared cache, so
    simultaneous requests from several app servers never count one too many.
    """
    limit = settings.NEWSROOM_READS_PER_ADDRESS_HOUR
    if limit <= 0:
        return True
    key = _reader_key(now, "hour", reader, f"{_hour_of(now):%H}")
    if cache.add(key, 1, HOUR_SECONDS):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:
        # The key expired between add and incr: this read opens a new count.
        cache.add(key, 1, HOUR_SECONDS)
        return True


@functools.cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def counter() -> redis.Redis | None:
    """Return the Redis that counts reads, or None: they go to the database."""
    url = settings.NEWSROOM_READS_REDIS_URL
    return _client(url) if url else None


def pending_key() -> str:
    return settings.NEWSROOM_READS_KEY


def _increment(*, article_id: int, language: str, hour: datetime) -> None:
    """Count one read: in Redis when there is one, else in the database."""
    client = counter()
    if client is None:
        _increment_row(article_id=article_id, language=language, hour=hour)
    else:
        field = f"{article_id}:{language}:{int(hour.timestamp())}"
        client.hincrby(pending_key(), field, 1)
    plan_flush()


def plan_flush() -> None:
    """Have the worker flush reads and rank stories in FLUSH_SECONDS, once."""
    if cache.add(FLUSH_PLANNED_KEY, 1, FLUSH_SECONDS):
        from reader.tasks import flush_reads

        flush_reads.using(
            run_after=timezone.now() + timedelta(seconds=FLUSH_SECONDS)
        ).enqueue()


def reads_flush() -> dict[str, int | bool]:
    """Add Redis's pending reads to the database, then rework the rankings.

    And the trending tags (reader/trending.py), which follow the stories
    rather than the reads: stories' changes plan a flush too (`plan_flush`).

    The pending counts are renamed away in one step (reads arriving meanwhile
    start a new hash) and deleted once added; a flush that failed halfway
    leaves its renamed hash, which the next one adds. One flush at a time.
    """
    if not cache.add(FLUSH_LOCK_KEY, 1, 5 * 60):
        return {"reads": 0, "busy": True}
    try:
        added = 0
        client = counter()
        if client is not None:
            taking = f"{pending_key()}:taking:{uuid.uuid4().hex}"
            # A ResponseError: nothing pending.
            with contextlib.suppress(redis.ResponseError):
                client.rename(pending_key(), taking)
            for key in client.scan_iter(f"{pending_key()}:taking:*"):
                added += _add_counts(cast(dict[bytes, bytes], client.hgetall(key)))
                client.delete(key)
        changed = rankings_refresh()
        trending_changed = trending_refresh()
    finally:
        cache.delete(FLUSH_LOCK_KEY)
    return {
        "reads": added,
        "rankings_changed": changed,
        "trending_changed": trending_changed,
    }


def _add_counts(raw: dict[bytes, bytes]) -> int:
    """Add counts read from Redis to their hourly rows; return how many reads."""
    counts: dict[tuple[int, str, datetime], int] = {}
    for field, value in raw.items():
        article, language, stamp = field.decode().split(":")
        if language in LANGUAGE_CODES:
            hour = datetime.fromtimestamp(int(stamp), UTC)
            counts[(int(article), language, hour)] = int(value)
    # Reads of a story deleted since are dropped with it.
    existing = set(
        Article.objects.filter(pk__in={key[0] for key in counts}).values_list(
            "pk", flat=True
        )
    )
    rows = [(*key, count) for key, count in counts.items() if key[0] in existing]
    table = StoryRead._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (article_id, language, hour, count) "  # noqa: S608 - our table's name
                f"VALUES {values} ON CONFLICT (article_id, language, hour) "
                f"DO UPDATE SET count = {table}.count + excluded.count",
                [
                    param
                    for article, language, hour, count in chunk
                    for param in (
                        article,
                        language,
                        connection.ops.adapt_datetimefield_value(hour),
                        count,
                    )
                ],
            )
    return sum(row[3] for row in rows)


def rankings_refresh() -> bool:
    """Work out every language's rankings anew; purge them if an order changed."""
    changed = False
    for language in LANGUAGE_CODES:
        for window, hours in RANKING_WINDOWS.items():
            stories = most_read(language, hours=hours, limit=RANKING_LENGTH)
            new = [(story.pk, story.read_count) for story in stories]  # type: ignore[attr-defined]
            changed |= places_rewrite(
                Ranking,
                {"language": language, "window": window},
                ("article_id", "reads"),
                new,
            )
    if changed:
        # Softly: a ranking a moment late is no harm.
        purge_after_commit({keys.MOST_READ}, soft=True)
    return changed


@prepared
def ranked_query(language: str, windows: tuple[str, ...]) -> QuerySet[Article]:
    """Return the stories of `windows`' rankings, live at `now`, place by place."""
    return (
        Article.objects.live(language, now=Param("now", models.DateTimeField()))
        .headlines(language)
        .filter(rankings__language=language, rankings__window__in=list(windows))
        .annotate(ranking_window=F("rankings__window"))
        .order_by("rankings__window", "rankings__position")
    )


def ranked(
    language: str, windows: Iterable[str], *, limit: int = 10
) -> dict[str, list[Article]]:
    """Return rankings as last worked out, of stories still live, by window.

    One query however many windows, one row per place: the headlines and
    addresses the lists show.
    """
    check_language(language)
    found: dict[str, list[Article]] = {window: [] for window in windows}
    places = ranked_query(language, tuple(found), now=timezone.now())
    for story in places:
        # Annotated by ranked_query().
        window: str = story.ranking_window  # type: ignore[attr-defined]
        if len(found[window]) < limit:
            found[window].append(story)
    return found


def _increment_row(*, article_id: int, language: str, hour: datetime) -> None:
    """Add one read to a bucket, creating it if needed, safely under concurrency.

    An UPDATE of count = count + 1 is atomic on every database; the first read
    of the hour creates the row, and if another request created it meanwhile
    the unique constraint refuses ours and the UPDATE runs again.
    """
    bucket = StoryRead.objects.filter(
        article_id=article_id, language=language, hour=hour
    )
    if bucket.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            StoryRead.objects.create(
                article_id=article_id, language=language, hour=hour, count=1
            )
    except IntegrityError:
        bucket.update(count=F("count") + 1)
