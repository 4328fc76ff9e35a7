"""A translator's text saved in the story form is checked as a PO import checks it."""

import pytest
from django.urls import reverse

from articles.models import Article
from core.tests.formdata import form_data
from translations.tests.test_services import edit

pytestmark = pytest.mark.django_db

BODY_KO = (
    "<h2>터널 개통</h2>"
    '<p>자세한 내용은 <a href="https://example.org/tunnel">시청 발표</a>에 있다.</p>'
)


def post_japanese_body(client, story, body: str):
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(client.get(url).content.decode(), "article_form")
    data["headline_ja"] = ["雨水トンネル開通"]
    data["body_ja"] = [body]
    data["_continue"] = ["1"]
    return client.post(url, data)


def test_a_translation_that_drops_a_heading_and_a_link_is_refused(
    client, korean_story, translator, editor
):
    story = edit(korean_story, editor, body_ko=BODY_KO)
    client.force_login(translator)
    response = post_japanese_body(client, story, "<p>詳しくは市の発表にある。</p>")
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["body_ja"])
    assert "<h2>" in errors and "https://example.org/tunnel" in errors
    assert not Article.objects.get(pk=story.pk).body_ja


def test_the_same_structure_is_saved(client, korean_story, translator, editor):
    story = edit(korean_story, editor, body_ko=BODY_KO)
    client.force_login(translator)
    response = post_japanese_body(
        client,
        story,
        '<h2>トンネル開通</h2><p>詳しくは<a href="https://example.org/tunnel">'
        "市の発表</a>にある。</p>",
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).body_ja.startswith("<h2>トンネル開通</h2>")


def test_an_editor_writing_both_languages_shapes_each_freely(
    client, korean_story, editor
):
    story = edit(korean_story, editor, body_ko=BODY_KO)
    client.force_login(editor)
    response = post_japanese_body(client, story, "<p>短い日本語版。</p>")
    assert response.status_code == 302
    assert Article.objects.get(pk=story.pk).body_ja == "<p>短い日本語版。</p>"
