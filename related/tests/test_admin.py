import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import path, reverse
from django.utils import translation

from articles.tests.factories import ArticleFactory, UserFactory
from related.admin import ExternalLinkInline, RelatedArticleInline, SourceInline
from related.models import Source
from related.tests.factories import (
    ExternalLinkFactory,
    RelatedArticleFactory,
    SourceFactory,
)

Article = apps.get_model("articles", "Article")


class StoryAdmin(admin.ModelAdmin):
    inlines = [SourceInline, RelatedArticleInline, ExternalLinkInline]
    search_fields = ["headline_ko"]


# A throwaway site, so these tests do not depend on how ArticleAdmin is built.
site = admin.AdminSite(name="related_test")
site.register(Article, StoryAdmin)
urlpatterns = [path("related-admin/", site.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def desk():
    return UserFactory(username="desk", superuser=True)


@pytest.fixture
def request_(rf, desk):
    request = rf.get("/")
    request.user = desk
    return request


def formset_for(inline_class, request, article, data=None):
    inline = next(
        inline
        for inline in site.get_model_admin(Article).get_inline_instances(
            request, article
        )
        if isinstance(inline, inline_class)
    )
    return inline.get_formset(request, article)(data, instance=article)


def management_data(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_the_inlines_pass_the_admin_checks():
    assert site.check(None) == []


def test_story_change_page_shows_sources_related_stories_and_links(client, desk):
    article = ArticleFactory()
    SourceFactory(article=article, publisher="연합뉴스")
    RelatedArticleFactory(article=article)
    ExternalLinkFactory(article=article, label_ja="釜山港湾公社")
    client.force_login(desk)

    response = client.get(
        reverse("related_test:articles_article_change", args=[article.pk])
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="sources-0-publisher" value="연합뉴스"' in page
    assert 'name="related_articles-0-related"' in page
    assert "/related-admin/autocomplete/" in page
    assert 'name="external_links-0-label_ja" value="釜山港湾公社"' in page


def test_link_labels_get_a_column_per_language(request_):
    link = ExternalLinkFactory()
    form = str(formset_for(ExternalLinkInline, request_, link.article).forms[0])
    for code in ("ko", "ja", "en"):
        assert f'name="external_links-0-label_{code}"' in form
    assert 'name="external_links-0-label"' not in form


def test_source_form_refuses_a_script_address_with_a_clear_error(request_):
    article = ArticleFactory()
    data = {
        **management_data("sources", 1),
        "sources-0-position": "0",
        "sources-0-role": Source.Role.SOURCE,
        "sources-0-publisher": "연합뉴스",
        "sources-0-url": "javascript:alert(1)",
    }
    with translation.override("en"):
        formset = formset_for(SourceInline, request_, article, data)
        assert not formset.is_valid()
        assert formset.errors[0] == {
            "url": ["Enter a web address that starts with http:// or https://."]
        }


def test_source_form_saves_plain_text(request_):
    article = ArticleFactory()
    data = {
        **management_data("sources", 1),
        "sources-0-position": "0",
        "sources-0-role": Source.Role.IMAGE_SOURCE,
        "sources-0-publisher": "<b onclick=x>共同通信</b>",
        "sources-0-url": "https://kyodonews.example/photo/1",
        "sources-0-language": "ja",
    }
    formset = formset_for(SourceInline, request_, article, data)
    assert formset.is_valid(), formset.errors
    formset.save()
    source = article.sources.get()
    assert (source.publisher, source.role) == ("共同通信", Source.Role.IMAGE_SOURCE)


def test_related_story_form_refuses_the_story_itself(request_):
    article = ArticleFactory()
    data = {
        **management_data("related_articles", 1),
        "related_articles-0-related": str(article.pk),
        "related_articles-0-position": "0",
    }
    with translation.override("en"):
        formset = formset_for(RelatedArticleInline, request_, article, data)
        assert not formset.is_valid()
        assert formset.errors[0] == {
            "related": ["A story cannot be related to itself."]
        }
