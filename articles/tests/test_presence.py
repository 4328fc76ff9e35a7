"""Who else has a story open: the next person sees it; nothing is overwritten."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import StoryPresence
from articles.tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


@pytest.fixture
def story():
    return ArticleFactory()


def test_the_second_editor_sees_who_is_editing_since_when(client, story):
    first = UserFactory(username="mina", first_name="Mina", role="editor")
    client.force_login(first)
    client.get(change_url(story))
    second = UserFactory(username="joon", role="editor")
    client.force_login(second)
    html = client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    since = timezone.localtime(StoryPresence.objects.get(user=first).since)
    assert f"Mina is editing this story since {since:%H:%M}" in html
    # Not about oneself.
    client.force_login(first)
    html = client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mina is editing" not in html
    assert "joon is editing this story" in html


def test_the_heartbeat_keeps_a_person_present_and_leaving_ends_it(client, story):
    person = UserFactory(role="editor")
    client.force_login(person)
    url = reverse("admin:articles_article_presence", args=[story.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert response.json() == {"others": []}
    assert StoryPresence.objects.filter(article=story, user=person).exists()
    client.post(url, {"leave": "1"})
    assert not StoryPresence.objects.filter(article=story, user=person).exists()


def test_someone_gone_quiet_is_no_longer_shown(client, story):
    away = UserFactory(username="away", role="editor")
    long_ago = timezone.now() - timedelta(minutes=5)
    StoryPresence.objects.create(
        article=story, user=away, since=long_ago, seen_at=long_ago
    )
    client.force_login(UserFactory(role="editor"))
    html = client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "away is editing" not in html


def test_presence_needs_the_right_to_see_the_story_and_a_post(client, story):
    client.force_login(UserFactory(role="reporter"))  # not theirs, not in review
    url = reverse("admin:articles_article_presence", args=[story.pk])
    assert client.post(url).status_code in (403, 404)
    client.force_login(UserFactory(role="editor"))
    assert client.get(url).status_code == 405


def test_the_notice_speaks_korean(client, story):
    first = UserFactory(username="mina", role="editor")
    client.force_login(first)
    client.get(change_url(story))
    client.force_login(UserFactory(role="editor"))
    html = client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "mina 님이" in html and "편집하고 있습니다" in html
