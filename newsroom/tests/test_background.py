"""The desk's page of background work: what waits, and what was given up."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.tests.factories import UserFactory
from images.models import Image
from images.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:background_work")


def unreadable_picture() -> Image:
    image = ImageFactory()
    image.file.save("broken.jpg", ContentFile(b"not a picture"), save=True)
    return image


def test_an_editor_sees_what_was_given_up_with_a_link_to_it(client, run_tasks):
    image = unreadable_picture()
    run_tasks()
    given_up = DBTaskResult.objects.failed().count()
    assert given_up >= 1
    client.force_login(UserFactory(role="editor"))
    front = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ko")
    assert f"백그라운드 작업 {given_up}건을 포기했습니다" in front.content.decode()
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    failed = html.split('<table class="background-failed">', 1)[1]
    assert "사진의 작은 사본" in failed
    assert reverse("admin:images_image_change", args=[image.pk]) in failed
    assert "GivenUp" in failed


def test_what_waits_is_counted(client):
    ImageFactory()  # its renditions job waits for the worker
    client.force_login(UserFactory(superuser=True))
    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    waiting = DBTaskResult.objects.count()
    assert waiting >= 1
    assert (
        f'<span class="desk-queue-count">{waiting}</span> '
        '<span class="desk-queue-label">waiting</span>'
    ) in html
    assert "Nothing was given up" in html


def test_reporters_and_translators_do_not_see_it(client):
    for role in ("reporter", "translator"):
        client.force_login(UserFactory(role=role))
        assert client.get(PAGE).status_code == 403
        assert "background" not in client.get(reverse("admin:index")).content.decode()
