"""Deleting a picture: refused while a story shows it; its files go after commit."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.tests.factories import ArticleFactory, UserFactory
from images.models import Image, Rendition
from images.tests.test_rendition_tasks import stored_picture

pytestmark = pytest.mark.django_db


def files_of(image: Image) -> list[str]:
    return [
        image.file.name,
        *Rendition.objects.filter(image=image).values_list("file", flat=True),
    ]


def test_a_deleted_pictures_original_and_renditions_leave_storage(run_tasks):
    image = stored_picture()
    run_tasks()
    names = files_of(image)
    assert len(names) > 10 and all(default_storage.exists(n) for n in names)
    image.delete()
    assert all(default_storage.exists(n) for n in names)  # not before the worker
    run_tasks()
    assert not any(default_storage.exists(n) for n in names)


def test_a_deletion_rolled_back_keeps_the_files(run_tasks):
    image = stored_picture()
    run_tasks()
    names = files_of(image)
    with pytest.raises(RuntimeError), transaction.atomic():
        Image.objects.get(pk=image.pk).delete()
        raise RuntimeError("the rest failed")
    run_tasks()
    assert all(default_storage.exists(n) for n in names)


class RefusingStorage:
    def delete(self, name: str) -> None:
        raise OSError("the object store is down")


def test_a_storage_that_refuses_is_tried_again(run_tasks, monkeypatch, caplog):
    image = stored_picture()
    run_tasks()
    name = image.file.name
    monkeypatch.setattr("images.cleanup.default_storage", RefusingStorage())
    image.delete()
    with caplog.at_level(logging.WARNING, logger="images.cleanup"):
        run_tasks()
    assert default_storage.exists(name)
    assert "Could not delete" in caplog.text
    monkeypatch.setattr("images.cleanup.default_storage", default_storage)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        run_tasks()
    assert not default_storage.exists(name)


def test_the_desk_refuses_to_delete_a_picture_a_story_shows(client):
    image = stored_picture()
    story = ArticleFactory(feature_image=image, headline_ko="항만 크레인 멈춰")
    client.force_login(UserFactory(role="editor"))
    url = reverse("admin:images_image_delete", args=[image.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "항만 크레인 멈춰" in page
    assert reverse("admin:articles_article_change", args=[story.pk]) in page
    client.post(url, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()
