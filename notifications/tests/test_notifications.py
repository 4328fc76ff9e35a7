"""Who is told what about a story, in the desk and by e-mail, in their language."""

import logging
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.services import article_publish, article_return, article_save
from articles.tests.factories import ArticleFactory, UserFactory
from articles.tests.test_action_bar import change_url, press
from notifications.models import Notification, Preference
from notifications.services import MAX_EMAIL_ATTEMPTS, preference_save
from translations.models import LanguagePolicy
from translations.services import translation_assign, translation_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter():
    person = UserFactory(role="reporter", first_name="지우", last_name="김")
    preference_save(user=person, language="ko")
    return person


@pytest.fixture
def editor():
    person = UserFactory(role="editor", first_name="花子", last_name="山田")
    preference_save(user=person, language="ja")
    return person


@pytest.fixture
def draft(reporter):
    return ArticleFactory(
        status=Article.Status.DRAFT,
        published_at=None,
        created_by=reporter,
        source_language="ko",
        headline_ko="항만 크레인 멈춰",
        headline_ja="港のクレーン停止",
    )


def submit(story, reporter):
    story.status = Article.Status.IN_REVIEW
    return article_save(
        article=story,
        user=reporter,
        changed_fields=["status"],
        loaded_version=story.version,
    )


def test_a_submitted_story_tells_each_editor_in_their_language(
    client, draft, reporter, editor, run_tasks
):
    other_editor = UserFactory(role="editor")
    UserFactory(role="reporter")  # reporters review nothing
    client.force_login(reporter)
    assert press(client, draft, "submit").status_code == 302

    told = Notification.objects.filter(article=draft)
    assert {n.recipient for n in told} == {editor, other_editor}
    assert {n.kind for n in told} == {Notification.Kind.SUBMITTED}
    assert mail.outbox == []  # the worker sends, not the request
    assert run_tasks() == 2

    to_editor = next(m for m in mail.outbox if m.to == [editor.email])
    assert to_editor.subject == "[ニュースルーム] 港のクレーン停止"
    said = "김지우さんが「港のクレーン停止」をレビューに提出しました。"
    assert said in to_editor.body
    assert f"https://desk.example.org{change_url(draft)}" in to_editor.body
    to_other = next(m for m in mail.outbox if m.to == [other_editor.email])
    # No language chosen yet: the newsroom's own, Korean.
    assert "검토" in to_other.body


def test_a_returned_story_tells_its_reporter_with_the_note(
    draft, reporter, editor, run_tasks
):
    submit(draft, reporter)
    Notification.objects.all().delete()
    article_return(article=draft, user=editor, note="두 번째 출처를 밝혀 주세요.")

    told = Notification.objects.get()
    assert (told.recipient, told.kind, told.actor) == (
        reporter,
        Notification.Kind.RETURNED,
        editor,
    )
    run_tasks()
    (message,) = [m for m in mail.outbox if m.to == [reporter.email]]
    assert "山田 花子" in message.body
    assert "돌려보냈습니다" in message.body
    assert "두 번째 출처를 밝혀 주세요." in message.body


def test_going_live_tells_the_reporter_now_or_at_the_scheduled_time(
    draft, reporter, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(
            article=draft, user=editor, at=timezone.now() + timedelta(hours=2)
        )
    assert not Notification.objects.filter(kind=Notification.Kind.PUBLISHED)

    from articles.services import article_run_live_effects

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        article_run_live_effects(article_id=draft.pk)
    told = Notification.objects.get(kind=Notification.Kind.PUBLISHED)
    assert told.recipient == reporter


def test_an_editor_publishing_their_own_story_is_not_told_it_went_live(
    editor, django_capture_on_commit_callbacks
):
    # An archive import publishes thousands of the importing editor's own
    # stories: none of them is news to that editor.
    own = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, created_by=editor
    )
    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=own, user=editor)
    assert not Notification.objects.filter(kind=Notification.Kind.PUBLISHED)


def test_a_source_change_tells_the_translators_of_outdated_languages(
    reporter, run_tasks
):
    japanese = UserFactory(role="translator", languages=("ja",))
    english = UserFactory(role="translator", languages=("en",))
    editor = UserFactory(role="editor")
    story = ArticleFactory(source_language="ko", without_en=True, created_by=reporter)
    # The Japanese translation is complete and fresh; English was never made.
    story.headline_ja = story.headline_ja + "。"
    article_save(
        article=story,
        user=japanese,
        changed_fields=["headline_ja"],
        loaded_version=story.version,
    )
    Notification.objects.all().delete()

    story.headline_ko = "항만 크레인 다시 움직여"
    article_save(
        article=story,
        user=editor,
        changed_fields=["headline_ko"],
        loaded_version=story.version,
    )
    told = Notification.objects.get()
    assert (told.recipient, told.kind, told.language_list) == (
        japanese,
        Notification.Kind.OUTDATED,
        ["ja"],
    )
    assert not Notification.objects.filter(recipient=english)
    # A second change while it is still outdated tells nobody again.
    story.refresh_from_db()
    story.headline_ko = "항만 크레인 모두 다시 움직여"
    article_save(
        article=story,
        user=editor,
        changed_fields=["headline_ko"],
        loaded_version=story.version,
    )
    assert Notification.objects.count() == 1


def test_a_person_who_turned_email_off_is_told_only_in_the_desk(
    draft, reporter, editor, run_tasks
):
    preference_save(user=editor, is_email_on=False)
    submit(draft, reporter)
    run_tasks()
    assert mail.outbox == []
    told = Notification.objects.get(recipient=editor)
    assert told.email == Notification.Email.OFF
    assert told.read_at is None


def test_a_save_that_fails_leaves_no_notification_and_no_job(draft, reporter, editor):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(draft, reporter)
        raise RuntimeError("the save failed after the signal")
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()


class BrokenMailServer(Exception):
    pass


def test_a_failing_mail_server_is_retried_later_then_given_up(
    draft, reporter, editor, run_tasks, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise BrokenMailServer("connection refused")

    monkeypatch.setattr("notifications.services.send_mail", refuse)
    submit(draft, reporter)
    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        assert run_tasks() == 1
    told = Notification.objects.get(recipient=editor)
    assert (told.email, told.email_attempts) == (Notification.Email.PENDING, 1)
    assert "retrying in 60 s" in caplog.text
    assert run_tasks() == 0  # not before its time

    now = timezone.now()
    for hours in range(1, MAX_EMAIL_ATTEMPTS):
        with time_machine.travel(now + timedelta(hours=2 * hours)):
            assert run_tasks() == 1
    told.refresh_from_db()
    assert (told.email, told.email_attempts) == (
        Notification.Email.FAILED,
        MAX_EMAIL_ATTEMPTS,
    )
    # The last job failed, for the desk's page of background work to show.
    assert DBTaskResult.objects.failed().count() == 1
    assert "given up" in caplog.text


def test_a_retry_after_the_server_is_back_sends_it_once(
    draft, reporter, editor, run_tasks, monkeypatch
):
    from django.core.mail import send_mail

    calls = []

    def once_down(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise BrokenMailServer("connection refused")
        return send_mail(*args, **kwargs)

    monkeypatch.setattr("notifications.services.send_mail", once_down)
    submit(draft, reporter)
    run_tasks()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        run_tasks()
        run_tasks()
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert Notification.objects.get(recipient=editor).email == Notification.Email.SENT


def test_logging_in_and_switching_language_set_the_language_of_emails(client):
    person = UserFactory(username="minji")
    client.post(
        reverse("admin:login"),
        {"username": "minji", "password": "pw"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert Preference.objects.get(user=person).language == "ja"
    client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})
    assert Preference.objects.get(user=person).language == "en"


def test_an_assigned_translation_tells_the_translator_in_their_language(
    client, draft, editor, run_tasks
):
    yuki = UserFactory(
        role="translator", languages=("ja",), first_name="由紀", last_name="浜田"
    )
    preference_save(user=yuki, language="ja")
    translation_assign(
        article=draft,
        language="ja",
        assignee=yuki,
        due_on=date(2026, 12, 10),
        priority="high",
        user=editor,
    )
    told = Notification.objects.get(recipient=yuki)
    assert told.kind == Notification.Kind.ASSIGNED
    assert told.due_on == date(2026, 12, 10)
    sentence = "日本語への翻訳を2026年12月10日までに依頼しました"
    client.force_login(yuki)
    assert sentence in client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    run_tasks()
    (email,) = mail.outbox
    assert email.to == [yuki.email]
    assert sentence in email.body


def test_a_returned_translation_tells_its_translator_with_the_note(
    client, draft, editor
):
    LanguagePolicy.objects.update_or_create(
        language="ja", defaults={"needs_review": True}
    )
    yuki = UserFactory(role="translator", languages=("ja",))
    preference_save(user=yuki, language="ja")
    draft.dek_ko, draft.body_ko = "", "<p>본문.</p>"
    draft.headline_ja, draft.body_ja = "港のクレーン停止", "<p>本文。</p>"
    article_save(
        article=draft,
        user=yuki,
        changed_fields=["headline_ja", "body_ja"],
        loaded_version=draft.version,
    )
    translation_return(article=draft, language="ja", user=editor, note="見出しを短く。")
    told = Notification.objects.get(recipient=yuki)
    assert told.kind == Notification.Kind.SENT_BACK
    client.force_login(yuki)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "日本語の翻訳を差し戻しました" in html
    assert "見出しを短く。" in html
