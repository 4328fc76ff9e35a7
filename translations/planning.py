"""Planning translations: each language's plan, and how much is left to translate."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext

from articles.models import Article
from core.languages import language_name
from core.users import display_name
from translations.models import TranslationState
from translations.units import fingerprint, units_for

Status = TranslationState.Status
# Languages written without spaces between words are measured in characters.
COUNTED_IN_CHARACTERS = {"ko", "ja"}


def plan_of(state: TranslationState | None) -> dict:
    """Return what the desk shows of a language's plan: who, by when, how urgently."""
    if state is None or (state.assignee_id is None and state.due_on is None):
        return {}
    return {
        "assignee": display_name(state.assignee) if state.assignee else "",
        "due_on": state.due_on,
        "is_overdue": bool(
            state.due_on
            and state.due_on < timezone.localdate()
            and state.status != Status.UP_TO_DATE
        ),
        "priority": state.priority,
        "priority_label": state.get_priority_display(),
    }


def _size(text: str, language: str) -> int:
    plain = strip_tags(text)
    if language in COUNTED_IN_CHARACTERS:
        return sum(1 for char in plain if not char.isspace())
    return len(plain.split())


def amount_left(article: Article, state: TranslationState | None) -> int:
    """Return how much of the source is left to translate into `state`'s language.

    In the source language's measure (words for English, characters for
    Korean and Japanese): every text for a language not begun, the texts not
    yet translated for one under way, only the texts whose source changed for
    an outdated one. Reads `state.fields.all()` (prefetch them).
    """
    source = article.source_language
    if state is None or state.language == source:
        return 0
    if state.status in (Status.UP_TO_DATE, Status.NEEDS_REVIEW):
        return 0
    made_from = {record.unit: record for record in state.fields.all()}
    total = 0
    for unit in units_for(article):
        text = unit.text(article, source)
        if not text:
            continue
        record = made_from.get(unit.key)
        target = unit.text(article, state.language)
        if (
            not target
            or record is None
            or record.source_fingerprint != fingerprint(text)
        ):
            total += _size(text, source)
    return total


def amount_label(amount: int, source_language: str) -> str:
    """Return `amount` with its measure: "120 words", "340 characters"."""
    if source_language in COUNTED_IN_CHARACTERS:
        return ngettext("%(count)s character", "%(count)s characters", amount) % {
            "count": amount
        }
    return ngettext("%(count)s word", "%(count)s words", amount) % {"count": amount}


PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


def my_work_view(model_admin, request):
    """List the translations assigned to the person, soonest due first."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    states = (
        TranslationState.objects.filter(assignee=request.user)
        .exclude(status=Status.UP_TO_DATE)
        .select_related("article", "article__feature_image", "article__category")
        .prefetch_related("fields", "article__external_links", "article__corrections")
        .order_by("article_id", "language")
    )
    rows = [
        {
            "state": state,
            "article": state.article,
            "language": language_name(state.language),
            "code": state.language,
            "plan": plan_of(state),
            "left": amount_label(
                amount_left(state.article, state), state.article.source_language
            ),
            "url": reverse("admin:articles_article_change", args=[state.article_id])
            + "#translations",
        }
        for state in states
    ]
    rows.sort(
        key=lambda row: (
            row["state"].due_on is None,
            row["state"].due_on,
            PRIORITY_ORDER.get(row["state"].priority, 2),
        )
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": gettext("My translation work"),
        "rows": rows,
    }
    return TemplateResponse(request, "admin/translations/my_work.html", context)
