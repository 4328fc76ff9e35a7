"""Who has a story's form open, kept fresh by their page's heartbeat."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, StoryPresence
from core.users import DeskUser, display_name

# The page beats every HEARTBEAT; someone unheard for TIMEOUT has left.
HEARTBEAT = timedelta(seconds=30)
TIMEOUT = timedelta(seconds=90)


@dataclass(frozen=True)
class Editor:
    name: str
    since: datetime


def presence_mark(*, article: Article, user: DeskUser) -> None:
    """Record that `user` has `article` open now (since now, if they had left)."""
    now = timezone.now()
    updated = StoryPresence.objects.filter(
        article=article, user=user, seen_at__gte=now - TIMEOUT
    ).update(seen_at=now)
    if updated:
        return
    try:
        with transaction.atomic():
            StoryPresence.objects.update_or_create(
                article=article, user=user, defaults={"since": now, "seen_at": now}
            )
    except IntegrityError:
        # Two of the person's tabs beat at once: one row is enough.
        pass


def presence_leave(*, article: Article, user: DeskUser) -> None:
    StoryPresence.objects.filter(article=article, user=user).delete()


def others_editing(*, article: Article, user: DeskUser) -> list[Editor]:
    """Return the other people with `article` open now, longest first."""
    rows = (
        StoryPresence.objects.filter(
            article=article, seen_at__gte=timezone.now() - TIMEOUT
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("since")
    )
    return [Editor(name=display_name(row.user), since=row.since) for row in rows]
