"""Planning translations: who translates a language, by when, and how much is left."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from translations import services
from translations.models import Priority, TranslationState
from translations.signals import translation_assigned
from translations.tests.test_services import JAPANESE, edit, state

pytestmark = pytest.mark.django_db

DUE = date(2026, 12, 10)


def assign(story, user, assignee, due_on=DUE, priority=Priority.HIGH, language="ja"):
    return services.translation_assign(
        article=story,
        language=language,
        assignee=assignee,
        due_on=due_on,
        priority=priority,
        user=user,
    )


def test_an_editor_assigns_a_language_and_the_translator_is_told(
    korean_story, translator, editor
):
    told = []
    translation_assigned.connect(
        lambda sender, **kwargs: told.append(kwargs), weak=False, dispatch_uid="t"
    )
    try:
        assign(korean_story, editor, translator)
        # Planned again for the same person: not told twice.
        assign(korean_story, editor, translator, priority=Priority.URGENT)
    finally:
        translation_assigned.disconnect(dispatch_uid="t")
    ja = state(korean_story, "ja")
    assert (ja.assignee, ja.due_on, ja.priority) == (translator, DUE, "urgent")
    assert [(t["assignee"], t["language"], t["due_on"]) for t in told] == [
        (translator, "ja", DUE)
    ]


def test_only_a_translator_of_the_language_may_be_assigned(
    korean_story, editor, en_translator
):
    with pytest.raises(ValidationError, match="sam"):
        assign(korean_story, editor, en_translator)
    assert state(korean_story, "ja").assignee is None


def test_only_editors_plan(client, korean_story, translator):
    with pytest.raises(PermissionDenied):
        assign(korean_story, translator, translator)
    client.force_login(translator)
    url = reverse(
        "admin:articles_article_translation_plan", args=[korean_story.pk, "ja"]
    )
    client.post(url, {"plan-ja-assignee": translator.pk, "plan-ja-priority": "high"})
    assert state(korean_story, "ja").assignee is None


def test_the_story_panel_plans_a_language(client, korean_story, translator, editor):
    client.force_login(editor)
    url = reverse(
        "admin:articles_article_translation_plan", args=[korean_story.pk, "ja"]
    )
    response = client.post(
        url,
        {
            "plan-ja-assignee": translator.pk,
            "plan-ja-due_on": "2026-12-10",
            "plan-ja-priority": "urgent",
        },
    )
    assert response.status_code == 302
    ja = state(korean_story, "ja")
    assert (ja.assignee, ja.due_on, ja.priority) == (translator, DUE, "urgent")
    page = client.get(reverse("admin:articles_article_change", args=[korean_story.pk]))
    rows = {row["code"]: row for row in page.context["translation_rows"]}
    assert rows["ja"]["plan"]["priority"] == "urgent"
    assert rows["ja"]["plan_form"] is not None and rows["ko"]["plan_form"] is None


def test_the_dashboard_says_how_much_is_left_in_the_sources_measure(
    client, korean_story, translator, editor
):
    client.force_login(translator)
    dashboard = reverse("admin:translations_translationstate_changelist")
    cells = client.get(dashboard).context["rows"][0]["cells"]
    ja = next(cell for cell in cells if cell["code"] == "ja")
    # Korean is counted in characters: every Korean text of the story.
    assert ja["left"].endswith("자") or ja["left"].endswith("characters")
    whole = int("".join(ch for ch in ja["left"] if ch.isdigit()))
    assert whole > 40

    edit(korean_story, translator, **JAPANESE)
    edit(korean_story, editor, headline_ko="해안 도시 터널 개통")
    cells = client.get(dashboard).context["rows"][0]["cells"]
    ja = next(cell for cell in cells if cell["code"] == "ja")
    left = int("".join(ch for ch in ja["left"] if ch.isdigit()))
    # Outdated: the changed headline (9 characters) and the picture's words,
    # never translated, are left; not the body translated before.
    assert left < whole
    assert left >= len("해안도시터널개통")


def test_my_work_lists_assignments_soonest_due_first_and_flags_overdue(
    client, korean_story, translator, editor
):
    today = timezone.localdate()
    later = ArticleFactory(without_ja=True)
    assign(later, editor, translator, due_on=today + timedelta(days=5))
    assign(korean_story, editor, translator, due_on=today - timedelta(days=1))
    client.force_login(translator)
    page = client.get(reverse("admin:translations_my_work"))
    rows = page.context["rows"]
    assert [row["article"].pk for row in rows] == [korean_story.pk, later.pk]
    assert rows[0]["plan"]["is_overdue"] is True
    assert rows[1]["plan"]["is_overdue"] is False


def test_the_front_page_counts_what_is_assigned_to_the_translator(
    client, korean_story, translator, editor
):
    assign(korean_story, editor, translator)
    client.force_login(translator)
    queues = client.get(reverse("admin:index")).context["desk_queues"]
    assigned = next(q for q in queues if q.key == "translation_assigned")
    assert assigned.count == 1
    assert assigned.url == reverse("admin:translations_my_work")
    assert TranslationState.objects.filter(assignee=translator).count() == 1
