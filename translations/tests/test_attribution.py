"""Who translated a language: only the person or machine that wrote its text.

Saving the source, or choosing a picture whose library words exist in other
languages, never makes anyone the translator of a language they did not write.
"""

import pytest

from articles import services as article_services
from articles.models import Article
from articles.tests.factories import UserFactory
from images.tests.factories import ImageFactory
from translations.models import TranslationState
from translations.tests.test_services import JAPANESE, edit, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(db):
    return UserFactory(username="jiwoo", role="reporter")


def test_a_new_korean_story_with_a_picture_has_no_translator_in_other_languages(
    reporter,
):
    # The library words the picture in every language: nobody translated them.
    picture = ImageFactory()
    story = article_services.article_save(
        article=Article(
            source_language="ko",
            headline_ko="새벽 항구의 첫 배",
            body_ko="<p>첫 배가 떠났다.</p>",
            feature_image=picture,
            status=Article.Status.DRAFT,
        ),
        user=reporter,
        changed_fields=["headline_ko", "body_ko", "feature_image"],
    )
    for language in ("ja", "en"):
        other = state(story, language)
        assert other.status == TranslationState.Status.MISSING
        assert other.translated_by is None, language
        assert other.translated_at is None, language


def test_saving_the_source_leaves_the_translators_record_alone(
    korean_story, translator, editor
):
    edit(korean_story, translator, **JAPANESE)
    before = state(korean_story, "ja")
    edit(korean_story, editor, headline_ko="해안 도시, 빗물 터널 개통")
    after = state(korean_story, "ja")
    assert (after.translated_by, after.translated_at) == (
        translator,
        before.translated_at,
    )


def test_choosing_another_picture_does_not_make_the_editor_a_translator(
    korean_story, translator, editor
):
    edit(korean_story, translator, **JAPANESE)
    before = state(korean_story, "ja")
    edit(korean_story, editor, feature_image=ImageFactory(caption_ja="港の夕暮れ"))
    after = state(korean_story, "ja")
    assert (after.translated_by, after.translated_at) == (
        translator,
        before.translated_at,
    )
