"""Every app's text is stored NFC, through its models, the desk's forms and search.

The wiring's view of core.normalise: the receiver and the middleware reach
every model and form of every app, with no line of their own.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import Article, Correction
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    SeriesFactory,
)
from articles.tests.test_admin import article_form_data
from core.slugs import make_slug
from core.tests.test_normalise import nfd
from images.tests.factories import ImageFactory
from related.tests.factories import ExternalLinkFactory, SourceFactory
from search import index, queries, tokens
from tags.models import Tag
from tags.tests.factories import TagFactory
from translations.models import FieldTranslation
from translations.tests.factories import GlossaryTermFactory

pytestmark = pytest.mark.django_db

HEADLINE = "서울 지하철 심야 운행"
BODY = "<p>서울시는 금요일 막차를 새벽 1시로 늦춘다. がぎぐ パピプ Café</p>"


def test_a_story_typed_decomposed_is_stored_composed():
    article = ArticleFactory(
        headline_ko=nfd(HEADLINE),
        dek_ko=nfd("막차가 늦춰진다."),
        key_points_ko=nfd("금요일\n새벽 1시"),
        body_ko=nfd(BODY),
    )
    article.refresh_from_db()
    assert (article.headline_ko, article.dek_ko, article.key_points_ko) == (
        HEADLINE,
        "막차가 늦춰진다.",
        "금요일\n새벽 1시",
    )
    assert article.body_ko == BODY
    assert article.slug_ko == make_slug(HEADLINE) == "서울-지하철-심야-운행"


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (CategoryFactory, "name_ko"),
        (AuthorFactory, "name_ko"),
        (SeriesFactory, "title_ko"),
        (ImageFactory, "alt_text_ko"),
        (ImageFactory, "caption_ko"),
        (ImageFactory, "credit"),
        (SourceFactory, "publisher"),
        (SourceFactory, "title"),
        (ExternalLinkFactory, "label_ko"),
        (GlossaryTermFactory, "name_ko"),
        (TagFactory, "name_ko"),
    ],
)
def test_text_fields_of_every_app_are_stored_composed(factory, field):
    saved = factory(**{field: nfd("한빛시 항만공사")})
    saved.refresh_from_db()
    assert getattr(saved, field) == "한빛시 항만공사"


def test_plain_text_columns_and_parts_are_stored_composed_too():
    article = ArticleFactory()
    correction = Correction.objects.create(article=article, text_ko=nfd("정정합니다"))
    source = FieldTranslation.objects.filter(state__article=article).first()
    source.source_text = nfd("원문")
    source.save()
    correction.refresh_from_db()
    source.refresh_from_db()
    assert (correction.text_ko, source.source_text) == ("정정합니다", "원문")


# --- forms see what will be stored ------------------------------------------------


def test_a_story_typed_decomposed_in_the_desk_is_stored_composed(desk):
    chips = TagFactory(name_ko="반도체", name_ja="", name_en="")
    category, author = CategoryFactory(), AuthorFactory()
    data = article_form_data(
        category,
        author,
        headline_ko=nfd(HEADLINE),
        body_ko=nfd(BODY),
        tags=nfd("반도체, 지하철"),
    )
    response = desk.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert (article.headline_ko, article.body_ko) == (HEADLINE, BODY)
    assert article.slug_ko == "서울-지하철-심야-운행"
    subway = Tag.objects.get(key_ko="지하철")
    assert subway.name_ko == "지하철"
    assert list(article.tags.all()) == [chips, subway]


def test_a_headline_at_its_limit_typed_decomposed_fits(desk):
    headline = "한" * 200
    data = article_form_data(
        CategoryFactory(), AuthorFactory(), headline_ko=nfd(headline)
    )
    response = desk.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().headline_ko == headline


def test_a_decomposed_slug_another_story_has_composed_is_a_form_error(desk):
    ArticleFactory(slug_ko="서울-지하철")
    data = article_form_data(
        CategoryFactory(), AuthorFactory(), slug_ko=nfd("서울-지하철")
    )
    with translation.override("en"):
        response = desk.post(
            reverse("admin:articles_article_add"), data, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    assert "slug_ko" in response.context["adminform"].form.errors
    assert Article.objects.count() == 1


# --- search -----------------------------------------------------------------------


def test_search_finds_and_marks_decomposed_text_with_a_composed_query(client):
    article = ArticleFactory(headline_ko=nfd(HEADLINE), body_ko=nfd(BODY))
    index.search_index_stories([article.pk])
    assert queries.search_live(tokens.parse_query("서울"), language="ko")[0] == [
        article.pk
    ]
    assert queries.search_live(tokens.parse_query(nfd("지하철")), language="ko")[0] == [
        article.pk
    ]
    with translation.override("ko"):
        url = reverse("search:search")
    html = client.get(url, {"q": "서울"}).content.decode()
    assert "<mark>서울</mark> 지하철 심야 운행" in html
    assert "<mark>서울</mark>시는 금요일" in html
