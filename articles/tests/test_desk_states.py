"""The story list tells scheduled from live; "view on site" only where it exists."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LIST = "admin:articles_article_changelist"


def rows(html: str, headline: str) -> str:
    """Return the story list's row that shows `headline`."""
    start = html.index(headline)
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_a_scheduled_story_shows_as_scheduled_with_its_time(desk):
    later = timezone.now() + timedelta(days=2)
    ArticleFactory(headline_en="Budget vote tomorrow", published_at=later)
    ArticleFactory(headline_en="Port cargo rises")
    with translation.override("en"):
        html = desk.get(reverse(LIST), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    scheduled = rows(html, "Budget vote tomorrow")
    assert "scheduled" in scheduled
    assert ">published<" not in scheduled
    assert ">published<" in rows(html, "Port cargo rises")


def test_the_desk_says_scheduled_in_korean_and_japanese(desk):
    ArticleFactory(
        headline_ko="내일 예산 표결",
        headline_ja="明日予算採決",
        published_at=timezone.now() + timedelta(hours=3),
    )
    ko = desk.get(reverse(LIST), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "예약" in rows(ko, "내일 예산 표결")
    ja = desk.get(reverse(LIST), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "予約" in rows(ja, "明日予算採決")


def test_the_list_filters_scheduled_stories_apart_from_live_ones(desk):
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    live = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    found = {}
    for state in ("scheduled", "live", "draft"):
        response = desk.get(reverse(LIST), {"state": state})
        assert response.status_code == 200
        found[state] = {row.pk for row in response.context["cl"].result_list}
    assert found == {
        "scheduled": {scheduled.pk},
        "live": {live.pk},
        "draft": {draft.pk},
    }


def test_view_on_site_appears_only_for_a_page_readers_can_open(desk):
    live = ArticleFactory()
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    for article, shown in ((live, True), (scheduled, False), (draft, False)):
        url = reverse("admin:articles_article_change", args=[article.pk])
        html = desk.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert ('class="viewsitelink"' in html) is shown, article
    html = desk.get(
        reverse("admin:articles_article_change", args=[live.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    # Straight to the reader's page, which answers.
    link = html.split('class="viewsitelink"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert link == live.get_absolute_url("en")
    assert desk.get(link).status_code == 200


def test_a_korean_headline_in_the_japanese_desk_is_marked_korean(desk):
    ArticleFactory(headline_ko="한국어로만 쓴 기사", headline_ja="", body_ja="")
    html = desk.get(reverse(LIST), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<span lang="ko">한국어로만 쓴 기사</span> [ko]' in html
