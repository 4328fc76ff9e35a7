"""Tags made in one language: the desk sees which lack a name; translators name them."""

import pytest
from django.urls import reverse

from articles.tests.factories import ArticleFactory, UserFactory
from core.tests.formdata import form_data
from tags.models import Tag
from tags.tests.factories import TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def korean_tag():
    return TagFactory(name_ko="빗물 터널", name_ja="", name_en="")


def test_the_dashboard_counts_tags_with_no_name_per_language(
    client, translator, korean_tag
):
    story = ArticleFactory()
    story.tags.add(korean_tag, TagFactory())
    TagFactory(name_ja="")  # on no story: nobody's page misses it
    client.force_login(translator)
    page = client.get(
        reverse("admin:translations_translationstate_changelist"),
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    gaps = {gap["code"]: gap["count"] for gap in page.context["tag_gaps"]}
    assert gaps == {"ja": 1, "ko": 0, "en": 1}
    # Their own language first, linked to the tags to name.
    assert page.context["tag_gaps"][0]["url"] == "/admin/tags/tag/?missing=ja"
    listed = client.get("/admin/tags/tag/", {"missing": "ja"}).context["cl"]
    assert korean_tag in listed.result_list
    assert len(listed.result_list) == 2


def test_the_story_panel_names_the_tags_a_language_does_not_show(
    client, editor, korean_tag
):
    story = ArticleFactory()
    story.tags.add(korean_tag)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    rows = {row["code"]: row for row in page.context["translation_rows"]}
    assert rows["ja"]["unnamed_tags"] == ["빗물 터널"]
    assert rows["ko"]["unnamed_tags"] == []
    assert "/admin/tags/tag/?missing=ja" in page.content.decode()


def test_a_translator_names_a_tag_in_their_language_only(
    client, translator, korean_tag
):
    url = reverse("admin:tags_tag_change", args=[korean_tag.pk])
    client.force_login(translator)
    data = form_data(client.get(url).content.decode(), "tag_form")
    assert "name_ja" in data and "name_ko" not in data and "name_en" not in data
    data["name_ja"] = ["雨水トンネル"]
    # A forged field of another language is not taken.
    data["name_ko"] = ["위조된 이름"]
    data["name_en"] = ["Forged"]
    response = client.post(url, data)
    assert response.status_code == 302
    korean_tag.refresh_from_db()
    assert (korean_tag.name_ko, korean_tag.name_ja) == ("빗물 터널", "雨水トンネル")
    assert not korean_tag.name_en


def test_reporters_still_cannot_rename_tags(client, korean_tag):
    client.force_login(UserFactory(role="reporter"))
    url = reverse("admin:tags_tag_change", args=[korean_tag.pk])
    client.post(url, {"name_ko": "바뀐 이름"})
    assert Tag.objects.get(pk=korean_tag.pk).name_ko == "빗물 터널"


def test_a_japanese_page_never_shows_the_korean_name(client, korean_tag):
    story = ArticleFactory()
    story.tags.add(korean_tag)
    japanese = client.get(story.get_absolute_url("ja")).content.decode()
    assert "빗물 터널" not in japanese
    assert "빗물 터널" in client.get(story.get_absolute_url("ko")).content.decode()
