"""Readers get no cookie from us: not from pages, feeds, sitemaps nor counters."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from articles.models import Article
from reader.tests.test_story_page import demo_pages

pytestmark = pytest.mark.django_db


def test_no_public_response_sets_a_cookie(client, tmp_path):
    call_command("load_demo", login_file=str(tmp_path / "login"), stdout=StringIO())
    urls = ["/", "/robots.txt", "/sitemap.xml", "/news-sitemap-ko.xml", "/ko/nowhere/"]
    for language in ("ko", "ja", "en"):
        urls += demo_pages(language)
        urls += [f"/{language}/feeds/rss.xml", f"/{language}/feeds/atom.xml"]
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
        assert not response.cookies, (url, response.cookies)
    story = Article.objects.live("ko").first()
    response = client.post("/ko/reads/", {"article": story.pk})
    assert response.status_code == 204
    assert not response.cookies


@pytest.mark.parametrize(
    ("language", "accept", "reject"),
    [
        ("ko", "동의", "거부"),
        ("ja", "同意する", "拒否する"),
        ("en", "Accept", "Reject"),
    ],
)
def test_the_consent_banner_speaks_the_pages_language(client, language, accept, reject):
    with translation.override(language):
        html = client.get(f"/{language}/").content.decode()
    assert f'data-consent="accepted">{accept}</button>' in html
    assert f'data-consent="rejected">{reject}</button>' in html
