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
"""

import ipaddress
import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from articles.models import Article
from core.languages import check_language
from reader.models import StoryRead

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|headless|python-requests|"
    r"python-urllib|curl|wget|preview|monitor|scrape|fetch|http-?client|"
    r"lighthouse|pingdom|uptime|feed|okhttp|go-http|java/|axios|node-fetch|"
    # Naver's and Daum's crawlers and Google's ad and tool fetchers.
    r"yeti|daumoa|mediapartners|google-",
    re.IGNORECASE,
)
HOUR_SECONDS = 3600


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


def _increment(*, article_id: int, language: str, hour: datetime) -> None:
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
