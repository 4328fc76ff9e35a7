"""The chooser dialog's pages of pictures and what an upload in it answers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.tests.factories import ArticleFactory, UserFactory
from images.models import Image
from images.tests.factories import ImageFactory, png_bytes

pytestmark = pytest.mark.django_db

CHOOSE = "/admin/images/image/choose/"


@pytest.fixture
def reporter(client):
    person = UserFactory(role="reporter")
    client.force_login(person)
    return person


def test_the_story_form_tells_the_chooser_where_to_look_and_upload(client, reporter):
    story = ArticleFactory(status="draft", published_at=None, created_by=reporter)
    html = client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()
    assert f'data-chooser-url="{CHOOSE}"' in html
    assert 'data-upload-url="/admin/images/image/upload/"' in html
    assert "js/desk_chooser.js" in html


def test_the_chooser_searches_captions_in_any_language_newest_first(client, reporter):
    older = ImageFactory(caption_ja="夕方の港のクレーン")
    newer = ImageFactory(caption_ko="항구의 크레인", caption_ja="港のクレーン、朝")
    ImageFactory(caption_ja="山の朝")
    results = client.get(CHOOSE, {"q": "クレーン"}).json()["results"]
    assert [r["id"] for r in results] == [str(newer.pk), str(older.pk)]
    # Each carries the library's words in every language, for a new use.
    assert results[0]["texts"]["ko"]["caption"] == "항구의 크레인"
    assert results[0]["texts"]["ja"]["caption"] == "港のクレーン、朝"
    assert results[0]["texts"]["en"]["alt"] == newer.alt_text_en


def test_the_chooser_pages_through_the_library(client, reporter):
    ImageFactory.create_batch(25)
    first = client.get(CHOOSE).json()
    assert len(first["results"]) == 24 and first["has_more"] is True
    second = client.get(CHOOSE, {"page": "2"}).json()
    assert len(second["results"]) == 1 and second["has_more"] is False
    assert client.get(CHOOSE, {"page": "zwei"}).json()["results"] == first["results"]


def test_the_chooser_is_for_the_desk_only(client):
    ImageFactory()
    assert client.get(CHOOSE).status_code == 302  # to the login page
    # Staff, but with no role: may not see the library.
    client.force_login(UserFactory())
    assert client.get(CHOOSE).status_code == 403


def test_an_upload_answers_the_new_or_existing_pictures_id(client, reporter):
    data = png_bytes(30, 20)

    def upload():
        return client.post(
            "/admin/images/image/upload/",
            {"files": [SimpleUploadedFile("port.png", data, "image/png")]},
            HTTP_ACCEPT="application/json",
        ).json()["results"][0]

    added = upload()
    assert added["status"] == "added"
    assert added["id"] == str(Image.objects.get().pk)
    again = upload()
    assert again["status"] == "same" and again["id"] == added["id"]
