"""What waits for each person on the desk: the queues of the desk's front page.

Each queue is a condition on stories (`queue_q`), counted for the front page
and applied by the story list's "queue" filter, so the count and the list a
link opens are the same stories. Other apps add queues of their own
(translations: what waits in a translator's languages); the front page,
composed in newsroom/admin_site.py, shows them together.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from articles import permissions
from articles.models import Article, Correction, DeskNote, breaking_q
from core.languages import LANGUAGE_CODES
from core.users import AnyUser

# How far back "recent corrections" looks.
RECENT_CORRECTIONS = timedelta(days=7)
# How many scheduled stories the front page names, soonest first.
SCHEDULED_SHOWN = 8


@dataclass(frozen=True)
class Queue:
    """One line of the desk's front page: a count and the list it opens."""

    key: str
    label: str | Promise
    count: int
    url: str
    # A few of its stories and their desk addresses, when the front page
    # names them (scheduled, soonest first).
    items: list[tuple[Any, str]] = field(default_factory=list)
    # Drawn as something to act on (a count above zero that someone awaits).
    is_urgent: bool = False


# Key, label, who sees it (None: everyone on the desk), urgent when non-empty.
QUEUES: list[tuple[str, Promise, str | None, bool]] = [
    ("returned", _("Returned to me"), None, True),
    ("mine", _("My drafts"), None, False),
    ("review", _("Waiting for review"), "editor", True),
    ("scheduled", _("Scheduled"), None, False),
    ("embargoed", _("Under embargo"), None, False),
    ("today", _("Published today"), None, False),
    ("breaking", _("Breaking flag on"), "editor", True),
    ("corrected", _("Corrected in the last 7 days"), None, False),
]


def start_of_today(now: datetime | None = None) -> datetime:
    """Return midnight today in the newsroom's time zone."""
    local = timezone.localtime(now or timezone.now())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def visible_queues(user: AnyUser) -> list[tuple[str, Promise, bool]]:
    """Return the queues `user` sees: editors see the whole desk's."""
    editor = permissions.is_editor(user) or permissions.can_publish(user)
    return [
        (key, label, urgent)
        for key, label, who, urgent in QUEUES
        if who is None or (who == "editor" and editor)
    ]


def queue_q(key: str, user: AnyUser) -> Q:
    """Return the stories of queue `key` as `user` sees them."""
    now = timezone.now()
    published = Q(status=Article.Status.PUBLISHED)
    # People who are not editors see their own scheduled stories only.
    own = (
        Q()
        if permissions.is_editor(user) or permissions.can_publish(user)
        else Q(created_by=user.pk)
    )
    match key:
        case "returned":
            return Q(
                status=Article.Status.DRAFT,
                created_by=user.pk,
                pk__in=DeskNote.objects.filter(kind=DeskNote.Kind.RETURN).values(
                    "article"
                ),
            )
        case "mine":
            return Q(status=Article.Status.DRAFT, created_by=user.pk)
        case "review":
            return Q(status=Article.Status.IN_REVIEW)
        case "scheduled":
            return published & Q(published_at__gt=now) & own
        case "today":
            return published & Q(
                published_at__gte=start_of_today(now), published_at__lte=now
            )
        case "embargoed":
            return Q(embargo_until__gt=now) & own
        case "breaking":
            return published & Q(published_at__lte=now) & breaking_q()
        case "corrected":
            return Q(
                pk__in=Correction.objects.filter(
                    corrected_at__gte=now - RECENT_CORRECTIONS
                ).values("article")
            )
    raise ValueError(f"No queue {key!r}")


def story_queues(user: AnyUser) -> list[Queue]:
    """Return the story queues `user` sees, counted in one query.

    Each links to the story list filtered to its stories.
    """
    list_url = reverse("admin:articles_article_changelist")
    shown = visible_queues(user)
    # One count per queue, each through its own index, in one query: a
    # filtered aggregate over the whole table would read every story.
    counts = dict.fromkeys((key for key, _label, _urgent in shown), 0)
    parts = [
        Article.objects.filter(queue_q(key, user))
        .order_by()
        .annotate(queue=Value(key))
        .values("queue")
        .annotate(count=Count("pk"))
        for key in counts
    ]
    for row in parts[0].union(*parts[1:], all=True):
        counts[row["queue"]] = row["count"]
    scheduled = list(
        Article.objects.filter(queue_q("scheduled", user))
        .order_by("published_at", "id")
        .only(
            "id",
            "published_at",
            "source_language",
            *(f"headline_{code}" for code in LANGUAGE_CODES),
        )[:SCHEDULED_SHOWN]
    )
    return [
        Queue(
            key=key,
            label=label,
            count=counts[key],
            url=f"{list_url}?{urlencode({'queue': key})}",
            items=[(story, change_url(story)) for story in scheduled]
            if key == "scheduled"
            else [],
            is_urgent=urgent and counts[key] > 0,
        )
        for key, label, urgent in shown
    ]


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])
