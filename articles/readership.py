"""Count readers' visits to stories without cookies, and rank the most read.

A read is counted per story, per language and per hour (UTC). Bots that say
so are not counted; neither is a visitor's reload within
NEWSROOM_READ_DEDUPE_SECONDS, recognised by a keyed hash of their address and
browser that lives only in the cache and changes every day.
"""

import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from articles.models import Article, StoryRead, check_language

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|headless|python-requests|"
    r"python-urllib|curl|wget|preview|monitor|scrape|fetch|http-?client|"
    r"lighthouse|pingdom|uptime|feed|okhttp|go-http|java/|axios|node-fetch|"
    # Naver's and Daum's crawlers and Google's ad and tool fetchers.
    r"yeti|daumoa|mediapartners|google-",
    re.IGNORECASE,
)


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
    if not _first_in_window(
        now=now, article_id=article_id, language=language, ip=ip, user_agent=user_agent
    ):
        return False
    _increment(article_id=article_id, language=language, hour=_hour_of(now))
    return True


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


def _first_in_window(
    *, now: datetime, article_id: int, language: str, ip: str, user_agent: str
) -> bool:
    """Whether this visitor has not read this story in this language lately.

    The key is an HMAC under SECRET_KEY salted with the UTC date, so it cannot
    be traced back to an address and cannot be linked from one day to the next.
    cache.add is atomic: of two simultaneous reloads, one counts.
    """
    visitor = salted_hmac(
        f"articles.readership.{now.astimezone(UTC):%Y-%m-%d}",
        "\n".join([ip, user_agent, str(article_id), language]),
        algorithm="sha256",
    ).hexdigest()
    return cache.add(f"reads:{visitor}", 1, settings.NEWSROOM_READ_DEDUPE_SECONDS)


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
