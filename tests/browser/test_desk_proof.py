"""Proof of the desk's whole workflow, each person in their own desk language.

A Korean reporter writes half a story, loses the tab and gets it back,
submits it; a Japanese editor is told, returns it with a note; the reporter
fixes it and submits again; the editor schedules it while an English editor
sees who has it open; it goes live at its time and everyone is e-mailed.
"""

import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, WorkingCopy
from articles.tests.factories import ArticleFactory, UserFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "해양수산부, 연안 여객선 안전 점검 확대"
FIRST_DRAFT = "해양수산부는 다음 달부터 연안 여객선 안전 점검을 확대한다고 밝혔다."
FIX = "점검 대상은 모두 120척이다."
NOTE = "点検の対象になる船の数を本文に書いてください。"
# Far enough ahead to see the story list and the reader's 404 before it.
SCHEDULE_AHEAD = timedelta(seconds=8)


@pytest.fixture
def contexts():
    """Collect the test's browser contexts and close them, whatever happened."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def open_desk(contexts, browser, live_server, user, language: str):
    """Log `user` in to the desk in a browser context of their own language."""
    context = browser.new_context(locale=language)
    contexts.append(context)
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def body_editor(page):
    """Return the Korean body's rich-text editing area."""
    return page.locator(".prose-editor", has=page.locator("#id_body_ko")).get_by_role(
        "textbox"
    )


def type_at_end_of_body(page, text: str) -> None:
    # The caret goes to the end through the editor's own command: a click's
    # caret position is not what this test is about.
    editor = body_editor(page)
    editor.evaluate("element => element.editor.commands.focus('end')")
    expect(editor).to_be_focused()
    page.keyboard.insert_text(text)
    expect(editor).to_contain_text(text)


def wait_for_working_copy(story, user, text: str) -> None:
    """Wait until the autosave (every 5 s) has kept a body holding `text`."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        copy = WorkingCopy.objects.filter(article=story, user=user).first()
        if copy is not None and text in "".join(copy.fields.get("body_ko", [])):
            return
        time.sleep(0.2)
    pytest.fail("the typed body was not kept as a working copy")


def test_a_story_goes_from_half_written_to_live_across_three_desk_languages(
    browser, live_server, run_tasks, contexts
):
    reporter = UserFactory(
        username="jiwoo", role="reporter", first_name="지우", last_name="김"
    )
    editor = UserFactory(
        username="hanako", role="editor", first_name="花子", last_name="山田"
    )
    second_editor = UserFactory(
        username="daniel", role="editor", first_name="Daniel", last_name="Reed"
    )
    story = ArticleFactory(
        status=Article.Status.DRAFT,
        published_at=None,
        created_by=reporter,
        source_language="ko",
        headline_ko=HEADLINE,
        dek_ko="",
        body_ko="",
        without_ja=True,
        without_en=True,
    )
    change_url = f"{live_server.url}/admin/articles/article/{story.pk}/change/"
    list_url = f"{live_server.url}/admin/articles/article/"

    # 1. The reporter writes half the body, loses the tab, gets it back, submits.
    page = open_desk(contexts, browser, live_server, reporter, "ko")
    page.goto(change_url)
    type_at_end_of_body(page, FIRST_DRAFT)
    wait_for_working_copy(story, reporter, FIRST_DRAFT)
    context = page.context
    page.close()  # the tab closes

    page = context.new_page()
    page.goto(change_url)
    notice = page.locator(".desk-working-copy")
    expect(notice).to_contain_text("저장하지 않은 내용이 있습니다")
    expect(body_editor(page)).not_to_contain_text(FIRST_DRAFT)
    notice.locator("[data-restore]").click()
    expect(notice).to_have_count(0)
    expect(body_editor(page)).to_contain_text(FIRST_DRAFT)
    submit = page.locator(".desk-action-bar button[name=_workflow][value=submit]")
    expect(submit).to_have_text("검토 요청")
    submit.click()
    page.wait_for_url(list_url)
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW
    assert FIRST_DRAFT in story.body_ko
    assert not WorkingCopy.objects.filter(article=story).exists()

    # 2. The Japanese editor is told on the front page, opens it, returns it.
    desk = open_desk(contexts, browser, live_server, editor, "ja")
    news = desk.locator(".desk-news")
    expect(news).to_contain_text("あなたへの新着")
    item = news.get_by_role(
        "link", name=f"김지우さんが「{HEADLINE}」をレビューに提出しました。"
    )
    expect(item).to_be_visible()
    expect(desk.locator(".desk-notifications .desk-notifications-count")).to_have_text(
        re.compile(r"^未読：\s*1$")
    )
    item.click()
    desk.wait_for_url(change_url)
    expect(desk.locator(".desk-notifications-count")).to_have_count(0)
    return_form = desk.locator(".desk-return-form")
    return_form.locator("textarea").fill(NOTE)
    return_form.get_by_role("button", name="記者に差し戻す").click()
    desk.wait_for_url(list_url)
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT

    # 3. The reporter is told in Korean, reads the note, fixes the body.
    page.goto(f"{live_server.url}/admin/")
    returned = page.locator(".desk-news").get_by_role(
        "link", name=f"山田 花子 님이 「{HEADLINE}」 기사를 돌려보냈습니다."
    )
    expect(returned).to_be_visible()
    expect(page.locator(".desk-news .desk-news-note")).to_have_text(NOTE)
    returned.click()
    page.wait_for_url(change_url)
    expect(page.locator(".desk-note.is-return .desk-note-text")).to_have_text(NOTE)
    type_at_end_of_body(page, FIX)
    page.locator(".desk-action-bar button[name=_workflow][value=submit]").click()
    page.wait_for_url(list_url)
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW
    assert FIX in story.body_ko

    # 4. The editor opens it again; a second editor sees who has it open.
    desk.goto(f"{live_server.url}/admin/")
    desk.locator(".desk-news").get_by_role(
        "link", name=f"김지우さんが「{HEADLINE}」をレビューに提出しました。"
    ).click()
    desk.wait_for_url(change_url)
    second = open_desk(contexts, browser, live_server, second_editor, "en")
    second.goto(change_url)
    expect(second.locator(".desk-presence")).to_contain_text(
        re.compile(r"山田 花子 is editing this story since \d{2}:\d{2}\.")
    )

    # The editor schedules it, in the desk's time zone, a few seconds ahead.
    publish_at = (timezone.now() + SCHEDULE_AHEAD).replace(microsecond=0)
    local = timezone.localtime(publish_at)
    desk.fill("#id_published_at_0", local.strftime("%Y-%m-%d"))
    desk.fill("#id_published_at_1", local.strftime("%H:%M:%S"))
    desk.locator(".desk-action-bar button[name=_workflow][value=publish]").click()
    desk.wait_for_url(list_url)
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert story.published_at == publish_at
    row = desk.locator("#result_list tbody tr", has_text=HEADLINE)
    expect(row.locator(".field-desk_state")).to_have_text("予約済み")

    # 5. Readers get the story from its time on, not before.
    reader = browser.new_context()
    contexts.append(reader)
    public_url = live_server.url + story.get_absolute_url("ko")
    assert timezone.now() < publish_at, "the scheduled time passed too soon"
    assert reader.request.get(public_url).status == 404
    while timezone.now() < publish_at:  # a clock time: nothing to wait on
        time.sleep(0.1)
    response = reader.request.get(public_url)
    assert response.status == 200
    assert HEADLINE in response.text()

    call_command("publish_scheduled", stdout=StringIO())
    assert Notification.objects.filter(
        recipient=reporter, kind=Notification.Kind.PUBLISHED, article=story
    ).exists()
    page.goto(f"{live_server.url}/admin/")
    expect(
        page.locator(".desk-news").get_by_role(
            "link", name=f"「{HEADLINE}」 기사가 사이트에 게재되었습니다."
        )
    ).to_be_visible()

    # The e-mails, sent by the worker, each in its recipient's desk language.
    run_tasks()
    sent: dict[str, list[tuple[str, str]]] = {}
    for message in mail.outbox:
        (address,) = message.to
        sent.setdefault(address, []).append((message.subject, message.body))
    assert set(sent) == {editor.email, second_editor.email, reporter.email}
    submitted_ja = f"김지우さんが「{HEADLINE}」をレビューに提出しました。"
    assert [subject for subject, _body in sent[editor.email]] == [
        f"[ニュースルーム] {HEADLINE}"
    ] * 2
    assert all(submitted_ja in body for _subject, body in sent[editor.email])
    submitted_en = f"김지우 submitted “{HEADLINE}” for review."
    assert [subject for subject, _body in sent[second_editor.email]] == [
        f"[Newsroom] {HEADLINE}"
    ] * 2
    assert all(submitted_en in body for _subject, body in sent[second_editor.email])
    assert [subject for subject, _body in sent[reporter.email]] == [
        f"[뉴스룸] {HEADLINE}"
    ] * 2
    bodies = [body for _subject, body in sent[reporter.email]]
    (returned_mail,) = [body for body in bodies if "기사를 돌려보냈습니다" in body]
    assert f"山田 花子 님이 「{HEADLINE}」 기사를 돌려보냈습니다." in returned_mail
    assert NOTE in returned_mail
    assert any(f"「{HEADLINE}」 기사가 사이트에 게재되었습니다." in b for b in bodies)
