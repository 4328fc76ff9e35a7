import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Author, Category
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    UserFactory,
)
from images.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="desk", superuser=True))
    return client


def empty_inline(prefix: str) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_form_data(category, author, **overrides):
    data = {
        "headline_ko": "태풍 북상에 남해안 항공편 결항",
        "headline_ja": "台風北上で南海岸の航空便が欠航",
        "headline_en": "",
        "slug_ko": "",
        "slug_ja": "",
        "slug_en": "",
        "dek_ko": "제주와 부산을 잇는 노선이 멈췄다.",
        "dek_ja": "",
        "dek_en": "",
        "body_ko": "<p>태풍이 북상하면서 항공편이 결항했다.</p><script>x()</script>",
        "body_ja": "<p>台風の北上で航空便が欠航した。</p>",
        "body_en": "",
        "source_language": "ko",
        "category": category.pk,
        "status": "published",
        "ai_use": "none",
        "placement": "",
        "published_at_0": "",
        "published_at_1": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-author": author.pk,
        "bylines-0-position": "0",
        **empty_inline("corrections"),
        **empty_inline("sources"),
        **empty_inline("related_articles"),
        **empty_inline("external_links"),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("model", [Article, Category, Author])
def test_changelist_and_add_pages_load(admin_client, model):
    ArticleFactory()
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(add).status_code == 200


@pytest.mark.parametrize(
    ("factory", "model"),
    [(ArticleFactory, Article), (CategoryFactory, Category), (AuthorFactory, Author)],
)
def test_change_page_loads_with_language_tabs_from_our_own_static_files(
    admin_client, factory, model
):
    obj = factory()
    url = reverse(f"admin:articles_{model._meta.model_name}_change", args=[obj.pk])
    html = admin_client.get(url).content.decode()
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in html
    assert "tabbed_translation_fields.js" in html
    # Nothing the admin page loads may come from another host.
    external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html)
    assert external == []


def test_adding_a_story_saves_it_whole(admin_client):
    category, author = CategoryFactory(), AuthorFactory()
    response = admin_client.post(
        reverse("admin:articles_article_add"), article_form_data(category, author)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.slug_ko == "태풍-북상에-남해안-항공편-결항"
    assert article.slug_ja == "台風北上で南海岸の航空便が欠航"
    assert not article.slug_en
    assert article.published_at is not None
    assert "<script" not in article.body_ko
    assert article.byline_authors() == [author]


def test_a_duplicate_slug_is_a_form_error_on_that_language(admin_client):
    ArticleFactory(slug_ja="重複")
    category, author = CategoryFactory(), AuthorFactory()
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(category, author, slug_ja="重複"),
    )
    assert response.status_code == 200
    assert "slug_ja" in response.context["adminform"].form.errors
    assert Article.objects.count() == 1


def test_a_story_missing_its_source_text_is_a_form_error(admin_client):
    category, author = CategoryFactory(), AuthorFactory()
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(category, author, source_language="en"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"headline_en", "body_en"}
    assert not Article.objects.exists()


def test_form_errors_speak_the_editors_language(admin_client):
    category, author = CategoryFactory(), AuthorFactory()
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(category, author, source_language="en"),
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    html = response.content.decode()
    assert "原文の言語ではこの項目が必要です。" in html
    assert "ニュースルーム編集局" in html


def test_changing_a_story_keeps_its_slugs(admin_client):
    article = ArticleFactory(headline_ko="처음 제목")
    data = article_form_data(
        article.category,
        AuthorFactory(),
        headline_ko="바뀐 제목",
        slug_ko=article.slug_ko,
        slug_ja=article.slug_ja,
        slug_en=article.slug_en,
        headline_en=article.headline_en,
        body_en=article.body_en,
        published_at_0="2026-11-01",
        published_at_1="09:00:00",
        loaded_version=article.version,
    )
    data.update(
        {
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
        }
    )
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.headline_ko == "바뀐 제목"
    assert article.slug_ko == "처음-제목"


def test_adding_a_section_and_an_author(admin_client):
    response = admin_client.post(
        reverse("admin:articles_category_add"),
        {
            "name_ko": "과학",
            "name_ja": "科学",
            "name_en": "Science",
            "slug_ko": "",
            "slug_ja": "",
            "slug_en": "",
            "position": "3",
        },
    )
    assert response.status_code == 302
    section = Category.objects.get()
    assert (section.slug_ko, section.slug_ja, section.slug_en) == (
        "과학",
        "科学",
        "science",
    )

    response = admin_client.post(
        reverse("admin:articles_author_add"),
        {
            "name_ko": "박소연",
            "name_ja": "",
            "name_en": "Park So-yeon",
            "email": "x@y.z",
        },
    )
    assert response.status_code == 200
    assert "name_ja" in response.context["adminform"].form.errors
    assert not Author.objects.exists()


def test_story_list_shows_each_languages_translation_state(admin_client):
    ArticleFactory(without_en=True)
    html = admin_client.get(
        reverse("admin:articles_article_changelist")
    ).content.decode()
    cells = re.findall(r'class="translation-state translation-(\w+)"[^>]*>(\w+) ', html)
    assert cells == [("source", "ko"), ("up_to_date", "ja"), ("missing", "en")]


def inline_rows(prefix: str, rows: list[dict]) -> dict[str, str]:
    data = {**empty_inline(prefix), f"{prefix}-TOTAL_FORMS": str(len(rows))}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def story_with_inlines(category, author, related, source_url: str) -> dict:
    data = article_form_data(category, author)
    data.update(
        inline_rows(
            "sources",
            [
                {
                    "position": "0",
                    "role": "source",
                    "publisher": "Example Daily",
                    "title": "Typhoon track update",
                    "url": source_url,
                    "published_on": "2026-11-20",
                    "language": "en",
                }
            ],
        )
    )
    data.update(
        inline_rows("related_articles", [{"related": related.pk, "position": "0"}])
    )
    data.update(
        inline_rows(
            "external_links",
            [
                {
                    "position": "0",
                    "url": "https://www.example.org/typhoon",
                    "label_ko": "기상청 태풍 정보",
                    "label_ja": "気象庁の台風情報",
                    "label_en": "",
                    "language": "ko",
                }
            ],
        )
    )
    return data


def test_a_story_is_saved_with_its_sources_related_stories_and_links(admin_client):
    related = ArticleFactory()
    data = story_with_inlines(
        CategoryFactory(), AuthorFactory(), related, "https://www.example.org/t"
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.exclude(pk=related.pk).get()
    assert [s.publisher for s in article.sources.all()] == ["Example Daily"]
    assert [r.related for r in article.related_articles.all()] == [related]
    assert article.external_links.get().label_ja == "気象庁の台風情報"


def test_one_bad_inline_saves_nothing_and_names_the_problem(admin_client):
    related = ArticleFactory()
    data = story_with_inlines(
        CategoryFactory(), AuthorFactory(), related, "javascript:alert(1)"
    )
    response = admin_client.post(
        reverse("admin:articles_article_add"), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Enter a web address that starts with http:// or https://." in (
        response.content.decode()
    )
    assert Article.objects.count() == 1


def test_story_list_runs_the_same_queries_for_5_and_50_stories(admin_client):
    url = reverse("admin:articles_article_changelist")
    ArticleFactory.create_batch(5, authors=[AuthorFactory(), AuthorFactory()])
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    ArticleFactory.create_batch(45, authors=[AuthorFactory(), AuthorFactory()])
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 50
    assert len(many.captured_queries) == len(few.captured_queries)


def test_story_list_shows_bylines_and_filters_missing_languages(admin_client):
    author = AuthorFactory(name_ko="김하늘")
    complete = ArticleFactory(authors=[author], headline_ko="세 언어 모두 있는 기사")
    no_japanese = ArticleFactory(without_ja=True, headline_ko="일본어판이 없는 기사")
    url = reverse("admin:articles_article_changelist")
    html = admin_client.get(url).content.decode()
    assert "김하늘" in html
    missing = admin_client.get(f"{url}?missing=ja").context["cl"].result_list
    assert list(missing) == [no_japanese]
    by_author = admin_client.get(f"{url}?authors__id__exact={author.pk}")
    assert list(by_author.context["cl"].result_list) == [complete]


def test_sections_and_authors_are_named_in_the_editors_language(admin_client):
    author = AuthorFactory(
        name_ko="박준호", name_ja="パク・ジュンホ", name_en="Park Jun-ho"
    )
    ArticleFactory(
        authors=[author],
        category=CategoryFactory(name_ko="사회", name_ja="社会", name_en="Society"),
    )
    url = reverse("admin:articles_article_changelist")
    japanese = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "社会" in japanese and "パク・ジュンホ" in japanese
    assert "사회" not in japanese and "박준호" not in japanese


@pytest.mark.parametrize("number", ["9999999999999999999999", "0", "-1", "x"])
def test_the_desks_story_list_survives_a_bad_page_number(
    admin_client, monkeypatch, number
):
    from articles.admin import ArticleAdmin

    # More stories than a page holds, so that the page number is looked up.
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    ArticleFactory.create_batch(3)
    assert admin_client.get("/admin/articles/article/", {"p": "2"}).status_code == 200
    response = admin_client.get("/admin/articles/article/", {"p": number})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"].endswith("?e=1")


def story_with_related(count: int) -> tuple[Article, str]:
    """Return a story with `count` related stories, and its change form's address."""
    from related.models import RelatedArticle

    story = ArticleFactory()
    RelatedArticle.objects.bulk_create(
        RelatedArticle(article=story, related=other, position=position)
        for position, other in enumerate(ArticleFactory.create_batch(count))
    )
    return story, reverse("admin:articles_article_change", args=[story.pk])


def queries_of(call) -> int:
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(db) as queries:
        call()
    return len(queries.captured_queries)


def test_the_story_form_reads_its_related_stories_in_a_fixed_number_of_queries(
    admin_client,
):
    def form_queries(count: int) -> int:
        _story, url = story_with_related(count)
        return queries_of(lambda: admin_client.get(url))

    # Each row's autocomplete box names the story the row read with it
    # (related.admin.LoadedChoiceAutocomplete), not one query each.
    assert form_queries(20) == form_queries(1)


def test_saving_a_story_costs_the_same_queries_with_1_or_20_related_stories(
    admin_client,
):
    from core.tests.formdata import form_data

    def save_queries(count: int) -> int:
        story, url = story_with_related(count)
        data = form_data(admin_client.get(url).content.decode(), "article_form")
        data["headline_ko"] = ["고친 제목"]
        data["_continue"] = ["1"]
        answers = []
        queries = queries_of(lambda: answers.append(admin_client.post(url, data)))
        assert answers[0].status_code == 302
        story.refresh_from_db()
        assert story.headline_ko == "고친 제목"
        assert story.related_articles.count() == count
        return queries

    assert save_queries(20) == save_queries(1)


def test_a_story_listed_twice_as_related_is_a_form_error(admin_client):
    from core.tests.formdata import form_data
    from related.models import RelatedArticle

    story, other = ArticleFactory(), ArticleFactory()
    RelatedArticle.objects.create(article=story, related=other, position=0)
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(admin_client.get(url).content.decode(), "article_form")
    data["related_articles-TOTAL_FORMS"] = ["2"]
    data["related_articles-1-related"] = [str(other.pk)]
    data["related_articles-1-position"] = ["1"]
    data["related_articles-1-article"] = [str(story.pk)]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "이미 관련 기사로 등록된 기사입니다." in response.content.decode()
    assert story.related_articles.count() == 1


def test_the_story_form_words_its_picture_per_language_next_to_it(admin_client):
    story = ArticleFactory(feature_image=ImageFactory())
    url = reverse("admin:articles_article_change", args=[story.pk])
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = admin_client.get(url).content.decode()
    fieldset = html[html.index("field-feature_image") :]
    for field in ("alt", "caption", "credit"):
        for code in ("ko", "ja", "en"):
            # Each language's input, in that language's tab (modeltranslation).
            name, tab = f"feature_image_{field}_{code}", f"{field}-{code}"
            assert re.search(
                rf'name="{name}"[^>]*class="[^"]*mt-field-feature_image_{tab}[ "]',
                fieldset,
            ), name
    assert "Empty: the library's caption is used." in fieldset
