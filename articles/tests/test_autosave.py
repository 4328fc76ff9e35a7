"""Unsaved changes are kept while the form is open and offered back."""

import json

import pytest
from django.urls import reverse

from articles.models import Article, WorkingCopy
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


ADD_URL = reverse("admin:articles_article_add")


def test_a_new_story_never_saved_is_kept_and_offered_back(client):
    reporter = UserFactory(role="reporter")
    client.force_login(reporter)
    data = form_data(client.get(ADD_URL).content.decode(), "article_form")
    data["headline_ko"] = ["쓰다 만 새 기사"]
    data["body_ko"] = ["<p>첫 문단만 썼다.</p>"]
    response = client.post(reverse("admin:articles_article_add_autosave"), data)
    assert response.status_code == 200
    copy = WorkingCopy.objects.get(user=reporter)
    assert copy.article is None
    assert copy.fields["headline_ko"] == ["쓰다 만 새 기사"]
    assert not Article.objects.exists()  # nothing is a story until it is saved

    html = client.get(ADD_URL, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "새 기사를 쓰다가 저장하지 않았습니다" in html
    kept = html.split('<script id="working-copy" type="application/json">', 1)[1]
    assert json.loads(kept.split("</script>", 1)[0])["body_ko"] == [
        "<p>첫 문단만 썼다.</p>"
    ]
    # Another person's add form offers nothing of it.
    client.force_login(UserFactory(role="reporter"))
    assert "쓰다 만 새 기사" not in client.get(ADD_URL).content.decode()


def test_saving_the_new_story_drops_its_copy_and_a_second_one_replaces_it(client):
    reporter = UserFactory(role="reporter")
    client.force_login(reporter)
    url = reverse("admin:articles_article_add_autosave")
    client.post(url, {"headline_ko": "첫 번째"})
    client.post(url, {"headline_ko": "두 번째"})
    assert WorkingCopy.objects.get().fields["headline_ko"] == ["두 번째"]
    data = form_data(client.get(ADD_URL).content.decode(), "article_form")
    data["headline_ko"] = ["두 번째"]
    data["_save"] = ["Save"]
    assert client.post(ADD_URL, data).status_code == 302
    assert Article.objects.get().headline_ko == "두 번째"
    assert not WorkingCopy.objects.exists()


def test_people_who_may_not_write_stories_keep_nothing(client):
    client.force_login(UserFactory(role="translator", languages=("ja",)))
    response = client.post(
        reverse("admin:articles_article_add_autosave"), {"headline_ko": "x"}
    )
    assert response.status_code == 403
    assert not WorkingCopy.objects.exists()
