"""The desk's front page: what waits for each person, counted and linked."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from articles.tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def front(client, user, language="en"):
    client.force_login(user)
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


def queues(response) -> dict[str, int]:
    return {queue.key: queue.count for queue in response.context["desk_queues"]}


def test_a_reporter_sees_their_drafts_and_their_scheduled_stories(client):
    reporter = UserFactory(role="reporter")
    ArticleFactory.create_batch(
        2, status=Article.Status.DRAFT, published_at=None, created_by=reporter
    )
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)  # someone else's
    ArticleFactory(created_by=reporter, published_at=timezone.now() + timedelta(1))
    ArticleFactory(published_at=timezone.now() + timedelta(days=1))  # not theirs
    counts = queues(front(client, reporter))
    assert counts["mine"] == 2
    assert counts["scheduled"] == 1
    assert "review" not in counts  # an editor's queue


@pytest.fixture
def midday():
    """Run at noon in the newsroom's time zone: "published today" means today.

    Just after midnight in Seoul, a story published an hour ago was
    published yesterday.
    """
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    with time_machine.travel(noon, tick=True):
        yield


@pytest.mark.usefixtures("midday")
def test_an_editor_sees_the_whole_desk(client):
    editor = UserFactory(role="editor")
    ArticleFactory.create_batch(3, status=Article.Status.IN_REVIEW, published_at=None)
    soon = ArticleFactory(
        headline_en="Council votes at noon",
        published_at=timezone.now() + timedelta(hours=2),
    )
    ArticleFactory(published_at=timezone.now() + timedelta(days=3))
    ArticleFactory(is_breaking=True, published_at=timezone.now() - timedelta(minutes=5))
    corrected = ArticleFactory()
    Correction.objects.create(article=corrected, text_en="A name was misspelt.")
    response = front(client, editor)
    counts = queues(response)
    assert counts["review"] == 3
    assert counts["scheduled"] == 2
    assert counts["breaking"] == 1
    assert counts["corrected"] == 1
    assert counts["today"] >= 2
    html = response.content.decode()
    # The soonest scheduled story is named, with its time, and linked.
    assert "Council votes at noon" in html
    assert reverse("admin:articles_article_change", args=[soon.pk]) in html
    assert 'href="' + reverse("admin:articles_article_add") + '"' in html


def test_each_count_opens_the_list_of_those_stories(client):
    editor = UserFactory(role="editor")
    waiting = ArticleFactory.create_batch(
        2, status=Article.Status.IN_REVIEW, published_at=None
    )
    ArticleFactory()
    response = front(client, editor)
    review = next(q for q in response.context["desk_queues"] if q.key == "review")
    listed = client.get(review.url).context["cl"].result_list
    assert {story.pk for story in listed} == {story.pk for story in waiting}


def test_a_translator_sees_what_waits_in_their_languages(client):
    translator = UserFactory(role="translator", languages=["ja"])
    story = ArticleFactory(headline_ja="", body_ja="", dek_ja="")
    response = front(client, translator, "ja")
    counts = queues(response)
    assert counts["translation_ja_missing"] >= 1
    assert not any(key.startswith("translation_en") for key in counts)
    html = response.content.decode()
    assert "日本語：未翻訳" in html
    url = next(
        q.url
        for q in response.context["desk_queues"]
        if q.key == "translation_ja_missing"
    )
    listed = client.get(url).content.decode()
    assert story.headline_ko in listed


def test_the_front_page_speaks_korean_and_japanese(client):
    editor = UserFactory(role="editor")
    assert "검토 대기" in front(client, editor, "ko").content.decode()
    assert "レビュー待ち" in front(client, editor, "ja").content.decode()


def test_the_front_page_runs_the_same_queries_for_few_and_many_stories(
    client, django_assert_max_num_queries
):
    editor = UserFactory(role="editor")
    client.force_login(editor)
    ArticleFactory.create_batch(2, published_at=timezone.now() + timedelta(days=1))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("admin:index"))
    ArticleFactory.create_batch(20, published_at=timezone.now() + timedelta(days=1))
    ArticleFactory.create_batch(10, status=Article.Status.IN_REVIEW, published_at=None)
    with django_assert_max_num_queries(12) as many:
        client.get(reverse("admin:index"))
    assert len(many.captured_queries) == len(few.captured_queries)
