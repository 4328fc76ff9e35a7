import pytest
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    UserFactory,
)
from articles.tests.test_admin import article_form_data
from core.tests.formdata import form_data
from tags.models import Tag
from tags.tests.factories import TagFactory

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "admin:tags_tag_autocomplete_names"


def story_change_data(article, **overrides):
    """The story form as it stands, with `overrides` typed in."""
    data = article_form_data(
        article.category,
        AuthorFactory(),
        headline_en=article.headline_en,
        body_en=article.body_en,
        slug_ko=article.slug_ko,
        slug_ja=article.slug_ja,
        slug_en=article.slug_en,
        published_at_0="2026-11-01",
        published_at_1="09:00:00",
        **overrides,
    )
    data.update({"bylines-TOTAL_FORMS": "0", "loaded_version": article.version})
    return data


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_story_page_loads_in_every_language_with_a_korean_only_tag(desk, language):
    article = ArticleFactory()
    article.tags.add(TagFactory(name_ko="일본", name_ja="", name_en=None))
    url = reverse("admin:articles_article_change", args=[article.pk])

    response = desk.get(url, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="tags" value="일본"' in html
    assert "/static/tags/tag_autocomplete.js" in html
    assert f'data-tag-autocomplete="{reverse(AUTOCOMPLETE)}"' in html


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_story_page_saves_what_it_shows_in_every_language(desk, language):
    article = ArticleFactory()
    korean_only = TagFactory(name_ko="일본", name_ja="", name_en=None)
    article.tags.add(korean_only, TagFactory())
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = desk.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    response = desk.post(
        url, form_data(page, "article_form"), HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert article.tags.count() == 2
    assert korean_only in article.tags.all()
    assert Tag.objects.count() == 2


def test_names_in_any_language_and_width_give_one_tag_each(desk):
    japan = TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")
    data = article_form_data(
        CategoryFactory(), AuthorFactory(), tags="Japan、일본，반도체, ＪＡＰＡＮ"
    )

    response = desk.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.tags.count() == 2
    assert list(article.tags.all())[0] == japan
    assert Tag.objects.get(name_ko="반도체").name_in("ja") == ""


def test_an_overlong_tag_is_a_form_error_and_saves_nothing(desk):
    article = ArticleFactory(headline_ko="처음 제목")
    article.tags.add(TagFactory(name_ko="일본"))
    long_name = "반" * 101
    url = reverse("admin:articles_article_change", args=[article.pk])

    response = desk.post(
        url,
        story_change_data(article, headline_ko="바뀐 제목", tags=f"일본, {long_name}"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tags"] == [
        f"“{long_name}” is longer than 100 characters."
    ]
    article.refresh_from_db()
    assert article.headline_ko == "처음 제목"
    assert [tag.name_ko for tag in article.tags.all()] == ["일본"]
    assert Tag.objects.count() == 1


def test_markup_in_a_typed_tag_is_stripped(desk):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])

    response = desk.post(
        url,
        story_change_data(article, tags="<b onclick=x>반도체</b>, <i>日本</i>"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [tag.display_name("ko") for tag in article.tags.all()] == [
        "반도체",
        "日本",
    ]


def test_emptying_the_field_untags_the_story(desk):
    article = ArticleFactory()
    article.tags.add(TagFactory())
    url = reverse("admin:articles_article_change", args=[article.pk])

    response = desk.post(url, story_change_data(article, tags=""))

    assert response.status_code == 302
    assert not article.tags.exists()
    assert Tag.objects.count() == 1


def test_suggestions_find_a_tag_by_its_japanese_name(desk):
    chips = TagFactory(name_ko="반도체", name_ja="半導体", name_en="")
    TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")

    response = desk.get(
        reverse(AUTOCOMPLETE), {"term": "導体"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "name": chips.display_name("en"),
                "names": {"ko": "반도체", "ja": "半導体", "en": ""},
            }
        ]
    }


def test_suggestions_ignore_width_and_case_and_speak_the_editors_language(desk):
    TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")
    url = reverse(AUTOCOMPLETE)

    response = desk.get(url, {"term": "ＪＡＰ"}, HTTP_ACCEPT_LANGUAGE="ja")

    assert [result["name"] for result in response.json()["results"]] == ["日本"]
    assert desk.get(url, {"term": " "}).json() == {"results": []}


def test_suggestions_are_limited_and_most_used_first(desk):
    tags = [TagFactory(name_en=f"Port {n}") for n in range(25)]
    ArticleFactory().tags.add(tags[24])

    results = desk.get(reverse(AUTOCOMPLETE), {"term": "port"}).json()["results"]

    assert len(results) == 20
    assert results[0]["names"]["en"] == "Port 24"


def test_suggestions_are_for_the_desk_only(client):
    TagFactory(name_ja="半導体")
    url = reverse(AUTOCOMPLETE)
    assert client.get(url, {"term": "半導体"}).status_code == 302
    client.force_login(UserFactory(username="reader", is_staff=False))
    assert client.get(url, {"term": "半導体"}).status_code == 302


def test_tag_list_shows_names_and_story_counts_in_a_fixed_number_of_queries(
    desk, django_assert_max_num_queries
):
    japan = TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")
    for _index in range(3):
        ArticleFactory().tags.add(japan, TagFactory())
    url = reverse("admin:tags_tag_changelist")
    desk.get(url)

    with django_assert_max_num_queries(8):
        response = desk.get(url)

    html = response.content.decode()
    assert "일본" in html
    assert "日本" in html
    assert '<td class="field-article_count">3</td>' in html


def test_adding_a_tag_with_another_tags_name_is_a_field_error(desk):
    TagFactory(name_ko="일본", name_ja="日本", name_en="Japan")

    response = desk.post(
        reverse("admin:tags_tag_add"),
        {
            "name_ko": "재팬",
            "name_ja": "",
            "name_en": "ＪＡＰＡＮ",
            "slug_ko": "",
            "slug_ja": "",
            "slug_en": "",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "name_en": ["“ＪＡＰＡＮ” is already the English name of the tag “Japan”."]
    }
    assert Tag.objects.count() == 1


def test_adding_a_tag_in_one_language(desk):
    response = desk.post(
        reverse("admin:tags_tag_add"),
        {
            "name_ko": "",
            "name_ja": " 半導体 ",
            "name_en": "",
            "slug_ko": "",
            "slug_ja": "",
            "slug_en": "",
        },
    )

    assert response.status_code == 302
    tag = Tag.objects.get()
    assert (tag.name_ja, tag.slug_ja, tag.key_ja) == ("半導体", "半導体", "半導体")
    assert not tag.slug_ko


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_tag_change_page_saves_what_it_shows(desk, language):
    tag = TagFactory(name_ko="일본", name_ja="", name_en=None)
    url = reverse("admin:tags_tag_change", args=[tag.pk])
    page = desk.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200

    response = desk.post(url, form_data(page.content.decode(), "tag_form"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    tag.refresh_from_db()
    assert (tag.name_ko, tag.slug_ko, tag.name_in("ja")) == ("일본", "일본", "")


# --- how many tags ------------------------------------------------------------------

SIX_NEW = "반도체, 서울, 부산, 항만, 태풍, 지하철"


def new_story(client, **overrides):
    data = article_form_data(
        CategoryFactory(), AuthorFactory(), status="draft", **overrides
    )
    return client.post(
        reverse("admin:articles_article_add"), data, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_a_reporter_creating_six_new_tags_is_refused_and_nothing_is_saved(client):
    client.force_login(UserFactory(username="reporter", role="reporter"))

    response = new_story(client, tags=SIX_NEW)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tags"] == [
        "At most 5 new tags may be created at a time; these 6 are new: 반도체, "
        "서울, 부산, 항만, 태풍, 지하철. Use existing tags, or ask an editor."
    ]
    assert not Article.objects.exists()
    assert not Tag.objects.exists()


def test_a_reporter_may_use_existing_tags_beyond_five_new(client):
    TagFactory(name_ko="일본", name_ja="", name_en="")
    client.force_login(UserFactory(username="reporter", role="reporter"))

    response = new_story(client, tags="일본, 반도체, 서울, 부산, 항만, 태풍")

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().tags.count() == 6


def test_an_editor_creating_six_new_tags_is_fine(client):
    client.force_login(UserFactory(username="editor", role="editor"))

    response = new_story(client, tags=SIX_NEW)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.get().tags.count() == 6
    assert Tag.objects.count() == 6


def test_twenty_one_tags_are_refused_even_for_an_editor(desk):
    article = ArticleFactory(headline_ko="처음 제목")
    article.tags.add(TagFactory(name_ko="일본"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    names = ", ".join(f"항만{n}" for n in range(21))

    data = story_change_data(article, headline_ko="바뀐 제목", tags=names)

    response = desk.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "tags": ["A story may have at most 20 tags; these would give it 21."]
    }
    article.refresh_from_db()
    assert article.headline_ko == "처음 제목"
    assert [tag.name_ko for tag in article.tags.all()] == ["일본"]
    assert Tag.objects.count() == 1
