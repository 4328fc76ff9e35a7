"""A picture's words: the library's through the images service, a story's with it."""

import pytest
from django.utils import translation

from articles.models import Article
from articles.signals import article_text_changed
from articles.tests.factories import ArticleFactory
from articles.tests.test_services import image_form, post_image_form
from images import services as image_services
from images.models import Image
from translations import machine
from translations.tests.test_po import export, import_file, save, translate
from translations.tests.test_services import state

pytestmark = pytest.mark.django_db
CAPTION_JA = "完成した雨水トンネルの内部"


def by_po_import(story, translator, tmp_path):
    catalogue = translate(export(story).catalogue, story, {"image.caption": CAPTION_JA})
    with translation.override("en"):
        report = import_file(save(catalogue, tmp_path), translator)
    assert report.is_applied, report.errors
    return CAPTION_JA


def by_machine(story, translator, tmp_path):
    machine.translation_machine_translate(article=story, language="ja", user=translator)
    return "[ja] " + story.feature_image.caption_ko


@pytest.mark.parametrize("write", [by_po_import, by_machine])
def test_translating_a_storys_picture_words_writes_the_story_not_the_picture(
    write, korean_story, translator, tmp_path, settings, monkeypatch
):
    settings.NEWSROOM_MACHINE_TRANSLATOR = "offline"
    other = ArticleFactory(
        feature_image=korean_story.feature_image, status=Article.Status.DRAFT
    )
    other_states = list(state(other, "ja").fields.values_list("unit", "is_machine"))
    version = korean_story.feature_image.version
    through_service = []
    monkeypatch.setattr(
        image_services,
        "_image_shown_changed",
        lambda image, stored, **kwargs: through_service.append(image.pk),
    )
    told = []

    def receiver(sender, article, **kwargs):
        told.append(article.pk)

    article_text_changed.connect(receiver, dispatch_uid="test_image_writes")
    try:
        caption = write(korean_story, translator, tmp_path)
    finally:
        article_text_changed.disconnect(dispatch_uid="test_image_writes")

    story = Article.objects.select_related("feature_image").get(pk=korean_story.pk)
    assert story.feature_image_caption_ja == caption
    record = state(story, "ja").fields.get(unit="image.caption")
    assert record.source_text == "완공된 빗물 터널 내부"
    assert record.is_machine == (write is by_machine)
    image = Image.objects.get(pk=korean_story.feature_image_id)
    assert (image.caption_ja, image.version) == (None, version)
    assert through_service == []
    # Only the translated story heard of it (the import refreshes directly).
    assert other.pk not in told
    assert (
        list(state(other, "ja").fields.values_list("unit", "is_machine"))
        == other_states
    )


def test_the_librarys_words_go_through_the_service_to_every_story_showing_them(
    korean_story, translator, client, monkeypatch
):
    other = ArticleFactory(
        feature_image=korean_story.feature_image, status=Article.Status.DRAFT
    )
    # This story has its own Japanese caption: the library's is not what it shows.
    own = ArticleFactory(
        feature_image=korean_story.feature_image,
        feature_image_caption_ja="この記事のキャプション",
    )
    version = korean_story.feature_image.version
    through_service = []
    shown_changed = image_services._image_shown_changed

    def spy(image, stored, **kwargs):
        through_service.append(image.pk)
        shown_changed(image, stored, **kwargs)

    monkeypatch.setattr(image_services, "_image_shown_changed", spy)
    client.force_login(translator)
    image = korean_story.feature_image
    response = post_image_form(
        client, image, image_form(client, image), caption_ja=CAPTION_JA
    )
    assert response.status_code == 302

    image = Image.objects.get(pk=korean_story.feature_image_id)
    assert (image.caption_ja, image.version) == (CAPTION_JA, version + 1)
    assert through_service == [image.pk]
    for story in (korean_story, other):
        record = state(story, "ja").fields.get(unit="image.caption")
        assert record.source_text == "완공된 빗물 터널 내부"
    shown = Article.objects.select_related("feature_image").in_bulk(
        [korean_story.pk, other.pk, own.pk]
    )
    assert shown[korean_story.pk].feature_word("caption", "ja") == CAPTION_JA
    assert shown[other.pk].feature_word("caption", "ja") == CAPTION_JA
    assert shown[own.pk].feature_word("caption", "ja") == "この記事のキャプション"
