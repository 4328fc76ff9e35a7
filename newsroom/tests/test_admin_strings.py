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


def test_after_a_save_the_korean_desk_says_it_is_saved_not_that_something_is_wrong(
    client,
):
    from articles.tests.factories import ArticleFactory
    from core.tests.formdata import form_data

    story = ArticleFactory(headline_ko="항만 물동량")
    client.force_login(UserFactory(username="minji", role="editor"))
    client.cookies["django_language"] = "ko"
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(client.get(url).content.decode(), "article_form")
    data["_continue"] = ["1"]
    html = client.post(url, data, follow=True).content.decode()
    assert "아래 내용을 수정해야 합니다" not in html
    assert "아래에서 계속 고칠 수 있습니다" in html
    assert "가 성공적으로" not in html  # a particle Django picks wrongly


def test_the_delete_action_reads_as_korean_writes_it(client):
    client.force_login(UserFactory(username="minji", role="editor"))
    client.cookies["django_language"] = "ko"
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "을/를 삭제합니다" not in html
    assert "선택한 기사 삭제" in html


def test_the_time_zone_note_has_no_english_left(client):
    import json

    client.force_login(UserFactory(username="minji", role="editor"))
    for language, wanted, unwanted in (
        ("ko", "참고: 이 컴퓨터의 시각이 서버보다 %s시간 늦습니다.", "Note: 서버"),
        ("ja", "注意：お使いの環境の時刻はサーバーより%s時間遅れています。", "ノート"),
    ):
        client.cookies["django_language"] = language
        catalogue = client.get(reverse("admin:jsi18n")).content.decode()
        assert json.dumps(wanted) in catalogue
        assert json.dumps(unwanted)[1:-1] not in catalogue
