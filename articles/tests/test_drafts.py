"""A reporter saves half a story; what it lacks is asked for at submit and publish."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory
from core.tests.formdata import form_data

pytestmark = pytest.mark.django_db

ADD = "admin:articles_article_add"


def new_story(client, **fields):
    """Open the add form, fill `fields` as a person would, press Save."""
    page = client.get(reverse(ADD))
    data = form_data(page.content.decode(), "article_form")
    for name, value in fields.items():
        data[name] = [value]
    data["_save"] = ["Save"]
    return client.post(reverse(ADD), data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def reporter(client):
    person = UserFactory(role="reporter")
    client.force_login(person)
    return person


def test_a_reporter_saves_a_draft_with_only_a_headline(client, reporter):
    response = new_story(
        client, headline_ko="반쯤 쓴 기사", source_language="ko", status="draft"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = Article.objects.get(headline_ko="반쯤 쓴 기사")
    assert (draft.status, draft.body_ko, draft.category) == ("draft", "", None)
    assert draft.slug_ko == "반쯤-쓴-기사"


def test_an_empty_draft_is_saved_and_listed_as_untitled(client, reporter):
    response = new_story(client, source_language="ja", status="draft")
    assert response.status_code == 302
    listed = client.get(
        reverse("admin:articles_article_changelist"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Untitled story" in listed.content.decode()


def test_submitting_asks_for_what_the_story_still_lacks(client, reporter):
    response = new_story(
        client, headline_ko="반쯤 쓴 기사", source_language="ko", status="in_review"
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Listed at the top of the form: the body and the section.
    summary = html.split('class="error-summary"', 1)[1].split("</ul>", 1)[0]
    assert "The source language needs this field." in summary
    assert "A story needs a section before it is submitted" in summary
    assert not Article.objects.exists()


def test_a_story_out_of_draft_always_has_a_section_in_the_database():
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    Article.objects.filter(pk=story.pk).update(category=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=story.pk).update(status=Article.Status.IN_REVIEW)


def test_publishing_a_draft_without_a_section_from_the_list_says_why(client):
    editor = UserFactory(role="editor")
    client.force_login(editor)
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    Article.objects.filter(pk=story.pk).update(category=None)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [story.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "A story needs a section before it is submitted" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_a_draft_without_a_section_can_be_previewed(client, reporter):
    new_story(client, headline_ko="미리 보기", body_ko="<p>본문</p>", status="draft")
    draft = Article.objects.get(headline_ko="미리 보기")
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    preview = page.context["preview_links"][0][1]
    assert client.get(preview).status_code == 200
