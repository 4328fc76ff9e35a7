import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
HOST = "http://testserver"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # noqa: S314 - our own response


def sitemap(client, **extra) -> dict[str, dict[str, str]]:
    """Return each <loc> of sitemap.xml with its alternates, by hreflang."""
    root = parse(client.get("/sitemap.xml", **extra))
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.find("sm:loc", NS).text
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
            if link.get("rel") == "alternate"
        }
    return entries


def story_urls(article, *languages) -> dict[str, str]:
    return {code: HOST + article.get_absolute_url(code) for code in languages}


def news_sitemap(client, language: str) -> list[dict[str, str]]:
    root = parse(client.get(f"/news-sitemap-{language}.xml"))
    return [
        {
            "loc": url.find("sm:loc", NS).text,
            "name": url.find("news:news/news:publication/news:name", NS).text,
            "language": url.find("news:news/news:publication/news:language", NS).text,
            "date": url.find("news:news/news:publication_date", NS).text,
            "title": url.find("news:news/news:title", NS).text,
        }
        for url in root.findall("sm:url", NS)
    ]


def test_sitemap_lists_a_story_once_per_language_it_is_live_in(client):
    complete = ArticleFactory()
    no_japanese = ArticleFactory(without_ja=True)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=3))
    unpublished = ArticleFactory(status=Article.Status.UNPUBLISHED)

    entries = sitemap(client)

    stories = {loc for loc in entries if "/stories/" in loc}
    assert stories == {
        *story_urls(complete, "ko", "ja", "en").values(),
        *story_urls(no_japanese, "ko", "en").values(),
    }
    for url in story_urls(no_japanese, "ko", "en").values():
        assert entries[url] == {
            **story_urls(no_japanese, "ko", "en"),
            "x-default": HOST + no_japanese.get_absolute_url("ko"),
        }
    for hidden in (draft, scheduled, unpublished):
        assert not any(hidden.slug_ko in loc for loc in entries)


def test_every_alternate_answers_and_alternates_are_reciprocal(client):
    ArticleFactory()
    ArticleFactory(without_en=True)
    ArticleFactory(source_language="ja", headline_ko="", dek_ko="", body_ko="")
    CategoryFactory(name_ja="")

    entries = sitemap(client)

    checked = set()
    for loc, alternates in entries.items():
        assert loc in alternates.values(), f"{loc} does not name itself"
        assert "x-default" in alternates
        for language, href in alternates.items():
            if language != "x-default":
                assert entries.get(href) == alternates, f"{href} is not reciprocal"
            if href not in checked:
                path = urlsplit(href).path
                response = client.get(path)
                assert response.status_code == 200, href
                page_language = path.split("/")[1]
                assert f'<html lang="{page_language}">' in response.content.decode()
                checked.add(href)
    assert checked == set(entries)


def test_x_default_is_korean_else_the_source_language(client):
    korean = ArticleFactory(source_language="en")
    japanese_source = ArticleFactory(
        source_language="ja", headline_ko="", dek_ko="", body_ko=""
    )
    english_source = ArticleFactory(
        source_language="en", headline_ko="", dek_ko="", body_ko=""
    )

    entries = sitemap(client)

    for article, language in (
        (korean, "ko"),
        (japanese_source, "ja"),
        (english_source, "en"),
    ):
        loc = HOST + article.get_absolute_url("ja")
        assert entries[loc]["x-default"] == HOST + article.get_absolute_url(language)
    assert HOST + japanese_source.get_absolute_url("en") in entries
    assert "ko" not in entries[HOST + japanese_source.get_absolute_url("en")]


def test_sitemap_lists_home_pages_and_sections_in_their_languages(client):
    everywhere = CategoryFactory(name_ko="경제", name_ja="経済", name_en="Economy")
    no_japanese = CategoryFactory(name_ko="사회", name_ja="", name_en="Society")

    entries = sitemap(client)

    homes = {code: f"{HOST}/{code}/" for code in ("ko", "ja", "en")}
    for url in homes.values():
        assert entries[url] == {**homes, "x-default": f"{HOST}/ko/"}
    ko, en = f"{HOST}/ko/sections/%EC%82%AC%ED%9A%8C/", f"{HOST}/en/sections/society/"
    assert not no_japanese.slug_ja
    assert entries[ko] == entries[en] == {"ko": ko, "en": en, "x-default": ko}
    assert f"{HOST}/en/sections/{everywhere.slug_en}/" in entries
    assert len([loc for loc in entries if "/sections/" in loc]) == 3 + 2


def test_sitemap_uses_the_requests_scheme_and_host(client):
    ArticleFactory()
    entries = sitemap(client, secure=True, HTTP_HOST="localhost")
    urls = [*entries, *(href for links in entries.values() for href in links.values())]
    assert urls
    assert all(url.startswith("https://localhost/") for url in urls)


def test_sitemap_runs_the_same_number_of_queries_for_3_and_30_stories(
    client, django_assert_num_queries
):
    # Sections, then the stories live in each of the three languages.
    ArticleFactory.create_batch(3)
    with django_assert_num_queries(4):
        assert len(sitemap(client)) == 3 + 3 * 3 + 3 * 3
    ArticleFactory.create_batch(27)
    with django_assert_num_queries(4):
        assert len(sitemap(client)) == 3 + 30 * 3 + 30 * 3


def test_sitemap_addresses_are_percent_encoded(client):
    article = ArticleFactory(headline_ko="삼성 & LG 반도체", headline_ja="東京&大阪")
    entries = sitemap(client)
    assert HOST + article.get_absolute_url("ko") in entries
    assert HOST + article.get_absolute_url("ja") in entries
    assert all(loc.isascii() for loc in entries)


@pytest.mark.parametrize(
    ("language", "name"),
    [("ko", "뉴스룸"), ("ja", "ニュースルーム"), ("en", "Newsroom")],
)
def test_news_sitemap_lists_the_last_48_hours_in_its_language(client, language, name):
    now = timezone.now()
    older = ArticleFactory(
        published_at=now - timedelta(hours=47),
        headline_ko="삼성 & LG “반도체” 투자",
        headline_ja="サムスン&LG「半導体」投資",
        headline_en="Samsung & LG: chips < batteries?",
    )
    newest = ArticleFactory(published_at=now - timedelta(minutes=5))
    korean_only = ArticleFactory(
        published_at=now - timedelta(hours=2), without_ja=True, without_en=True
    )
    ArticleFactory(published_at=now - timedelta(hours=49))
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(published_at=now + timedelta(hours=1))

    stories = news_sitemap(client, language)

    expected = [newest, *([korean_only] if language == "ko" else []), older]
    assert [story["loc"] for story in stories] == [
        HOST + article.get_absolute_url(language) for article in expected
    ]
    for story, article in zip(stories, expected, strict=True):
        assert story["name"] == name
        assert story["language"] == language
        assert story["title"] == getattr(article, f"headline_{language}")
        assert datetime.fromisoformat(story["date"]) == article.published_at


def test_news_sitemap_drops_a_story_once_it_is_48_hours_old(client):
    article = ArticleFactory(published_at=timezone.now())
    url = HOST + article.get_absolute_url("ja")
    with time_machine.travel(timedelta(hours=47, minutes=59)):
        assert [story["loc"] for story in news_sitemap(client, "ja")] == [url]
    with time_machine.travel(timedelta(hours=48, minutes=1)):
        assert news_sitemap(client, "ja") == []


def test_news_sitemap_is_only_for_the_newsrooms_languages(client):
    assert client.get("/news-sitemap-fr.xml").status_code == 404
    assert client.get("/news-sitemap-.xml").status_code == 404


def test_robots_txt_keeps_crawlers_out_of_the_desk_and_names_every_sitemap(client):
    response = client.get("/robots.txt", secure=True, HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert "Disallow: /" not in lines
    sitemaps = [line.removeprefix("Sitemap: ") for line in lines if "Sitemap" in line]
    assert sitemaps == [
        "https://localhost/sitemap.xml",
        "https://localhost/news-sitemap-ko.xml",
        "https://localhost/news-sitemap-ja.xml",
        "https://localhost/news-sitemap-en.xml",
    ]
    for url in sitemaps:
        path = urlsplit(url).path
        assert client.get(path, secure=True, HTTP_HOST="localhost").status_code == 200


@pytest.mark.parametrize("page", ["99999999999999999999999", "2", "0", "-1", "x"])
def test_a_sitemap_page_that_cannot_exist_is_a_404(client, page):
    ArticleFactory()
    assert client.get("/sitemap.xml", {"p": "1"}).status_code == 200
    assert client.get("/sitemap.xml", {"p": page}).status_code == 404
