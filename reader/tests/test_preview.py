from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article
from articles.preview import preview_url
from articles.tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, headline_ja="未公開の記事"
    )


def test_the_desk_gets_preview_links_for_every_written_language(client, draft):
    Article.objects.filter(pk=draft.pk).update(headline_en="")
    client.force_login(UserFactory(username="d", superuser=True))
    html = client.get(
        reverse("admin:articles_article_change", args=[draft.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert preview_url(draft, "ja").split("/")[1] == "preview"
    assert "Preview JA" in html and "Preview KO" in html
    assert "Preview EN" not in html


def test_a_preview_shows_an_unpublished_story_privately(client, draft):
    assert client.get(draft.get_absolute_url("ja")).status_code == 404
    response = client.get(preview_url(draft, "ja"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "未公開の記事" in html
    assert '<html lang="ja">' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Set-Cookie" not in response


def test_a_preview_link_expires(client, draft, settings):
    url = preview_url(draft, "en")
    with time_machine.travel(timedelta(seconds=settings.NEWSROOM_PREVIEW_MAX_AGE + 60)):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    assert "This preview link has expired" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-2] + "xx", lambda t: "abc", lambda t: t + ":1"]
)
def test_a_forged_preview_link_is_a_404(client, draft, tamper):
    token = preview_url(draft, "ko").split("/")[2]
    assert client.get(f"/preview/{tamper(token)}/").status_code == 404
