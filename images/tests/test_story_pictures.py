"""Pictures placed in story bodies: recorded on every save, so never deleted in use."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory
from images.models import Image, StoryPicture
from images.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def placed(image: Image, caption: str = "") -> str:
    words = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure data-image="{image.pk}">{words}</figure>'


def recorded(article: Article) -> set[int]:
    return set(
        StoryPicture.objects.filter(article=article).values_list("image", flat=True)
    )


def test_pictures_in_any_languages_body_are_recorded_and_forgotten_when_removed():
    harbour, crane, gone = ImageFactory(), ImageFactory(), ImageFactory()
    gone_pk = gone.pk
    gone.delete()
    story = ArticleFactory(
        body_ko="<p>본문</p>" + placed(harbour),
        body_ja="<p>本文</p>"
        + f'<div data-gallery="">{placed(crane)}{placed(harbour)}</div>'
        + f'<figure data-image="{gone_pk}"></figure>',
    )
    # A picture that no longer exists is not recorded (its figure is left out).
    assert recorded(story) == {harbour.pk, crane.pk}
    story.body_ja = "<p>本文だけ</p>"
    story.save()
    assert recorded(story) == {harbour.pk}
    story.body_ko = "<p>본문만</p>"
    story.save(update_fields=["body_ko"])
    assert recorded(story) == set()


def test_saving_other_fields_leaves_the_record_alone(django_assert_num_queries):
    image = ImageFactory()
    story = ArticleFactory(body_ko="<p>본문</p>" + placed(image))
    with django_assert_num_queries(1):
        story.save(update_fields=["headline_ko"])
    assert recorded(story) == {image.pk}


def test_the_desk_refuses_to_delete_a_picture_a_body_shows_and_names_the_story(
    client,
):
    image = ImageFactory()
    ArticleFactory(
        headline_ko="등대가 있는 항구", body_ko="<p>본문</p>" + placed(image)
    )
    client.force_login(UserFactory(role="editor"))
    url = reverse("admin:images_image_delete", args=[image.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "등대가 있는 항구" in page
    client.post(url, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()


def test_the_library_counts_a_picture_in_a_body_as_in_use(client):
    used, unused = ImageFactory(), ImageFactory()
    ArticleFactory(body_ko="<p>본문</p>" + placed(used))
    client.force_login(UserFactory(role="editor"))
    listed = (
        client.get(reverse("admin:images_image_changelist"), {"use": "unused"})
        .context["cl"]
        .result_list
    )
    assert list(listed) == [unused]
    page = client.get(reverse("admin:images_image_changelist"))
    flags = {image.pk: image.is_used for image in page.context["cl"].result_list}
    assert flags == {used.pk: True, unused.pk: False}


def test_the_upgrade_records_the_pictures_existing_bodies_place():
    migration = import_module("images.migrations.0007_story_pictures")
    image = ImageFactory()
    story = ArticleFactory(body_en="<p>Body</p>" + placed(image, "A pier"))
    StoryPicture.objects.all().delete()
    migration.record_placed_pictures(apps, None)
    assert recorded(story) == {image.pk}
