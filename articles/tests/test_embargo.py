"""Embargoes and breaking flags that end by themselves."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from articles import services
from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(role="editor")


def in_review(**fields):
    return ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None, **fields)


def test_publishing_before_the_embargo_ends_is_refused_with_its_time(editor):
    ends = timezone.now() + timedelta(hours=5)
    story = in_review(embargo_until=ends)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.article_publish(article=story, user=editor)
    assert "embargo" in " ".join(refused.value.messages)
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW


def test_a_story_under_embargo_may_be_scheduled_for_its_end(editor):
    ends = timezone.now() + timedelta(hours=5)
    story = in_review(embargo_until=ends)
    with pytest.raises(ValidationError):
        services.article_publish(article=story, user=editor, at=ends - timedelta(1))
    services.article_publish(article=story, user=editor, at=ends)
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert story.is_scheduled
    assert not Article.objects.live("ko").filter(pk=story.pk).exists()


def test_the_database_refuses_a_story_published_inside_its_embargo():
    story = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=story.pk).update(
            embargo_until=timezone.now() + timedelta(days=1)
        )


def test_the_desk_shows_and_filters_embargoed_stories(client, editor):
    embargoed = in_review(
        headline_en="Ministry report due Monday",
        embargo_until=timezone.now() + timedelta(days=2),
    )
    ArticleFactory()
    client.force_login(editor)
    listed = client.get(
        reverse("admin:articles_article_changelist"),
        {"state": "embargoed"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert [row.pk for row in listed.context["cl"].result_list] == [embargoed.pk]
    assert "embargoed" in listed.content.decode()
    front = client.get(reverse("admin:index"))
    counts = {queue.key: queue.count for queue in front.context["desk_queues"]}
    assert counts["embargoed"] == 1


def test_the_embargo_form_error_speaks_the_editors_language(client, editor):
    story = in_review(embargo_until=timezone.now() + timedelta(days=1))
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [story.pk]},
        HTTP_ACCEPT_LANGUAGE="ko",
        follow=True,
    )
    assert "엠바고" in response.content.decode()


def test_a_breaking_flag_ends_at_its_chosen_time(client):
    now = timezone.now()
    ArticleFactory(
        headline_ko="속보 끝난 기사",
        is_breaking=True,
        breaking_until=now - timedelta(minutes=1),
    )
    # Still on the home page as a story, no longer in the breaking strip.
    assert 'class="breaking-strip"' not in client.get("/ko/").content.decode()
    cache.clear()  # the home page is kept a short while; issue 16 purges it
    ArticleFactory(
        headline_ko="속보 중인 기사",
        is_breaking=True,
        breaking_until=now + timedelta(hours=1),
    )
    home = client.get("/ko/").content.decode()
    assert 'class="breaking-strip"' in home
    assert "속보 중인 기사" in home.split('class="breaking-strip"', 1)[1][:600]


def test_a_breaking_flag_without_an_end_lasts_a_day(client):
    ArticleFactory(
        headline_ko="어제 속보",
        is_breaking=True,
        published_at=timezone.now() - timedelta(hours=30),
    )
    assert 'class="breaking-strip"' not in client.get("/ko/").content.decode()
    assert not Article.objects.breaking_now().exists()
