import html
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from articles.models import Article
from articles.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from reader.tests.language_check import foreign_text
from tags.tests.factories import TagFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["ko", "ja", "en"]
FEEDS = ["feed_rss", "feed_atom", "section_feed_rss", "section_feed_atom"]
BYLINES = {
    "ko": "김하늘, 박소연",
    "ja": "キム・ハヌル、パク・ソヨン",
    "en": "Kim Ha-neul, Park So-yeon",
}
# The section, then the tags named in that language.
CATEGORIES = {
    "ko": ["경제", "반도체", "배터리"],
    "ja": ["経済", "半導体"],
    "en": ["Economy", "Chips", "Batteries"],
}


def feed_url(name: str, language: str, section=None) -> str:
    kwargs = {"slug": getattr(section, f"slug_{language}")} if section else {}
    with translation.override(language):
        return reverse(f"reader:{name}", kwargs=kwargs)


def fetch(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return response, parsed


def text_of(detail) -> str:
    """Return what a reader sees of a feed text construct, HTML or plain."""
    if detail.type == "text/html":
        return html.unescape(detail.value)
    return detail.value


@pytest.fixture
def section():
    return CategoryFactory(name_ko="경제", name_ja="経済", name_en="Economy")


@pytest.fixture
def story(section):
    first = AuthorFactory(
        name_ko="김하늘", name_ja="キム・ハヌル", name_en="Kim Ha-neul"
    )
    second = AuthorFactory(
        name_ko="박소연", name_ja="パク・ソヨン", name_en="Park So-yeon"
    )
    article = ArticleFactory(
        category=section,
        authors=[first, second],
        headline_ko="삼성 & LG, R&D 투자 “5%” 확대",
        headline_ja="サムスン&LG、R&D投資を「5%」拡大",
        headline_en="Samsung & LG lift R&D by 5%: is 5 < 6?",
        dek_en="Chips & batteries lead; a < b.",
    )
    article.tags.add(
        TagFactory(name_ko="반도체", name_ja="半導体", name_en="Chips"),
        TagFactory(name_ko="배터리", name_ja="", name_en="Batteries"),
    )
    return article


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", FEEDS)
def test_every_feed_parses_and_carries_the_story_in_its_language(
    client, story, section, name, language
):
    section_or_none = section if name.startswith("section_") else None
    url = feed_url(name, language, section_or_none)
    response, parsed = fetch(client, url)

    expected_type = "atom" if name.endswith("atom") else "rss"
    assert response["Content-Type"].startswith(f"application/{expected_type}+xml")
    assert parsed.version.startswith(expected_type)
    assert parsed.feed.language == language
    with translation.override(language):
        if section_or_none:
            title = gettext("Newsroom: %(section)s") % {
                "section": getattr(section, f"name_{language}")
            }
            slug = getattr(section, f"slug_{language}")
            home = reverse("reader:section", kwargs={"slug": slug})
        else:
            title = gettext("Newsroom: latest stories")
            home = reverse("reader:home")
    assert text_of(parsed.feed.title_detail) == title
    assert parsed.feed.link == f"http://testserver{home}"

    [entry] = parsed.entries
    assert text_of(entry.title_detail) == getattr(story, f"headline_{language}")
    assert text_of(entry.summary_detail) == getattr(story, f"dek_{language}")
    assert entry.link == f"http://testserver{story.get_absolute_url(language)}"
    assert entry.id == f"newsroom:article:{story.pk}:{language}"
    assert entry.author == BYLINES[language]
    published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
    assert published == story.published_at.replace(microsecond=0)
    assert [tag.term for tag in entry.tags] == CATEGORIES[language]
    assert foreign_text(response.content.decode(), language) == []


def test_atom_entries_say_when_the_story_was_last_updated(client, story):
    _response, parsed = fetch(client, feed_url("feed_atom", "en"))
    [entry] = parsed.entries
    updated = datetime(*entry.updated_parsed[:6], tzinfo=UTC)
    assert updated == story.updated_at.replace(microsecond=0)


def test_rss_guid_is_not_a_permalink(client, story):
    response = client.get(feed_url("feed_rss", "ko"))
    guid = f'<guid isPermaLink="false">newsroom:article:{story.pk}:ko</guid>'
    assert guid in response.content.decode()


@pytest.mark.parametrize("name", FEEDS)
def test_a_story_without_japanese_is_absent_from_the_japanese_feeds(
    client, section, name
):
    complete = ArticleFactory(category=section)
    korean_only = ArticleFactory(category=section, without_ja=True, without_en=True)
    section_or_none = section if name.startswith("section_") else None

    response, parsed = fetch(client, feed_url(name, "ja", section_or_none))
    links = [entry.link for entry in parsed.entries]
    assert links == [f"http://testserver{complete.get_absolute_url('ja')}"]
    assert korean_only.headline_ko not in response.content.decode()
    assert foreign_text(response.content.decode(), "ja") == []

    _response, parsed = fetch(client, feed_url(name, "ko", section_or_none))
    assert len(parsed.entries) == 2


def test_feeds_leave_out_drafts_and_scheduled_stories(client):
    published = ArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(published_at=timezone.now() + timedelta(hours=3))
    _response, parsed = fetch(client, feed_url("feed_rss", "en"))
    assert [entry.id for entry in parsed.entries] == [
        f"newsroom:article:{published.pk}:en"
    ]


def test_feeds_list_the_newest_50_stories_newest_first(client):
    now = timezone.now()
    stories = [
        ArticleFactory(published_at=now - timedelta(minutes=minutes))
        for minutes in range(1, 53)
    ]
    _response, parsed = fetch(client, feed_url("feed_atom", "ko"))
    assert [entry.id for entry in parsed.entries] == [
        f"newsroom:article:{story.pk}:ko" for story in stories[:50]
    ]


def test_a_section_feed_lists_only_that_sections_stories(client, section):
    ours = ArticleFactory(category=section)
    ArticleFactory()
    _response, parsed = fetch(client, feed_url("section_feed_rss", "en", section))
    assert [entry.id for entry in parsed.entries] == [f"newsroom:article:{ours.pk}:en"]


@pytest.mark.parametrize("name", ["section_feed_rss", "section_feed_atom"])
def test_a_section_feed_is_found_by_the_slug_of_its_language(client, section, name):
    with translation.override("ko"):
        unknown = reverse(f"reader:{name}", kwargs={"slug": "no-such-section"})
    assert client.get(unknown).status_code == 404
    ko_slug_under_ja = feed_url(name, "ko", section).replace("/ko/", "/ja/", 1)
    assert client.get(ko_slug_under_ja).status_code == 404


@pytest.mark.parametrize("name", FEEDS)
def test_a_feed_runs_the_same_number_of_queries_for_3_and_30_stories(
    client, section, name, django_assert_num_queries
):
    section_or_none = section if name.startswith("section_") else None
    url = feed_url(name, "ja", section_or_none)
    # Stories, bylines with their authors, tags; a section feed finds its section.
    queries = 4 if section_or_none else 3

    def add_stories(count):
        for _ in range(count):
            story = ArticleFactory(
                category=section, authors=[AuthorFactory(), AuthorFactory()]
            )
            story.tags.add(TagFactory(), TagFactory())

    add_stories(3)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    add_stories(27)
    with django_assert_num_queries(queries):
        _response, parsed = fetch(client, url)
    assert len(parsed.entries) == 30
