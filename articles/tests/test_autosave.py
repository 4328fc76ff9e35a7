"""Unsaved changes are kept while the form is open and offered back."""

import json

import pytest
from django.urls import reverse

from articles.models import WorkingCopy
from articles.tests.factories import ArticleFactory, UserFactory
from core.tests.formdata import form_data

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def autosave_url(story):
    return reverse("admin:articles_article_autosave", args=[story.pk])


@pytest.fixture
def editor(client):
    person = UserFactory(role="editor")
    client.force_login(person)
    return person


def keep(client, story, **changes):
    data = form_data(client.get(change_url(story)).content.decode(), "article_form")
    data.update({name: [value] for name, value in changes.items()})
    return client.post(autosave_url(story), data)


def test_typed_changes_are_kept_and_offered_back_on_the_next_visit(client, editor):
    story = ArticleFactory(headline_ko="원래 제목")
    response = keep(client, story, headline_ko="고치던 제목 </script><b>")
    assert response.status_code == 200
    copy = WorkingCopy.objects.get(article=story, user=editor)
    assert copy.fields["headline_ko"] == ["고치던 제목 </script><b>"]
    assert "csrfmiddlewaretoken" not in copy.fields
    assert "loaded_version" not in copy.fields
    story.refresh_from_db()
    assert story.headline_ko == "원래 제목"  # never a version, never public
    html = client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "that were not saved" in html
    kept = html.split('<script id="working-copy" type="application/json">', 1)[1]
    kept = kept.split("</script>", 1)[0]
    assert json.loads(kept)["headline_ko"] == ["고치던 제목 </script><b>"]


def test_saving_the_story_drops_the_kept_changes(client, editor):
    story = ArticleFactory()
    keep(client, story, headline_ko="고치던 제목")
    data = form_data(client.get(change_url(story)).content.decode(), "article_form")
    data["_save"] = ["Save"]
    assert client.post(change_url(story), data).status_code == 302
    assert not WorkingCopy.objects.exists()


def test_a_copy_is_each_persons_own(client, editor):
    story = ArticleFactory()
    keep(client, story, headline_ko="내가 고치던 제목")
    client.force_login(UserFactory(role="editor"))
    html = client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "that were not saved" not in html
    assert "내가 고치던 제목" not in html


def test_only_people_who_may_edit_keep_changes(client, editor):
    story = ArticleFactory()
    client.force_login(UserFactory(role="reporter"))
    response = client.post(autosave_url(story), {"headline_ko": "x"})
    assert response.status_code in (403, 404)
    assert client.get(autosave_url(story)).status_code in (403, 404, 405)
    assert not WorkingCopy.objects.exists()


def test_an_enormous_copy_is_refused_with_a_reason(client, editor):
    story = ArticleFactory()
    response = client.post(
        autosave_url(story), {"body_ko": "가" * 300_000}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 413
    assert "save the story instead" in response.json()["error"]
    assert not WorkingCopy.objects.exists()


def test_discarding_drops_the_copy(client, editor):
    story = ArticleFactory()
    keep(client, story, headline_ko="버릴 제목")
    client.post(autosave_url(story), {"_discard": "1"})
    assert not WorkingCopy.objects.exists()
