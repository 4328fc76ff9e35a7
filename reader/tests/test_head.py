"""Every page's head: canonical, hreflang alternates (reciprocal), x-default."""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from reader.tests.test_story_page import demo_pages

pytestmark = pytest.mark.django_db

ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def alternates(client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {
        code: urlsplit(href).path
        for code, href in ALTERNATE.findall(response.content.decode())
    }


def test_hreflang_alternates_are_reciprocal_and_answer_200_across_the_demo(
    client, tmp_path
):
    call_command("load_demo", login_file=str(tmp_path / "login"), stdout=StringIO())
    checked = 0
    for language in ("ko", "ja", "en"):
        for url in demo_pages(language):
            links = alternates(client, url)
            assert links[language] == url.split("?")[0], url
            assert "x-default" in links, url
            assert links["x-default"] in links.values()
            for code, other_url in links.items():
                if code == "x-default":
                    continue
                # The page in the other language lists exactly the same set.
                assert alternates(client, other_url) == links, (url, other_url)
                checked += 1
    assert checked > 100


def test_a_story_without_english_has_no_english_alternate(client):
    from articles.tests.factories import ArticleFactory

    article = ArticleFactory(without_en=True)
    links = alternates(client, article.get_absolute_url("ko"))
    assert set(links) == {"ko", "ja", "x-default"}
    assert links["x-default"] == article.get_absolute_url("ko")
    html = client.get(article.get_absolute_url("ja")).content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    assert urlsplit(canonical).path == article.get_absolute_url("ja")
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:locale" content="ja_JP">' in html
