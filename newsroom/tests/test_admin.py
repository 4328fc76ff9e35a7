"""The story admin that runs is the one newsroom/admin.py composes."""

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory
from newsroom.admin import StoryAdmin

pytestmark = pytest.mark.django_db


def test_the_story_admin_registered_is_the_one_composed_in_newsroom_admin():
    assert type(admin.site._registry[Article]) is StoryAdmin


def test_the_story_list_shows_translation_states_in_place_of_headlines_present(
    client,
):
    ArticleFactory()
    client.force_login(UserFactory(username="desk", superuser=True))
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "column-translation_column" in html
    assert "column-languages" not in html
