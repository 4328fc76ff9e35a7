"""Renditions come from the background worker: retried, reported, never in the save."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.tests.factories import UserFactory
from core.retries import MAX_ATTEMPTS
from images.models import Image, Rendition, RenditionProblem
from images.tasks import make_renditions
from images.tests.factories import ImageFactory
from images.tests.test_renditions import two_colour_jpeg

pytestmark = pytest.mark.django_db


def stored_picture(data: bytes | None = None) -> Image:
    image = ImageFactory()
    image.file.save("photo.jpg", ContentFile(data or two_colour_jpeg()), save=True)
    return image


def test_a_saved_picture_gets_its_renditions_from_the_worker_not_the_save(
    run_tasks,
):
    image = stored_picture()
    assert not Rendition.objects.exists()  # the save only left a job
    assert DBTaskResult.objects.filter(
        task_path="images.tasks.make_renditions"
    ).exists()
    run_tasks()
    assert Rendition.objects.filter(image=image).count() > 10


def test_a_save_rolled_back_leaves_no_job():
    with pytest.raises(RuntimeError), transaction.atomic():
        stored_picture()
        raise RuntimeError("the rest of the save failed")
    assert not DBTaskResult.objects.exists()


def test_a_file_that_is_not_a_picture_is_reported_at_once(run_tasks, client):
    image = stored_picture()
    run_tasks()
    # Its file replaced behind the library's back by bytes no decoder reads.
    Rendition.objects.all().delete()
    with image.file.storage.open(image.file.name, "wb") as handle:
        handle.write(b"not a picture at all")
    Image.objects.get(pk=image.pk).save()
    run_tasks()
    image.refresh_from_db()
    assert image.renditions_problem == RenditionProblem.UNREADABLE
    assert image.renditions_failed_at is not None
    assert run_tasks() == 0  # nothing retried
    # The job failed, for the desk's page of background work to show.
    assert DBTaskResult.objects.failed().count() == 1

    client.force_login(UserFactory(role="editor"))
    page = client.get(
        reverse("admin:images_image_change", args=[image.pk]),
        HTTP_ACCEPT_LANGUAGE="ko",
    ).content.decode()
    assert "작은 사본을 만들지 못했습니다" in page
    listed = client.get(
        reverse("admin:images_image_changelist") + "?renditions=failed"
    ).content.decode()
    assert f"/admin/images/image/{image.pk}/change/" in listed


def test_a_storage_failure_is_retried_then_given_up_and_reported(
    run_tasks, monkeypatch, caplog
):
    image = stored_picture()
    DBTaskResult.objects.all().delete()
    make_renditions.enqueue(image.pk)

    def refuse(*args, **kwargs):
        raise OSError("the object store is down")

    monkeypatch.setattr("images.renditions.default_storage.save", refuse)
    with caplog.at_level(logging.WARNING, logger="images.renditions"):
        assert run_tasks() == 1
    assert "retrying in 60 s" in caplog.text
    image.refresh_from_db()
    assert image.renditions_failed_at is None  # not given up yet
    now = timezone.now()
    for step in range(1, MAX_ATTEMPTS):
        with time_machine.travel(now + timedelta(hours=2 * step)):
            assert run_tasks() == 1
    image.refresh_from_db()
    assert image.renditions_problem == RenditionProblem.STORAGE
    assert DBTaskResult.objects.failed().count() == 1
    assert "given up" in caplog.text


def test_a_retry_that_succeeds_clears_the_report(run_tasks, monkeypatch):
    from django.core.files.storage import default_storage

    real_save = default_storage.save
    calls = []

    def down_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("the object store is down")
        return real_save(*args, **kwargs)

    image = stored_picture()
    DBTaskResult.objects.all().delete()
    make_renditions.enqueue(image.pk)
    Image.objects.filter(pk=image.pk).update(
        renditions_failed_at=timezone.now(), renditions_problem="storage"
    )
    monkeypatch.setattr("images.renditions.default_storage.save", down_once)
    run_tasks()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        run_tasks()
    image.refresh_from_db()
    assert (image.renditions_failed_at, image.renditions_problem) == (None, "")
    assert Rendition.objects.filter(image=image).exists()


def test_generate_renditions_makes_what_is_missing_and_notes_sizes():
    from io import StringIO

    from django.core.management import call_command

    image = stored_picture()
    Image.objects.filter(pk=image.pk).update(file_size=None)
    out = StringIO()
    call_command("generate_renditions", stdout=out)
    assert "1 made" in out.getvalue()
    image.refresh_from_db()
    assert image.file_size == image.file.size
    assert Rendition.objects.filter(image=image).exists()
