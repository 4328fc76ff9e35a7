"""Share cards are drawn by the worker when a story goes live or changes."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.services import article_publish, article_save
from articles.tests.factories import ArticleFactory, UserFactory
from images.models import ShareCard
from images.sharecards.storage import card_fingerprint

pytestmark = pytest.mark.django_db

CARD_JOBS = {"task_path": "images.tasks.draw_share_cards"}


@pytest.fixture
def editor():
    return UserFactory(role="editor")


def test_a_story_going_live_gets_its_cards_from_the_worker(
    editor, run_tasks, django_capture_on_commit_callbacks
):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=story, user=editor)
    assert not ShareCard.objects.exists()  # not in the request
    run_tasks()
    assert set(ShareCard.objects.values_list("language", flat=True)) == {
        "ko",
        "ja",
        "en",
    }


def test_a_live_storys_new_headline_redraws_its_card(editor, run_tasks):
    story = ArticleFactory()
    story.headline_ja = "港のクレーン、再び動く"
    article_save(
        article=story,
        user=editor,
        changed_fields=["headline_ja"],
        loaded_version=story.version,
    )
    run_tasks()
    card = ShareCard.objects.get(article=story, language="ja")
    assert card.fingerprint == card_fingerprint(story, "ja")


def test_a_drafts_changes_draw_nothing(editor):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    story.headline_ko = "고치는 중인 제목"
    article_save(
        article=story,
        user=editor,
        changed_fields=["headline_ko"],
        loaded_version=story.version,
    )
    assert not DBTaskResult.objects.filter(**CARD_JOBS).exists()


def test_a_drawing_that_fails_is_tried_again(editor, run_tasks, monkeypatch, caplog):
    story = ArticleFactory()
    calls = []

    def broken_once(article, language):
        calls.append(language)
        if len(calls) == 1:
            raise OSError("the object store is down")

    monkeypatch.setattr("images.sharecards.storage.share_card", broken_once)
    from images.tasks import draw_share_cards

    DBTaskResult.objects.all().delete()  # the factory's own, if any
    draw_share_cards.enqueue(story.pk)
    with caplog.at_level(logging.WARNING, logger="images.sharecards.storage"):
        run_tasks()
    assert "retrying in 60 s" in caplog.text
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert run_tasks() == 1
    assert calls.count("ko") == 2
