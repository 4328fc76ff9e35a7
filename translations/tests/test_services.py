"""The state of each story in each language, through every write that changes text."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from reversion.models import Version

from articles import services as article_services
from articles.models import Article
from articles.tests.factories import ArticleFactory
from images import services as image_services
from translations import services
from translations.models import TranslationState

pytestmark = pytest.mark.django_db
Status = TranslationState.Status

JAPANESE = {
    "headline_ja": "沿岸都市、雨水貯留トンネルが完成",
    "dek_ja": "梅雨の浸水を防ぐトンネルが開通した。",
    "body_ja": "<p>市の新しい雨水トンネルが<strong>今日</strong>開通した。</p>",
    "key_points_ja": "トンネルの長さ3キロ\n貯留量20万トン",
}


def edit(article: Article, user, minor_edit: bool = False, **values) -> Article:
    """Change fields as a form would and save through the service."""
    article = Article.objects.get(pk=article.pk)
    for name, value in values.items():
        setattr(article, name, value)
    return article_services.article_save(
        article=article,
        user=user,
        changed_fields=values,
        loaded_version=article.version,
        minor_edit=minor_edit,
    )


def state(article: Article, language: str) -> TranslationState:
    return TranslationState.objects.get(article=article, language=language)


IMAGE_JAPANESE = {
    "feature_image_alt": "雨水トンネルの内部",
    "feature_image_caption": "完成した雨水トンネルの内部",
    "feature_image_credit": "ニュースルーム写真部",
}


def translate_image(article: Article, language: str, editor) -> None:
    """Translate the story's words for its picture (Japanese words, any language)."""
    edit(
        article,
        editor,
        **{f"{field}_{language}": text for field, text in IMAGE_JAPANESE.items()},
    )


def test_a_translation_goes_from_missing_to_up_to_date_to_outdated_and_back(
    korean_story, translator, editor
):
    assert state(korean_story, "ko").status == Status.UP_TO_DATE
    assert state(korean_story, "ja").status == Status.MISSING

    edit(korean_story, translator, headline_ja=JAPANESE["headline_ja"])
    ja = state(korean_story, "ja")
    assert ja.status == Status.IN_PROGRESS
    assert ja.translated_by == translator
    assert ja.translated_at is not None

    edit(korean_story, translator, **JAPANESE)
    translate_image(korean_story, "ja", editor)
    assert state(korean_story, "ja").status == Status.UP_TO_DATE

    edit(korean_story, editor, body_ko="<p>도시의 새 빗물 터널이 어제 문을 열었다.</p>")
    ja = state(korean_story, "ja")
    assert ja.status == Status.OUTDATED
    changes = services.stale_fields(ja)
    assert [change["unit"].key for change in changes] == ["body"]
    assert "<strong>오늘</strong>" in changes[0]["old"]
    assert "어제" in changes[0]["new"]
    # English was never translated: still missing, not outdated.
    assert state(korean_story, "en").status == Status.MISSING

    edit(
        korean_story,
        translator,
        body_ja="<p>市の新しい雨水トンネルが昨日開通した。</p>",
    )
    ja = state(korean_story, "ja")
    assert ja.status == Status.UP_TO_DATE
    assert services.stale_fields(ja) == []


def test_a_minor_edit_keeps_translations_up_to_date(korean_story, translator, editor):
    edit(korean_story, translator, **JAPANESE)
    translate_image(korean_story, "ja", editor)
    edit(
        korean_story,
        editor,
        minor_edit=True,
        dek_ko="장마철 침수를 막는 터널이 문을 열었다.",
    )
    ja = state(korean_story, "ja")
    assert ja.status == Status.UP_TO_DATE
    assert services.stale_fields(ja) == []
    # The next real change is measured against the corrected text.
    edit(korean_story, editor, dek_ko="완전히 새로운 요약.")
    assert [c["old"] for c in services.stale_fields(state(korean_story, "ja"))] == [
        "장마철 침수를 막는 터널이 문을 열었다."
    ]


def test_a_minor_edit_does_not_freshen_a_field_already_outdated(
    korean_story, translator, editor
):
    edit(korean_story, translator, **JAPANESE)
    translate_image(korean_story, "ja", editor)
    edit(korean_story, editor, dek_ko="요약이 바뀌었다.")
    edit(korean_story, editor, minor_edit=True, dek_ko="요약이 바뀌었다!")
    assert state(korean_story, "ja").status == Status.OUTDATED


def test_an_editor_changing_source_and_translation_together_stays_up_to_date(
    korean_story, translator, editor
):
    edit(korean_story, translator, **JAPANESE)
    translate_image(korean_story, "ja", editor)
    edit(
        korean_story,
        editor,
        headline_ko="해안 도시, 빗물 터널 개통",
        headline_ja="沿岸都市、雨水トンネル開通",
    )
    assert state(korean_story, "ja").status == Status.UP_TO_DATE


def test_a_changed_library_caption_outdates_only_the_stories_that_show_it(
    korean_story, translator, editor
):
    edit(korean_story, translator, **JAPANESE)
    translate_image(korean_story, "ja", editor)
    # Another story shows the same picture with its own Korean caption.
    own = ArticleFactory(
        source_language="ko",
        without_ja=True,
        feature_image=korean_story.feature_image,
        feature_image_caption_ko="개통식에 모인 시민들",
    )
    edit(own, translator, **JAPANESE)
    translate_image(own, "ja", editor)
    assert state(own, "ja").status == Status.UP_TO_DATE

    image = korean_story.feature_image
    image.caption_ko = "개통식 날의 빗물 터널 내부"
    image_services.image_save(image=image, user=editor, loaded_version=image.version)

    ja = state(korean_story, "ja")
    assert ja.status == Status.OUTDATED
    assert [c["unit"].key for c in services.stale_fields(ja)] == ["image.caption"]
    # Its own caption is what it shows: the library's change is not its news.
    assert state(own, "ja").status == Status.UP_TO_DATE


def test_the_pictures_words_count_in_the_state_and_stay_the_storys_own(
    korean_story, translator, editor
):
    image_version = korean_story.feature_image.version
    edit(korean_story, translator, **JAPANESE)
    ja = state(korean_story, "ja")
    # The caption and credit are still to translate (the library has no
    # Japanese for them).
    assert ja.status == Status.IN_PROGRESS

    translate_image(korean_story, "ja", editor)

    assert state(korean_story, "ja").status == Status.UP_TO_DATE
    story = Article.objects.get(pk=korean_story.pk)
    assert story.feature_image_caption_ja == "完成した雨水トンネルの内部"
    image = story.feature_image
    assert (image.caption_ja, image.credit_ja, image.version) == (
        None,
        "",
        image_version,
    )


def test_a_story_written_in_two_languages_at_once_has_both_up_to_date(editor):
    article = Article(
        source_language="en",
        category=ArticleFactory().category,
        headline_en="Harbour ferry returns",
        body_en="<p>The ferry is back.</p>",
        headline_ko="항구 여객선 운항 재개",
        body_ko="<p>여객선이 돌아왔다.</p>",
    )
    article_services.article_save(article=article, user=editor, changed_fields=[])
    assert state(article, "ko").status == Status.UP_TO_DATE
    assert state(article, "ko").translated_by == editor
    assert state(article, "ja").status == Status.MISSING


def test_restoring_the_source_a_translation_was_made_from_makes_it_fresh_again(
    korean_story, translator, editor
):
    translate_image(korean_story, "ja", editor)
    edit(korean_story, translator, **JAPANESE)
    translated = Version.objects.get_for_object(korean_story).first()
    edit(korean_story, editor, body_ko="<p>고쳐 쓴 본문.</p>")
    assert state(korean_story, "ja").status == Status.OUTDATED
    article_services.article_restore(
        article=korean_story, user=editor, version=translated
    )
    assert state(korean_story, "ja").status == Status.UP_TO_DATE


def test_one_language_is_unpublished_without_touching_the_others(
    korean_story, translator, editor, client
):
    edit(korean_story, translator, **JAPANESE)
    korean_story.refresh_from_db()
    ja_url = korean_story.get_absolute_url("ja")
    assert client.get(ja_url).status_code == 200

    services.translation_set_published(
        article=korean_story, language="ja", user=editor, is_published=False
    )
    assert not Article.objects.live("ja").filter(pk=korean_story.pk).exists()
    assert Article.objects.live("ko").filter(pk=korean_story.pk).exists()
    assert client.get(ja_url).status_code == 404
    korean_page = client.get(korean_story.get_absolute_url("ko")).content.decode()
    assert ja_url not in korean_page
    assert Article.objects.get(pk=korean_story.pk).status == Article.Status.PUBLISHED

    services.translation_set_published(
        article=korean_story, language="ja", user=editor, is_published=True
    )
    assert client.get(ja_url).status_code == 200


def test_only_a_publishing_editor_publishes_a_language(korean_story, translator):
    with pytest.raises(PermissionDenied):
        services.translation_set_published(
            article=korean_story, language="ja", user=translator, is_published=False
        )
    assert state(korean_story, "ja").is_published


def machine_written(article: Article, editor) -> Article:
    """Write the Japanese text as a machine would, and record it as such."""
    translate_image(article, "ja", editor)
    before = Article.objects.get(pk=article.pk)
    article = Article.objects.get(pk=article.pk)
    for name, value in JAPANESE.items():
        setattr(article, name, value)
    article.save()
    services.translation_refresh(
        article=article, stored=before, user=editor, machine="offline"
    )
    return article


def test_machine_output_is_withheld_until_a_person_approves_it(
    korean_story, translator, en_translator, editor
):
    article = machine_written(korean_story, editor)
    ja = state(article, "ja")
    assert ja.status == Status.NEEDS_REVIEW
    assert ja.machine_translator == "offline"
    assert ja.is_withheld
    assert not Article.objects.live("ja").filter(pk=article.pk).exists()

    with pytest.raises(PermissionDenied):
        services.translation_review(article=article, language="ja", user=en_translator)
    services.translation_review(article=article, language="ja", user=translator)
    ja = state(article, "ja")
    assert ja.status == Status.UP_TO_DATE
    assert ja.reviewed_by == translator
    assert not ja.is_withheld
    assert Article.objects.live("ja").filter(pk=article.pk).exists()


def test_an_incomplete_translation_cannot_be_approved(korean_story, translator):
    edit(korean_story, translator, headline_ja=JAPANESE["headline_ja"])
    with pytest.raises(ValidationError):
        services.translation_review(
            article=korean_story, language="ja", user=translator
        )
    assert state(korean_story, "ja").reviewed_by is None


def test_a_translator_still_cannot_write_the_source_or_another_language(
    korean_story, translator
):
    with pytest.raises(PermissionDenied):
        edit(korean_story, translator, headline_ko="바꾼 제목")
    with pytest.raises(PermissionDenied):
        edit(korean_story, translator, headline_en="Changed")
    assert state(korean_story, "en").status == Status.MISSING


def test_unreviewed_machine_text_stays_withheld_when_the_source_moves_on(
    korean_story, editor
):
    article = machine_written(korean_story, editor)
    edit(article, editor, dek_ko="기사 요약이 바뀌었다.")
    ja = state(article, "ja")
    assert (ja.status, ja.has_machine_text, ja.is_withheld) == (
        Status.OUTDATED,
        True,
        True,
    )
    assert not Article.objects.live("ja").filter(pk=article.pk).exists()
