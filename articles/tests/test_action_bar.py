"""The story form's action bar: save, submit, publish or schedule, at the top."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory
from core.tests.formdata import form_data

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def press(client, story, button, **fields):
    """Open the story's form, change `fields`, press the workflow `button`."""
    page = client.get(change_url(story))
    data = form_data(page.content.decode(), "article_form")
    for name, value in fields.items():
        data[name] = [value]
    data["_workflow"] = [button]
    return client.post(change_url(story), data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def reporter(client):
    person = UserFactory(role="reporter")
    client.force_login(person)
    return person


def draft_of(person, **fields):
    return ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, created_by=person, **fields
    )


def test_the_bar_offers_what_the_person_may_do_at_the_top(client, reporter):
    story = draft_of(reporter)
    html = client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    bar = html.split('class="desk-action-bar"', 1)[1].split("</div>\n</div>", 1)[0]
    assert 'value="submit"' in bar
    assert 'value="publish"' not in bar  # a reporter never publishes
    assert html.index('class="desk-action-bar"') < html.index('id="id_headline_ko"')


def test_a_reporter_submits_a_draft_for_review(client, reporter):
    story = draft_of(reporter)
    response = press(client, story, "submit")
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW


def test_submitting_a_story_that_lacks_its_body_saves_nothing(client, reporter):
    story = draft_of(reporter, body_ko="")
    response = press(client, story, "submit", headline_ko="바뀐 제목")
    assert response.status_code == 200
    assert "The source language needs this field." in response.content.decode()
    story.refresh_from_db()
    assert (story.status, story.headline_ko) != (Article.Status.IN_REVIEW, "바뀐 제목")


def test_a_forged_publish_by_a_reporter_publishes_nothing(client, reporter):
    story = draft_of(reporter)
    response = press(client, story, "publish")
    assert response.status_code in (200, 403)
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_an_editor_publishes_now_or_schedules_for_the_time_set(client):
    editor = UserFactory(role="editor")
    client.force_login(editor)
    now_story = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    html = client.get(change_url(now_story), HTTP_ACCEPT_LANGUAGE="en")
    assert ">Publish<" in html.content.decode()
    assert press(client, now_story, "publish").status_code == 302
    now_story.refresh_from_db()
    assert now_story.status == Article.Status.PUBLISHED
    assert now_story.published_at <= timezone.now()

    later = timezone.localtime(timezone.now() + timedelta(days=1))
    later_story = ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    response = press(
        client,
        later_story,
        "publish",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
    )
    assert response.status_code == 302
    later_story.refresh_from_db()
    assert later_story.is_scheduled


def test_the_bar_speaks_korean_and_japanese(client, reporter):
    story = draft_of(reporter)
    ko = client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "검토 요청" in ko.split('class="desk-action-bar"', 1)[1][:3000]
    ja = client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "レビューを依頼" in ja.split('class="desk-action-bar"', 1)[1][:3000]
