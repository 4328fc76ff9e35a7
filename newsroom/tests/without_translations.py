"""The reader site and the desk, run with translations out of INSTALLED_APPS.

Collected only by test_standalone.py, which runs it in a process of its own
with newsroom/tests/settings_without_translations.py.
"""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from articles.models import Article
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    UserFactory,
)
from articles.tests.test_admin import article_form_data
from tags.tests.factories import TagFactory

pytestmark = pytest.mark.django_db


def test_translations_is_not_installed():
    assert not apps.is_installed("translations")


def test_the_reader_site_shows_a_live_story_on_every_page(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(headline_ko="항만 물동량 석 달째 증가")
        story.tags.add(TagFactory(name_ko="항만", slug_ko="항만"))
    pages = [
        "/ko/",
        story.get_absolute_url("ko"),
        reverse("reader:section", kwargs={"slug": story.category.slug_ko}),
        "/ko/tags/항만/",
        "/ko/search/?q=물동량",
        "/ko/feeds/rss.xml",
    ]
    for url in pages:
        response = Client().get(url)
        assert response.status_code == 200, url
        # Search marks the words found: the headline is read as text.
        assert "항만 물동량 석 달째 증가" in strip_tags(response.content.decode()), url
    assert Client().get("/sitemap.xml").status_code == 200


def test_the_desk_lists_opens_and_saves_a_story(client):
    editor = UserFactory(role="editor")
    client.force_login(editor)
    story = ArticleFactory(headline_ko="태풍 북상")
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200
    change = reverse("admin:articles_article_change", args=[story.pk])
    assert "태풍 북상" in client.get(change).content.decode()
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form_data(CategoryFactory(), AuthorFactory()),
    )
    assert response.status_code == 302
    assert Article.objects.filter(headline_ko="태풍 북상에 남해안 항공편 결항").exists()
