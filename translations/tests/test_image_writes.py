"""A picture's words, whoever writes them, go through the one images service."""

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


def by_po_import(story, translator, tmp_path, client):
    catalogue = translate(export(story).catalogue, story, {"image.caption": CAPTION_JA})
    with translation.override("en"):
        report = import_file(save(catalogue, tmp_path), translator)
    assert report.is_applied, report.errors
    return CAPTION_JA


def by_machine(story, translator, tmp_path, client):
    machine.translation_machine_translate(article=story, language="ja", user=translator)
    return "[ja] " + story.feature_image.caption_ko


def by_admin_form(story, translator, tmp_path, client):
    client.force_login(translator)
    image = story.feature_image
    response = post_image_form(
        client, image, image_form(client, image), caption_ja=CAPTION_JA
    )
    assert response.status_code == 302
    return CAPTION_JA


@pytest.mark.parametrize("write", [by_po_import, by_machine, by_admin_form])
def test_every_path_raises_the_pictures_version_and_refreshes_its_stories_in_one_place(
    write, korean_story, translator, tmp_path, client, settings, monkeypatch
):
    settings.NEWSROOM_MACHINE_TRANSLATOR = "offline"
    # Another story shows the picture; not live in Japanese, so a machine
    # may write the picture's words too.
    other = ArticleFactory(
        feature_image=korean_story.feature_image, status=Article.Status.DRAFT
    )
    version = korean_story.feature_image.version
    through_service = []
    shown_changed = image_services._image_shown_changed

    def spy(image, stored, **kwargs):
        through_service.append(image.pk)
        shown_changed(image, stored, **kwargs)

    monkeypatch.setattr(image_services, "_image_shown_changed", spy)
    told = {}

    def receiver(sender, article, stored, machine="", **kwargs):
        if article.feature_image.caption_ja != stored.feature_image.caption_ja:
            told[article.pk] = machine

    article_text_changed.connect(receiver, dispatch_uid="test_image_writes")
    try:
        caption = write(korean_story, translator, tmp_path, client)
    finally:
        article_text_changed.disconnect(dispatch_uid="test_image_writes")

    image = Image.objects.get(pk=korean_story.feature_image_id)
    assert image.caption_ja == caption
    assert image.version == version + 1
    assert through_service == [image.pk]
    # Both stories showing it heard that the picture's words changed.
    expected_machine = "offline" if write is by_machine else ""
    assert told == {korean_story.pk: expected_machine, other.pk: expected_machine}
    record = state(other, "ja").fields.get(unit="image.caption")
    assert record.source_text == korean_story.feature_image.caption_ko
    assert record.is_machine == (write is by_machine)
