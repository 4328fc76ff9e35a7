"""A reader's path through the demo newsroom: home, story, tag, author, feed."""

import re
from io import StringIO
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.urls import resolve
from django.utils import translation
from playwright.sync_api import expect

from articles.models import Article, Author
from tags.models import Tag

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["ko", "ja", "en"]


def slug_of(url: str, language: str) -> str:
    """The slug in a reader-site URL of `language`."""
    with translation.override(language):
        return resolve(unquote(urlsplit(url).path)).kwargs["slug"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_reader_goes_home_story_tag_author_other_language_and_feed(
    recorded_page, live_server, tmp_path, language
):
    call_command("load_demo", login_file=str(tmp_path / "login"), stdout=StringIO())
    page = recorded_page.page

    page.goto(f"{live_server.url}/{language}/")
    page.locator(".card .card-headline a").first.click()
    expect(page).to_have_url(re.compile(rf"/{language}/stories/"))
    story = Article.objects.get(**{f"slug_{language}": slug_of(page.url, language)})
    headline = getattr(story, f"headline_{language}")
    assert headline
    expect(page.locator("h1")).to_have_text(headline)

    tag_links = page.locator("nav.story-tags a")
    expect(tag_links.first).to_be_visible()
    tag_links.first.click()
    expect(page).to_have_url(re.compile(rf"/{language}/tags/"))
    tag = Tag.objects.get(**{f"slug_{language}": slug_of(page.url, language)})
    assert tag.name_in(language)
    expect(page.locator("h1")).to_have_text(tag.name_in(language))

    page.locator(".byline a").first.click()
    expect(page).to_have_url(re.compile(rf"/{language}/authors/"))
    author = Author.objects.get(slug=slug_of(page.url, language))
    author_name = getattr(author, f"name_{language}")
    assert author_name
    expect(page.locator("h1")).to_have_text(author_name)

    other = next(code for code in LANGUAGES if code != language)
    page.locator(f".language-switcher a[lang={other}]").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/{other}/"))
    expect(page.locator("html")).to_have_attribute("lang", other)

    feed_url = page.locator('link[rel=alternate][type="application/rss+xml"]').evaluate(
        "link => link.href"
    )
    assert feed_url.startswith(f"{live_server.url}/{other}/"), feed_url
    feed = page.request.get(feed_url)
    assert feed.ok, feed_url
    assert "xml" in feed.headers["content-type"], feed.headers["content-type"]
    assert "<rss" in feed.text()

    assert recorded_page.external_requests == []
