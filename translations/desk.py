"""What waits in a translator's languages, for the desk's front page."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext

from articles import permissions
from articles.desk import Queue
from core.languages import language_name
from core.users import AnyUser
from translations.models import TranslationState

Status = TranslationState.Status
# The states a translator acts on, most pressing first.
WAITING = (Status.NEEDS_REVIEW, Status.OUTDATED, Status.MISSING)


def translator_queues(user: AnyUser) -> list[Queue]:
    """Return, per language `user` translates into, the stories waiting there.

    Counted in one query; each links to the translation dashboard filtered to
    that language and state.
    """
    languages = sorted(permissions.translator_languages(user))
    if not languages:
        return []
    counts = (
        TranslationState.objects.translations()
        .filter(language__in=languages)
        .aggregate(
            **{
                f"{code}_{status}": Count("pk", filter=Q(language=code, status=status))
                for code in languages
                for status in WAITING
            },
            assigned=Count(
                "pk", filter=Q(assignee=user) & ~Q(status=Status.UP_TO_DATE)
            ),
            overdue=Count(
                "pk",
                filter=Q(assignee=user, due_on__lt=timezone.localdate())
                & ~Q(status=Status.UP_TO_DATE),
            ),
        )
    )
    dashboard = reverse("admin:translations_translationstate_changelist")
    assigned = Queue(
        key="translation_assigned",
        label=gettext("Assigned to you"),
        count=counts["assigned"],
        url=reverse("admin:translations_my_work"),
        is_urgent=counts["overdue"] > 0,
    )
    return [assigned] + [
        Queue(
            key=f"translation_{code}_{status}",
            # Translators: a line of the desk's front page, e.g. "Japanese: outdated".
            label=gettext("%(language)s: %(state)s")
            % {"language": language_name(code), "state": status.label},
            count=counts[f"{code}_{status}"],
            url=f"{dashboard}?{urlencode({'language': code, 'state': status})}",
            is_urgent=status != Status.MISSING and counts[f"{code}_{status}"] > 0,
        )
        for code in languages
        for status in WAITING
    ]
