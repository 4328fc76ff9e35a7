"""Django admin titles read as a Korean or Japanese desk writes them."""

import pytest
from django.urls import reverse

from articles.tests.factories import UserFactory
from images.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def test_a_picture_shown_read_only_is_titled_as_korean_reads_it(client):
    picture = ImageFactory()
    client.force_login(UserFactory(username="minji", role="reporter"))
    client.cookies["django_language"] = "ko"
    page = client.get(reverse("admin:images_image_change", args=[picture.pk]))
    html = page.content.decode()
    assert "<h1>이미지 보기</h1>" in html
    assert "뷰 이미지" not in html


def test_japanese_titles_put_no_space_before_particles(client):
    ImageFactory()
    client.force_login(UserFactory(username="kenji", role="editor"))
    client.cookies["django_language"] = "ja"
    page = client.get(reverse("admin:images_image_changelist"))
    assert "<h1>変更する画像を選択</h1>" in page.content.decode()
    page = client.get(reverse("admin:images_image_add"))
    assert "<h1>画像を追加</h1>" in page.content.decode()


def test_the_japanese_breadcrumb_of_a_new_story_reads_as_one_phrase(client):
    client.force_login(UserFactory(username="kenji", role="editor"))
    client.cookies["django_language"] = "ja"
    page = client.get(reverse("admin:articles_article_add"))
    assert "&rsaquo; 記事を追加" in page.content.decode()
