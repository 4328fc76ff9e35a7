"""Search in Korean, Japanese and English: tokens, the index, the page, the desk."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from articles import services
from articles.models import Article
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    UserFactory,
)
from search import index, queries, tokens
from search.models import SearchDocument
from tags.tests.factories import TagFactory

pytestmark = pytest.mark.django_db


def indexed(*articles: Article) -> None:
    """Index stories as the commit of their save would."""
    index.search_index_stories([article.pk for article in articles])


def found(query: str, language: str, **options) -> list[int]:
    ids, _total = queries.search_live(
        tokens.parse_query(query), language=language, **options
    )
    return ids


def story(**fields) -> Article:
    article = ArticleFactory(**fields)
    indexed(article)
    return article


# --- tokens --------------------------------------------------------------------


def test_korean_and_japanese_runs_become_overlapping_pairs():
    assert tokens.chunks("서울에서 東京都, 7월에") == [
        [("서울에서", True)],
        [("東京都", True)],
        [("7", False), ("월에", True)],
    ]
    # Each run's last character too, at its last pair's place.
    assert list(tokens.document_tokens("北朝鮮 Busan's ＦＥＲＲＹ")) == [
        ("北朝", 0),
        ("朝鮮", 1),
        ("鮮", 1),
        ("busan", 3),
        ("s", 5),
        ("ferry", 7),
    ]


def test_a_query_is_cut_the_same_way_and_drops_korean_particles():
    query = tokens.parse_query("서울에서 北朝鮮 Ferry 7월")
    assert query.groups == (
        (("서울", False),),
        (("北朝", False), ("朝鮮", False)),
        (("ferry", False),),
        (("7", False), ("월", True)),
    )
    assert query.terms == ("서울", "北朝鮮", "ferry", "7월")
    assert query.tsquery() == (
        "('서울') & ('北朝' <-> '朝鮮') & ('ferry') & ('7' <-> '월':*)"
    )
    # Too short to lose a particle: "경기" stays whole.
    assert tokens.parse_query("경기").groups == ((("경기", False),),)


@pytest.mark.parametrize(
    "text",
    [
        "'",
        '"',
        "\\",
        "a & b | !c <-> d:*",
        "\x00\x01\x7f",
        "' OR 1=1 --",
        "x" * 10_000,
        "서울" * 3000,
    ],
)
def test_no_query_breaks_the_search(text):
    story(headline_en="Busan ferry returns")
    queries.search_live(tokens.parse_query(text), language="en")
    queries.search_live(tokens.parse_query(text), language="ko", order="newest")


# --- what is found ------------------------------------------------------------


def test_two_character_terms_are_found_inside_longer_words():
    seoul = story(
        headline_ko="서울에서 심야버스 증편",
        body_ko="<p>서울시가 버스를 늘렸다.</p>",
        headline_ja="東京都内で終電延長",
        body_ja="<p>東京都が終電を延ばした。</p>",
    )
    other = story(headline_ko="부산 항만 물동량", headline_ja="大阪港の貨物量")
    assert found("서울", "ko") == [seoul.pk]
    assert found("서울에서", "ko") == [seoul.pk]
    assert found("東京", "ja") == [seoul.pk]
    assert found("終電延長", "ja") == [seoul.pk]
    assert found("大阪", "ja") == [other.pk]
    # A phrase: both pairs, next to each other.
    assert found("都内終電", "ja") == []
    # One character, at the start, inside or at the end of a word.
    assert found("終", "ja") == [seoul.pk]
    assert found("延", "ja") == [seoul.pk]
    assert found("長", "ja") == [seoul.pk]


def test_numbers_and_words_written_together_are_found_together():
    july = story(headline_ko="7월에 수출 증가", body_ko="<p>수출이 늘었다.</p>")
    story(headline_ko="수출 7개 품목 증가", body_ko="<p>월말 집계.</p>")
    assert found("7월", "ko") == [july.pk]


def test_english_is_found_whatever_the_case_or_width():
    ferry = story(headline_en="Busan-Fukuoka ferry cuts crossing time")
    assert found("FERRY", "en") == [ferry.pk]
    assert found("ｆｕｋｕｏｋａ", "en") == [ferry.pk]
    assert found("ferry Osaka", "en") == []


def test_each_language_searches_its_own_text_only():
    article = story(
        headline_ko="태풍 상륙", body_ko="<p>태풍이 왔다.</p>", without_ja=True
    )
    assert found("태풍", "ko") == [article.pk]
    assert found("태풍", "ja") == []


def test_tags_and_authors_names_are_searched_in_the_pages_language():
    article = ArticleFactory(authors=[AuthorFactory(name_ja="山田花子")])
    article.tags.add(TagFactory(name_ko="반도체", name_ja="半導体"))
    indexed(article)
    assert found("山田", "ja") == [article.pk]
    assert found("半導体", "ja") == [article.pk]
    assert found("반도체", "ko") == [article.pk]


def test_only_live_stories_are_found():
    base = {"headline_ko": "선거 결과 발표"}
    live = story(**base)
    story(**base, status=Article.Status.DRAFT, published_at=None)
    story(**base, published_at=timezone.now() + timedelta(days=1))
    withheld = story(**base)
    services.article_withhold(article=withheld, language="ko", withheld=True)
    indexed(withheld)
    assert found("선거", "ko") == [live.pk]


def test_withholding_a_language_takes_the_story_out_of_its_results(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(headline_ko="선거 결과 발표")
    assert found("선거", "ko") == [article.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withhold(article=article, language="ko", withheld=True)
    assert found("선거", "ko") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.article_withhold(article=article, language="ko", withheld=False)
    assert found("선거", "ko") == [article.pk]


def test_relevance_puts_headline_matches_first_and_newest_breaks_ties():
    now = timezone.now()
    in_body = story(
        headline_en="Council meets",
        body_en="<p>The budget for the harbour was approved.</p>",
        published_at=now - timedelta(hours=1),
    )
    in_headline = story(
        headline_en="Harbour budget approved",
        body_en="<p>The council met.</p>",
        published_at=now - timedelta(days=3),
    )
    assert found("harbour", "en") == [in_headline.pk, in_body.pk]
    assert found("harbour", "en", order="newest") == [in_body.pk, in_headline.pk]


def test_filters_narrow_by_section_tag_author_and_dates():
    section = CategoryFactory()
    author = AuthorFactory()
    now = timezone.now()
    match = ArticleFactory(
        headline_en="Port strike ends", category=section, authors=[author]
    )
    tag = TagFactory(name_en="labour")
    match.tags.add(tag)
    old = ArticleFactory(
        headline_en="Port strike begins", published_at=now - timedelta(days=40)
    )
    indexed(match, old)
    assert set(found("port", "en")) == {match.pk, old.pk}
    for filters in (
        queries.Filters(section=section.pk),
        queries.Filters(tag=tag.pk),
        queries.Filters(author=author.pk),
        queries.Filters(since=now - timedelta(days=7)),
    ):
        assert found("port", "en", filters=filters) == [match.pk]
    assert found(
        "port", "en", filters=queries.Filters(until=now - timedelta(days=7))
    ) == [old.pk]


# --- the index follows every write ------------------------------------------------


def test_a_save_through_the_desk_reindexes_on_commit(
    django_capture_on_commit_callbacks,
):
    editor = UserFactory(username="desk", role="editor")
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(headline_en="Night trains return")
    assert found("trains", "en") == [article.pk]
    article = Article.objects.get(pk=article.pk)
    article.headline_en = "Night buses return"
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(
            article=article,
            user=editor,
            changed_fields=["x"],
            loaded_version=article.version,
        )
    assert found("trains", "en") == []
    assert found("buses", "en") == [article.pk]


def test_a_renamed_tag_reindexes_its_stories(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory()
        tag = TagFactory(name_en="chips")
        article.tags.add(tag)
    assert found("chips", "en") == [article.pk]
    with django_capture_on_commit_callbacks(execute=True):
        tag.name_en = "semiconductors"
        tag.save()
    assert found("chips", "en") == []
    assert found("semiconductors", "en") == [article.pk]


def test_a_rolled_back_write_does_not_stop_later_indexing(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory(headline_en="Lost story")
        raise RuntimeError
    with django_capture_on_commit_callbacks(execute=True):
        kept = ArticleFactory(headline_en="Kept story")
    assert found("story", "en") == [kept.pk]


def test_the_rebuild_command_indexes_every_story(capsys):
    from django.core.management import call_command

    ArticleFactory.create_batch(3, headline_en="Harbour news")
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", "--batch", "2")
    out = capsys.readouterr().out
    assert "2/3 stories" in out and "3/3 stories" in out
    assert len(found("harbour", "en")) == 3


# --- the page -----------------------------------------------------------------------


def search_page(client, language: str, **params):
    with translation.override(language):
        url = reverse("search:search")
    return client.get(url, params)


def test_the_search_page_marks_the_words_found(client):
    article = story(
        headline_ko="서울 지하철 심야 운행",
        body_ko="<p>서울시는 금요일 막차를 새벽 1시로 늦춘다.</p>",
    )
    response = search_page(client, "ko", q="서울")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>서울</mark> 지하철 심야 운행" in html
    assert "<mark>서울</mark>시는 금요일" in html
    assert article.get_absolute_url("ko") in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Set-Cookie" not in response


def test_an_empty_a_long_and_a_symbol_only_query_each_get_a_helpful_page(client):
    story()
    with translation.override("en"):
        assert "Search this edition" in search_page(client, "en").content.decode()
        too_long = search_page(client, "en", q="x" * 10_000)
        assert too_long.status_code == 200
        assert "10000 characters long" in too_long.content.decode()
        symbols = search_page(client, "en", q="!!! ???")
        assert "punctuation alone finds nothing" in symbols.content.decode()
        nothing = search_page(client, "en", q="zebra")
        assert "Nothing matched" in nothing.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00"},
        {"q": "a", "page": "0"},
        {"q": "a", "page": "x"},
        {"q": "a", "since": "2026-99-01"},
        {"q": "a", "since": "2026-05-02", "until": "2026-05-01"},
        {"q": "a", "section": "no-such"},
        {"q": "a", "tag": "<script>"},
        {"q": "a", "author": "nobody", "order": "sideways"},
    ],
)
def test_bad_search_parameters_are_never_a_500(client, params):
    story(headline_en="a story")
    assert search_page(client, "en", **params).status_code in (200, 404)


def test_the_search_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    # sections and authors for the form, the search (and on PostgreSQL a
    # capped count first), the stories, their bylines
    expected = 6 if connection.vendor == "postgresql" else 5
    for count in (2, 12):
        for _n in range(count):
            story(headline_en="Harbour story")
        with django_assert_num_queries(expected):
            assert search_page(client, "en", q="harbour").status_code == 200


def test_the_desk_searches_every_language_through_the_index(admin_client):
    korean = story(headline_ko="반도체 수출 증가", without_en=True)
    english = story(headline_en="Chip exports climb")
    story(headline_en="Weather")
    url = reverse("admin:articles_article_changelist")
    for term, expected in (("반도체", korean), ("chip", english)):
        response = admin_client.get(url, {"q": term})
        assert [row.pk for row in response.context["cl"].result_list] == [expected.pk]
    by_id = admin_client.get(url, {"q": str(english.pk)})
    assert english in by_id.context["cl"].result_list


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only"
)
def test_postgres_reads_the_matches_from_the_languages_gin_index():
    section = CategoryFactory()
    stories = Article.objects.bulk_create(
        Article(category=section, headline_ko=f"기사 {n}") for n in range(2000)
    )
    SearchDocument.objects.bulk_create(
        SearchDocument(
            article=article,
            language=language,
            vector=f"'word{n % 500}':1 '{language}{n}':2",
        )
        for n, article in enumerate(stories)
        for language in ("ko", "ja")
    )
    with connection.cursor() as cursor:
        # Earlier tests' rolled-back rows may wait in the index's pending list.
        cursor.execute("SELECT gin_clean_pending_list('search_document_ko_gin')")
        cursor.execute("ANALYZE articles_searchdocument")
        cursor.execute(
            "EXPLAIN SELECT article_id FROM articles_searchdocument "
            "WHERE language = 'ko' AND vector @@ CAST(%s AS tsquery)",
            ["'ko1234'"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_document_ko_gin" in plan, plan


def test_the_search_page_filters_by_a_tag_named_in_any_language_and_an_author(client):
    author = AuthorFactory(name_en="Kim Hana", slug="kim-hana")
    tagged = ArticleFactory(headline_en="Port traffic up", authors=[author])
    tagged.tags.add(TagFactory(name_ko="항만", name_en="ports"))
    other = ArticleFactory(headline_en="Port strike ends")
    indexed(tagged, other)
    tagged_url, other_url = tagged.get_absolute_url("en"), other.get_absolute_url("en")
    html = search_page(client, "en", q="port").content.decode()
    assert tagged_url in html and other_url in html
    for params in ({"tag": "항만"}, {"tag": "PORTS"}, {"author": "kim-hana"}):
        html = search_page(client, "en", q="port", **params).content.decode()
        assert tagged_url in html, params
        assert other_url not in html, params
    unknown = search_page(client, "en", q="port", tag="nothing-like-it")
    assert "Nothing matched" in unknown.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"until": "9999-12-31"},
        {"since": "0001-01-01"},
        {"since": "1899-12-31"},
        {"until": "3000-01-01"},
        {"since": "0001-01-01", "until": "9999-12-31"},
    ],
)
def test_dates_out_of_range_are_a_form_error_at_the_top_of_the_form(client, params):
    story(headline_en="Harbour story")
    response = search_page(client, "en", q="harbour", **params)
    html = response.content.decode()
    assert response.status_code == 200
    message = "Choose dates between Jan. 1, 1900 and Dec. 31, 2999."
    assert message in html
    assert html.index(message) < html.index('class="search-main"')
    assert not response.context["articles"]


def test_the_first_and_last_accepted_dates_search(client):
    found_story = story(headline_en="Harbour story")
    response = search_page(
        client, "en", q="harbour", since="1900-01-01", until="2999-12-31"
    )
    assert response.status_code == 200
    assert response.context["articles"] == [found_story]
    html = response.content.decode()
    assert 'min="1900-01-01"' in html
    assert 'max="2999-12-31"' in html
