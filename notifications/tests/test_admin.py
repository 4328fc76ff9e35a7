"""Each person's notifications in the desk: the header count, the list, the settings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory
from notifications.models import Notification, Preference
from notifications.services import notify

pytestmark = pytest.mark.django_db

LIST_URL = "admin:notifications_notification_changelist"


@pytest.fixture
def reporter():
    return UserFactory(role="reporter", first_name="지우", last_name="김")


@pytest.fixture
def editor(client):
    person = UserFactory(role="editor")
    client.force_login(person)
    return person


@pytest.fixture
def story(reporter):
    return ArticleFactory(
        status=Article.Status.IN_REVIEW,
        published_at=None,
        created_by=reporter,
        source_language="ko",
        headline_ko="항만 크레인 멈춰",
        headline_ja="港のクレーン停止",
    )


def told(person, story, reporter, kind=Notification.Kind.SUBMITTED):
    (notification,) = notify(
        kind=kind, article=story, recipients=[person], actor=reporter
    )
    return notification


def test_the_header_counts_unread_notifications_on_every_desk_page(
    client, editor, story, reporter
):
    told(editor, story, reporter)
    told(editor, story, reporter)
    told(reporter, story, editor)  # someone else's
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ko").content
    link = html.decode().split('class="desk-notifications', 1)[1].split("</a>", 1)[0]
    assert "알림" in link
    assert "읽지 않음: </span>2" in link


def test_the_list_says_what_happened_in_the_readers_language(
    client, editor, story, reporter
):
    notification = told(editor, story, reporter)
    html = client.get(reverse(LIST_URL), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "김지우さんが「港のクレーン停止」をレビューに提出しました。" in html
    assert "未読 1件" in html
    assert reverse("admin:notifications_notification_open", args=[notification.pk]) in (
        html
    )
    html = client.get(reverse(LIST_URL), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "김지우 님이 「항만 크레인 멈춰」 기사의 검토를 요청했습니다." in html


def test_a_return_note_is_shown_as_the_editor_wrote_it(client, story, reporter):
    editor = UserFactory(role="editor")
    notify(
        kind=Notification.Kind.RETURNED,
        article=story,
        recipients=[reporter],
        actor=editor,
        note="출처를 <b>밝혀</b> 주세요",
    )
    client.force_login(reporter)
    html = client.get(reverse(LIST_URL)).content.decode()
    assert "출처를 &lt;b&gt;밝혀&lt;/b&gt; 주세요" in html


def test_opening_a_notification_marks_it_read_and_goes_to_the_story(
    client, editor, story, reporter
):
    notification = told(editor, story, reporter)
    response = client.get(
        reverse("admin:notifications_notification_open", args=[notification.pk])
    )
    assert response.url == reverse("admin:articles_article_change", args=[story.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_opens_or_reads_anothers_notifications(client, editor, story, reporter):
    theirs = told(reporter, story, editor)
    response = client.get(
        reverse("admin:notifications_notification_open", args=[theirs.pk])
    )
    assert response.status_code == 404
    client.post(reverse("admin:notifications_notification_mark_read"))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    html = client.get(reverse(LIST_URL)).content.decode()
    assert "notification-list" not in html


def test_mark_all_read_takes_a_post_and_only_ones_own(client, editor, story, reporter):
    told(editor, story, reporter)
    told(editor, story, reporter)
    assert (
        client.get(reverse("admin:notifications_notification_mark_read")).status_code
        == 405
    )
    response = client.post(
        reverse("admin:notifications_notification_mark_read"),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "2 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=editor, read_at=None).exists()


def test_a_person_turns_email_off_for_themselves_only(client, editor):
    response = client.post(
        reverse("admin:notifications_notification_settings"),
        {"language": "ja", "user": "1"},
        HTTP_ACCEPT_LANGUAGE="ko",
        follow=True,
    )
    assert "알림 설정을 저장했습니다." in response.content.decode()
    preference = Preference.objects.get()
    assert (preference.user, preference.is_email_on, preference.language) == (
        editor,
        False,
        "ja",
    )


def test_a_bad_language_is_refused_with_a_message(client, editor):
    response = client.post(
        reverse("admin:notifications_notification_settings"),
        {"language": "xx", "is_email_on": "on"},
        HTTP_ACCEPT_LANGUAGE="ko",
        follow=True,
    )
    assert "목록에서 언어를 고르세요." in response.content.decode()
    assert not Preference.objects.exists()


def test_people_outside_the_desk_see_nothing(client, story, reporter):
    outsider = UserFactory(is_staff=False)
    client.force_login(outsider)
    response = client.get(reverse(LIST_URL))
    assert response.status_code == 302  # to the login page


def test_the_list_costs_the_same_whatever_the_number_of_notifications(
    client, editor, story, reporter, django_assert_num_queries
):
    told(editor, story, reporter)
    url = reverse(LIST_URL)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(20):
        told(editor, ArticleFactory(created_by=reporter), reporter)
    with django_assert_num_queries(len(one)):
        client.get(url)


def test_a_headline_in_another_language_is_marked_and_escaped(client, editor, reporter):
    story = ArticleFactory(
        source_language="ko",
        headline_ko="<항만> 크레인 멈춰",
        headline_ja="",
        created_by=reporter,
    )
    told(editor, story, reporter)
    html = client.get(reverse(LIST_URL), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert (
        '김지우さんが「<span lang="ko">&lt;항만&gt; 크레인 멈춰</span>」を'
        "レビューに提出しました。"
    ) in html
