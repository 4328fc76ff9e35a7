"""Review per language: a finished translation waits until a second person approves."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from articles.tests.factories import UserFactory
from translations import services
from translations.models import LanguagePolicy, TranslationState
from translations.signals import translation_returned
from translations.tests.test_services import JAPANESE, edit, state, translate_image

pytestmark = pytest.mark.django_db
Status = TranslationState.Status


def finish(story, translator, editor, **changes):
    edit(story, translator, **{**JAPANESE, **changes})
    translate_image(story, "ja", translator)


@pytest.fixture
def reviewed_japanese():
    LanguagePolicy.objects.update_or_create(
        language="ja", defaults={"needs_review": True}
    )


def test_without_review_a_finished_translation_goes_out(
    client, korean_story, translator, editor
):
    finish(korean_story, translator, editor)
    assert state(korean_story, "ja").status == Status.UP_TO_DATE
    korean_story.refresh_from_db()
    assert client.get(korean_story.get_absolute_url("ja")).status_code == 200


@pytest.mark.usefixtures("reviewed_japanese")
def test_with_review_it_waits_withheld_until_a_second_person_approves(
    client, korean_story, translator, editor
):
    finish(korean_story, translator, editor)
    korean_story.refresh_from_db()
    assert state(korean_story, "ja").status == Status.NEEDS_REVIEW
    assert client.get(korean_story.get_absolute_url("ja")).status_code == 404
    with translation.override("en"), pytest.raises(ValidationError, match="second"):
        services.translation_review(
            article=korean_story, language="ja", user=translator
        )
    colleague = UserFactory(username="aoi", role="translator", languages=("ja",))
    services.translation_review(article=korean_story, language="ja", user=colleague)
    ja = state(korean_story, "ja")
    assert (ja.status, ja.reviewed_by) == (Status.UP_TO_DATE, colleague)
    assert client.get(korean_story.get_absolute_url("ja")).status_code == 200


@pytest.mark.usefixtures("reviewed_japanese")
def test_a_returned_translation_stays_withheld_and_its_translator_is_told(
    korean_story, translator, editor
):
    finish(korean_story, translator, editor)
    told = []
    translation_returned.connect(
        lambda sender, **kwargs: told.append(kwargs), weak=False, dispatch_uid="t"
    )
    try:
        services.translation_return(
            article=korean_story,
            language="ja",
            user=editor,
            note="見出しの「完成」を「開通」に。",
        )
    finally:
        translation_returned.disconnect(dispatch_uid="t")
    ja = state(korean_story, "ja")
    assert (ja.status, ja.review_note) == (
        Status.NEEDS_REVIEW,
        "見出しの「完成」を「開通」に。",
    )
    assert [(t["translator"], t["note"]) for t in told] == [
        (translator, "見出しの「完成」を「開通」に。")
    ]
    with pytest.raises(ValidationError):
        services.translation_return(
            article=korean_story, language="ja", user=editor, note="  "
        )
    # The translator's next save asks for review again.
    services.translation_review(article=korean_story, language="ja", user=editor)
    edit(korean_story, translator, headline_ja="沿岸都市、雨水トンネルが開通")
    ja = state(korean_story, "ja")
    assert ja.status == Status.NEEDS_REVIEW and ja.review_note == ""


def test_only_editors_set_the_policy(client, editor, translator):
    policy = LanguagePolicy.objects.get(language="ja")
    url = reverse("admin:translations_languagepolicy_changelist")
    client.force_login(translator)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    page = client.get(url)
    assert page.status_code == 200
    assert [p.language for p in page.context["cl"].result_list] == ["en", "ja", "ko"]
    change = reverse("admin:translations_languagepolicy_change", args=[policy.pk])
    client.post(change, {"needs_review": "on"})
    policy.refresh_from_db()
    assert policy.needs_review


@pytest.mark.usefixtures("reviewed_japanese")
def test_a_source_edit_does_not_release_a_translation_waiting_for_review(
    client, korean_story, translator, editor
):
    finish(korean_story, translator, editor)
    assert state(korean_story, "ja").status == Status.NEEDS_REVIEW
    # The source changes while the translation waits: it is outdated now, and
    # still nobody has reviewed it, so readers still do not get it.
    edit(korean_story, editor, dek_ko="장마철 침수를 막을 새 터널이 문을 열었다.")
    ja = state(korean_story, "ja")
    assert ja.status == Status.OUTDATED
    assert ja.is_withheld
    korean_story.refresh_from_db()
    assert client.get(korean_story.get_absolute_url("ja")).status_code == 404
