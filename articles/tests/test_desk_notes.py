"""Desk notes and returning a story: for the desk, never for readers."""

import pytest
from django.urls import reverse

from articles.models import Article, DeskNote
from articles.tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


@pytest.fixture
def reporter():
    return UserFactory(role="reporter")


@pytest.fixture
def in_review(reporter):
    return ArticleFactory(
        status=Article.Status.IN_REVIEW,
        published_at=None,
        created_by=reporter,
        headline_en="Harbour cranes idle",
    )


def test_an_editor_returns_a_story_with_a_note_and_the_reporter_sees_it(
    client, reporter, in_review
):
    editor = UserFactory(role="editor")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_return", args=[in_review.pk]),
        {"text": "Name the second source, please."},
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Article.Status.DRAFT
    note = DeskNote.objects.get(article=in_review)
    assert (note.kind, note.author, note.text) == (
        DeskNote.Kind.RETURN,
        editor,
        "Name the second source, please.",
    )
    client.force_login(reporter)
    front = client.get(reverse("admin:index"))
    counts = {queue.key: queue.count for queue in front.context["desk_queues"]}
    assert counts["returned"] == 1
    page = client.get(change_url(in_review), HTTP_ACCEPT_LANGUAGE="en")
    assert "Name the second source, please." in page.content.decode()


def test_a_reporter_cannot_return_a_story_even_by_a_forged_post(
    client, reporter, in_review
):
    client.force_login(reporter)
    response = client.post(
        reverse("admin:articles_article_return", args=[in_review.pk]),
        {"text": "Sending my own story back."},
    )
    assert response.status_code in (302, 403)
    in_review.refresh_from_db()
    assert in_review.status == Article.Status.IN_REVIEW
    assert not DeskNote.objects.exists()


def test_only_a_story_in_review_is_returned_and_a_note_is_needed(client, in_review):
    client.force_login(UserFactory(role="editor"))
    url = reverse("admin:articles_article_return", args=[in_review.pk])
    response = client.post(url, {"text": "  "}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "Write the note first." in response.content.decode()
    live = ArticleFactory()
    response = client.post(
        reverse("admin:articles_article_return", args=[live.pk]),
        {"text": "Too late."},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "Only a story waiting for review can be returned" in (
        response.content.decode()
    )
    live.refresh_from_db()
    assert live.status == Article.Status.PUBLISHED
    assert not DeskNote.objects.exists()


def test_a_desk_note_stays_off_the_public_page_and_the_preview(
    client, reporter, in_review
):
    client.force_login(reporter)
    response = client.post(
        reverse("admin:articles_article_note", args=[in_review.pk]),
        {"text": "Embargo from the ministry until Monday."},
    )
    assert response.status_code == 302
    page = client.get(change_url(in_review), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Embargo from the ministry until Monday." in html
    preview = page.context["preview_links"][0][1]
    assert "Embargo from the ministry" not in client.get(preview).content.decode()
    live = ArticleFactory(created_by=reporter)
    DeskNote.objects.create(article=live, author=reporter, text="Checked twice.")
    for url in (live.get_absolute_url("en"), "/en/feeds/rss.xml", "/en/"):
        assert "Checked twice." not in client.get(url).content.decode()


def test_someone_who_cannot_edit_the_story_cannot_add_a_note(client, in_review):
    client.force_login(UserFactory(role="reporter"))  # another reporter
    response = client.post(
        reverse("admin:articles_article_note", args=[in_review.pk]),
        {"text": "Not my story."},
    )
    assert response.status_code in (302, 403)
    assert not DeskNote.objects.exists()


def test_the_notes_panel_speaks_korean_and_japanese(client, reporter, in_review):
    client.force_login(reporter)
    ko = client.get(change_url(in_review), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "데스크 메모" in ko
    ja = client.get(change_url(in_review), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "デスクメモ" in ja
