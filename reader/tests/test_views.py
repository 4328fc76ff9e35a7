import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article, Category
from articles.services import article_withhold
from articles.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from images.tests.factories import ImageFactory
from reader.tests.language_check import foreign_text
from reader.views import sections_with_latest
from tags.models import Tag

pytestmark = pytest.mark.django_db


def test_root_redirects_to_the_readers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ja,en;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == "/ja/"
    assert "Accept-Language" in response["Vary"]


def test_root_redirects_to_korean_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/ko/"


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_home_lists_published_stories_newest_first(client, language):
    older = ArticleFactory(published_at=timezone.now() - timedelta(days=2))
    newer = ArticleFactory(published_at=timezone.now() - timedelta(hours=2))
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    newer_headline = getattr(newer, f"headline_{language}")
    older_headline = getattr(older, f"headline_{language}")
    assert html.index(newer_headline) < html.index(older_headline)
    assert f'<html lang="{language}">' in html


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_story_page_shows_the_story_in_its_language(client, language):
    author = AuthorFactory(
        name_ko="김하늘", name_ja="キム・ハヌル", name_en="Kim Ha-neul"
    )
    article = ArticleFactory(authors=[author])
    response = client.get(article.get_absolute_url(language))
    assert response.status_code == 200
    html = response.content.decode()
    assert getattr(article, f"headline_{language}") in html
    assert getattr(article, f"body_{language}") in html
    assert getattr(author, f"name_{language}") in html
    assert getattr(article.category, f"name_{language}") in html
    stamp = re.search(r'<time datetime="([^"]+)"', html).group(1)
    # To the second: HTML allows no microseconds.
    assert datetime.fromisoformat(stamp) == article.published_at.replace(microsecond=0)


def test_a_story_without_japanese_is_absent_from_japanese_pages(client):
    article = ArticleFactory(without_ja=True, headline_ko="일본어판 없는 기사")
    ja_home = client.get("/ja/").content.decode()
    assert article.headline_en not in ja_home
    assert foreign_text(ja_home, "ja") == []
    assert client.get(f"/ja/stories/{quote(article.slug_ko)}/").status_code == 404
    assert client.get(f"/ja/stories/{article.slug_en}/").status_code == 404
    assert client.get(article.get_absolute_url("ko")).status_code == 200


def test_japanese_pages_carry_no_korean_text(client):
    complete = ArticleFactory()
    ArticleFactory(without_ja=True)
    for url in ("/ja/", complete.get_absolute_url("ja")):
        html = client.get(url).content.decode()
        assert foreign_text(html, "ja") == [], url


def test_english_pages_carry_no_korean_or_japanese_text(client):
    complete = ArticleFactory()
    ArticleFactory(without_en=True)
    for url in ("/en/", complete.get_absolute_url("en")):
        html = client.get(url).content.decode()
        assert foreign_text(html, "en") == [], url


def test_the_language_check_finds_unmarked_korean_on_a_japanese_page():
    html = '<p>日本語の記事</p><p>한국어 문장</p><span lang="ko">한국어</span>'
    assert foreign_text(html, "ja") == ["한국어 문장"]


def test_korean_and_japanese_slugs_resolve(client):
    article = ArticleFactory(
        headline_ko="서울 지하철 심야 운행", headline_ja="東京の終電延長"
    )
    ko_url = article.get_absolute_url("ko")
    ja_url = article.get_absolute_url("ja")
    assert ko_url == "/ko/stories/" + quote("서울-지하철-심야-운행") + "/"
    assert ja_url == "/ja/stories/" + quote("東京の終電延長") + "/"
    assert client.get(ko_url).status_code == 200
    assert client.get(ja_url).status_code == 200


def test_drafts_and_scheduled_stories_are_not_public(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=3))
    home = client.get("/ko/").content.decode()
    for article in (draft, scheduled):
        assert article.headline_ko not in home
        url = f"/ko/stories/{quote(article.slug_ko)}/"
        assert client.get(url).status_code == 404


def test_unknown_story_is_a_404_in_the_pages_language(client):
    response = client.get("/ja/stories/no-such-story/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_language_switcher_leads_to_the_same_story_or_says_it_is_missing(client):
    article = ArticleFactory(without_en=True)
    html = client.get(article.get_absolute_url("ko")).content.decode()
    assert f'href="{article.get_absolute_url("ja")}"' in html
    english_link = re.search(r'<a href="([^"]+)" lang="en"[^>]*title="([^"]+)"', html)
    assert english_link is not None
    assert english_link.group(1) == "/en/"
    # Said on the page, in the page's language, not only in a tooltip.
    assert '<small class="switcher-note" lang="ko">' in html


def front_page_stories(count: int) -> None:
    """`count` stories, with a breaking one, a top story, picks, tags and reads."""
    from reader.readership import story_read_record
    from reader.trending import trending_refresh
    from tags.models import Tag

    tag = Tag.objects.create(name_ko=f"태그{count}", name_ja=f"タグ{count}")
    # A newsroom's sections are a fixed list: the home page reads each one.
    sections = list(Category.objects.all()[:4]) or CategoryFactory.create_batch(4)
    for number in range(count):
        article = ArticleFactory(
            category=sections[number % len(sections)],
            authors=[AuthorFactory(), AuthorFactory()],
            is_breaking=number == 0,
            placement=["top", "recommended", ""][min(number, 2)],
        )
        article.tags.add(tag)
        story_read_record(
            article_id=article.pk,
            language="ko",
            ip=f"198.51.100.{number % 250}",
            user_agent="Mozilla/5.0",
        )
    # As the worker does, planned by these stories' changes.
    trending_refresh()


def test_home_runs_the_same_number_of_queries_for_3_and_30_stories(
    client, django_assert_max_num_queries
):
    front_page_stories(3)
    with CaptureQueriesContext(connection) as three:
        assert client.get("/ko/").status_code == 200
    front_page_stories(27)
    # However many sections: their newest stories come in one query.
    with (
        django_assert_max_num_queries(12),
        CaptureQueriesContext(connection) as thirty,
    ):
        response = client.get("/ko/")
    assert response.status_code == 200
    assert len(response.context["articles"]) == 20
    assert len(three.captured_queries) == len(thirty.captured_queries)


def test_the_front_page_shows_breaking_top_picks_sections_and_trending_tags(client):
    front_page_stories(4)
    html = client.get("/ja/").content.decode()
    context = client.get("/ja/").context
    assert 'class="breaking-strip"' in html
    assert context["top_story"].placement == "top"
    assert len(context["recommended"]) == 1
    assert [tag.name_ja for tag in context["trending_tags"]] == ["タグ4"]
    assert sum(len(stories) for _section, stories in context["sections"]) == 4
    assert foreign_text(html, "ja") == []


def rich_story(parts: int) -> Article:
    """A story with `parts` of each author, tag, source, correction, link, related."""
    from articles.models import Correction
    from related.models import ExternalLink, RelatedArticle, Source
    from tags.models import Tag

    article = ArticleFactory(
        authors=AuthorFactory.create_batch(parts), feature_image=ImageFactory()
    )
    for number in range(parts):
        tag = Tag.objects.create(
            name_ko=f"태그{number}{article.pk}", name_ja=f"タグ{number}{article.pk}"
        )
        article.tags.add(tag)
        Source.objects.create(
            article=article, publisher=f"P{number}", url="https://www.example.org/"
        )
        Correction.objects.create(article=article, text_ja=f"訂正{number}")
        ExternalLink.objects.create(
            article=article,
            url=f"https://www.example.org/{number}",
            label_ja=f"関連資料{number}",
        )
        RelatedArticle.objects.create(
            article=article,
            related=ArticleFactory(feature_image=ImageFactory()),
            position=number,
        )
    return article


def test_story_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    one, many = rich_story(1), rich_story(6)
    now = timezone.now()
    for article in (one, many):
        # Neighbours in its section, before and after it.
        Article.objects.filter(pk=article.pk).update(
            published_at=now - timedelta(hours=2)
        )
        for hours in (3, 1):
            ArticleFactory(
                category=article.category, published_at=now - timedelta(hours=hours)
            )
    # A related story withheld in Japanese is not offered there.
    withheld = many.related_articles.first().related
    article_withhold(article=withheld, language="ja", withheld=True)
    # story (with the languages it is withheld in); its bylines, tags,
    # sources, corrections and links (one query); related (with the languages
    # they are withheld in); the pictures' renditions (the story's and its
    # related stories'); its previous and next stories
    # The first request on a connection prepares the page's statements on
    # PostgreSQL (core/prepared.py); the budget is every request's after it.
    client.get(one.get_absolute_url("ja"))
    for article in (one, many):
        with django_assert_num_queries(5):
            response = client.get(article.get_absolute_url("ja"))
        assert response.status_code == 200
        assert response.context["previous_story"] is not None
        assert response.context["next_story"] is not None
    assert len(response.context["related"]) == 5
    assert withheld not in response.context["related"]
    assert len(response.context["tags"]) == 6
    assert len(response.context["links"]) == 6
    assert len(response.context["corrections"]) == 6
    assert len(response.context["read_more"]) == 6
    html = response.content.decode()
    for byline in many.bylines.all():
        assert byline.author.name_ja in html
    # The story's picture and its five related stories'.
    assert html.count("<img") >= 6


def test_pictures_in_a_story_body_cost_one_query_however_many(
    client, django_assert_num_queries
):
    from images.tests.factories import RenditionFactory
    from reader.tests.test_body import body_with, figure

    for count in (1, 5):
        article = rich_story(2)
        pictures = [RenditionFactory().image for _ in range(count)]
        article.body_ja = body_with(*(figure(picture) for picture in pictures))
        article.save()
        # As above, and the body's pictures (their renditions come with the
        # others'); after a first request has prepared the statements.
        client.get(article.get_absolute_url("ja"))
        with django_assert_num_queries(6):
            response = client.get(article.get_absolute_url("ja"))
        html = response.content.decode()
        assert html.count('class="story-figure') == count


def test_a_story_between_two_others_costs_no_more_queries(
    client, django_assert_num_queries
):
    # Its previous and next stories are read with only() their link's
    # columns: naming them for the front cache must not fetch the others.
    section = CategoryFactory()
    now = timezone.now()
    older, middle, newer = (
        ArticleFactory(category=section, published_at=now - timedelta(hours=hours))
        for hours in (3, 2, 1)
    )
    # story; its bylines, tags, sources, corrections and links; related;
    # neighbours (no picture: no renditions); after a first request has
    # prepared the statements.
    client.get(middle.get_absolute_url("ko"))
    with django_assert_num_queries(4):
        response = client.get(middle.get_absolute_url("ko"))
    assert response.context["previous_story"] == older
    assert response.context["next_story"] == newer
    html = response.content.decode()
    assert older.headline_ko in html
    assert newer.get_absolute_url("ko") in html


def test_home_paginates_and_a_page_past_the_end_is_a_404(client):
    ArticleFactory.create_batch(21)
    assert client.get("/en/?page=2").status_code == 200
    assert client.get("/en/?page=3").status_code == 404
    assert client.get("/en/?page=abc").status_code == 404
    assert client.get("/en/?page=last").status_code == 404
    assert client.get("/en/?page=0").status_code == 404


@pytest.mark.parametrize(
    ("language", "byline"),
    [
        ("ko", "김하늘, 박소연"),
        ("ja", "キム・ハヌル、パク・ソヨン"),
        ("en", "Kim Ha-neul, Park So-yeon"),
    ],
)
def test_byline_lists_authors_in_order_with_the_languages_separator(
    client, language, byline
):
    first = AuthorFactory(
        name_ko="김하늘", name_ja="キム・ハヌル", name_en="Kim Ha-neul"
    )
    second = AuthorFactory(
        name_ko="박소연", name_ja="パク・ソヨン", name_en="Park So-yeon"
    )
    article = ArticleFactory(authors=[first, second])
    html = client.get(article.get_absolute_url(language)).content.decode()
    assert byline in strip_tags(html)


@pytest.mark.parametrize("page", ["section", "tag", "author"])
def test_list_pages_run_the_same_queries_for_3_and_25_stories(
    client, django_assert_num_queries, page
):
    from tags.models import Tag

    section = CategoryFactory()
    author = AuthorFactory()
    tag = Tag.objects.create(name_ko="공통", name_ja="共通", name_en="Shared")

    def add(count: int) -> None:
        for _number in range(count):
            article = ArticleFactory(
                category=section, authors=[author, AuthorFactory()]
            )
            article.tags.add(tag, Tag.objects.create(name_ko=f"태그{article.pk}"))

    urls = {
        "section": f"/ja/sections/{section.slug_ja}/",
        "tag": f"/ja/tags/{tag.slug_ja}/",
        "author": author.get_absolute_url("ja"),
    }
    add(3)
    # the section, tag or author; the page of stories; their bylines. No
    # COUNT(*): the page only says whether older stories follow.
    with django_assert_num_queries(3):
        assert client.get(urls[page]).status_code == 200
    add(22)
    with django_assert_num_queries(3):
        response = client.get(urls[page])
    assert len(response.context["articles"]) == 20
    assert response.context["page_obj"].has_next()
    older = client.get(urls[page] + "?page=2")
    assert len(older.context["articles"]) == 5
    assert not older.context["page_obj"].has_next()
    assert client.get(urls[page] + "?page=3").status_code == 404


def test_a_tag_has_a_page_only_in_the_languages_of_its_live_stories(client):
    from tags.tests.factories import TagFactory

    drafts_only = TagFactory(name_ko="미공개 인수합병")
    ArticleFactory(status=Article.Status.DRAFT, published_at=None).tags.add(drafts_only)
    ArticleFactory(published_at=timezone.now() + timedelta(hours=2)).tags.add(
        drafts_only
    )
    no_japanese = TagFactory()
    ArticleFactory(without_ja=True).tags.add(no_japanese)

    draft_page = client.get(f"/ko/tags/{quote(drafts_only.slug_ko)}/")
    assert draft_page.status_code == 404
    assert "미공개 인수합병" not in draft_page.content.decode()
    assert client.get(f"/ja/tags/{quote(no_japanese.slug_ja)}/").status_code == 404
    english = client.get(f"/en/tags/{no_japanese.slug_en}/")
    assert english.status_code == 200
    # The language switcher offers only the tag's pages that exist.
    assert set(english.context["language_urls"]) == {"ko", "en"}
    assert client.get(english.context["language_urls"]["ko"]).status_code == 200


def page_urls() -> dict[str, str]:
    from tags.models import Tag

    tag = Tag.objects.create(name_ko="항만", name_ja="港湾", name_en="Ports")
    story = ArticleFactory()
    story.tags.add(tag)
    month = timezone.localtime(story.published_at)
    return {
        "home": "/en/",
        "section": f"/en/sections/{story.category.slug_en}/",
        "tag": f"/en/tags/{tag.slug_en}/",
        "author": story.byline_authors()[0].get_absolute_url("en"),
        "archive": f"/en/archive/{month.year}/{month.month}/",
        "search": "/en/search/?q=port",
    }


@pytest.mark.parametrize(
    "number",
    [
        "99999999999999999999999",
        "9223372036854775807",
        "10001",
        "0",
        "-1",
        "abc",
        "last",
        "1.5",
        "1e3",
        # Page 1 in other spellings: one address per page, for caches and crawlers.
        "١",
        " 1",
        "+1",
        "01",
    ],
)
def test_a_page_number_that_is_not_a_sane_positive_integer_is_a_404(client, number):
    for name, url in page_urls().items():
        assert client.get(url).status_code == 200, name
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}{urlencode({'page': number})}")
        assert response.status_code == 404, name


def test_a_link_is_shown_only_in_the_languages_that_label_it(client):
    from related.models import ExternalLink

    article = ArticleFactory()
    ExternalLink.objects.create(
        article=article,
        url="https://stats.example.org/port",
        label_ko="항만 통계",
        label_ja="港湾統計",
        language="ko",
    )
    japanese = client.get(article.get_absolute_url("ja")).content.decode()
    assert "港湾統計" in japanese and "항만 통계" not in japanese
    assert 'hreflang="ko"' in japanese
    english = client.get(article.get_absolute_url("en")).content.decode()
    assert "stats.example.org" not in english


def test_a_month_without_live_stories_has_no_archive_page(client):
    story = ArticleFactory(published_at=datetime(2025, 3, 10, 9, tzinfo=UTC))
    ArticleFactory(published_at=datetime(2025, 4, 10, 9, tzinfo=UTC), without_ja=True)
    assert client.get("/ko/archive/2025/3/").status_code == 200
    assert client.get("/ko/archive/2025/2/").status_code == 404
    # A month whose only story is not in this language is empty here.
    assert client.get("/ja/archive/2025/4/").status_code == 404
    assert client.get("/en/archive/2025/4/").status_code == 200
    story.delete()
    assert client.get("/ko/archive/2025/3/").status_code == 404


def full_front_page(count: int) -> list[Article]:
    """Fill every block of the home page, `count` stories in each."""
    from reader.models import Ranking
    from reader.trending import trending_refresh
    from tags.models import Tag

    stories = []
    for _section in range(count):
        section = CategoryFactory()
        for number in range(count):
            story = ArticleFactory(
                category=section,
                authors=AuthorFactory.create_batch(2),
                feature_image=ImageFactory(),
                placement=Article.Placement.RECOMMENDED if number == 0 else "",
            )
            story.tags.add(Tag.objects.create(name_ko=f"화제{story.pk}"))
            stories.append(story)
    stories[0].placement = Article.Placement.TOP
    stories[0].is_breaking = True
    stories[0].save()
    for window in Ranking.Window:
        for position, story in enumerate(stories[:count]):
            Ranking.objects.create(
                language="ko",
                window=window,
                position=position,
                article=story,
                reads=count - position,
            )
    trending_refresh()
    return stories


def test_the_home_page_runs_the_same_queries_however_full_its_blocks(
    client, django_assert_num_queries
):
    full_front_page(2)
    # stories and their bylines; breaking; top story, its bylines and
    # picture's renditions; recommended; sections and their newest stories;
    # most read (day and week); trending tags. After a first request has
    # prepared the statements (core/prepared.py).
    client.get("/ko/")
    with django_assert_num_queries(11):
        response = client.get("/ko/")
    assert len(response.context["sections"]) == 2
    assert len(response.context["most_read_week"]) == 2
    Article.objects.all().delete()
    full_front_page(5)
    with django_assert_num_queries(11):
        response = client.get("/ko/")
    assert response.context["breaking"] is not None
    assert response.context["top_story"] is not None
    # One of the five is the top story now.
    assert len(response.context["recommended"]) == 4
    assert len(response.context["sections"]) == 5
    assert all(len(stories) == 4 for _section, stories in response.context["sections"])
    assert len(response.context["most_read_day"]) == 5
    assert len(response.context["most_read_week"]) == 5
    assert len(response.context["trending_tags"]) == 10


def test_a_section_block_shows_its_four_newest_stories_readers_may_see():
    politics, sports, culture = CategoryFactory.create_batch(3)
    now = timezone.now()
    shown = [
        ArticleFactory(category=politics, published_at=now - timedelta(hours=hours))
        for hours in range(2, 8)
    ]
    ArticleFactory(category=politics, status=Article.Status.DRAFT)
    withheld = ArticleFactory(
        category=politics, published_at=now - timedelta(minutes=5)
    )
    article_withhold(article=withheld, language="ja", withheld=True)
    ArticleFactory(category=politics, published_at=now + timedelta(hours=1))
    only_korean = ArticleFactory(category=sports, body_ja="")
    in_culture = ArticleFactory(category=culture)

    sections = sections_with_latest("ja", 4)

    assert [
        (section, [story.pk for story in stories]) for section, stories in sections
    ] == [
        (politics, [story.pk for story in shown[:4]]),
        (culture, [in_culture.pk]),
    ]
    assert only_korean.category not in [section for section, _stories in sections]


def test_lists_of_stories_leave_their_bodies_in_the_database(client):
    # Twenty cards' bodies in four columns each were most of a list's bytes;
    # a card shows neither body nor key points.
    section, author = CategoryFactory(), AuthorFactory()
    story = ArticleFactory(
        category=section,
        authors=[author],
        body_ja="<p>" + "港湾の貨物量が増えた。" * 400 + "</p>",
        key_points_ja="一つ目\n二つ目",
    )
    tag = Tag.objects.create(name_ja="港湾", name_ko="항만")
    story.tags.add(tag)
    pages = [
        "/ja/",
        section.page_url("ja"),
        tag.page_url("ja"),
        author.get_absolute_url("ja"),
        "/ja/feeds/rss.xml",
    ]
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert story.headline_ja in response.content.decode(), url
        # What each query brings back: its columns, not its conditions.
        columns = " ".join(
            query["sql"].partition(" FROM ")[0] for query in queries.captured_queries
        )
        assert not re.search(r'\."(body|key_points)(_[a-z]{2})?"', columns), url
