import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from articles.tests.factories import ArticleFactory
from related.models import ExternalLink, RelatedArticle, Source
from related.tests.factories import (
    ExternalLinkFactory,
    RelatedArticleFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

MARKUP = [
    ("<script>alert(1)</script>연합뉴스", "연합뉴스"),
    ("<b onclick=x>共同通信</b>", "共同通信"),
    ("&lt;script&gt;x&lt;/script&gt;Reuters", "Reuters"),
]


def test_sources_and_links_are_listed_by_position():
    article = ArticleFactory()
    late = SourceFactory(article=article, position=2)
    early = SourceFactory(article=article, position=1)
    second = ExternalLinkFactory(article=article, position=5)
    first = ExternalLinkFactory(article=article, position=0)
    other = ArticleFactory()
    after = RelatedArticleFactory(article=article, related=other, position=3)
    before = RelatedArticleFactory(article=article, position=0)

    assert list(article.sources.all()) == [early, late]
    assert list(article.external_links.all()) == [first, second]
    assert list(article.related_articles.all()) == [before, after]


@pytest.mark.parametrize("factory", [SourceFactory, ExternalLinkFactory])
@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example/report.pdf",
    ],
)
def test_only_web_addresses_are_accepted(factory, url):
    item = factory.build(article=ArticleFactory(), url=url)
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            item.full_clean()
        assert caught.value.message_dict["url"] == [
            "Enter a web address that starts with http:// or https://."
        ]


@pytest.mark.parametrize("factory", [SourceFactory, ExternalLinkFactory])
def test_an_https_address_is_accepted(factory):
    item = factory.build(
        article=ArticleFactory(), url="https://www.busanpa.com/kor/Contents.do"
    )
    item.full_clean()


@pytest.mark.parametrize(("payload", "text"), MARKUP)
def test_markup_is_stripped_from_source_publisher_and_title(payload, text):
    source = SourceFactory(publisher=payload, title=payload)
    source.refresh_from_db()
    assert source.publisher == text
    assert source.title == text


@pytest.mark.parametrize(("payload", "text"), MARKUP)
def test_markup_is_stripped_from_every_link_label(payload, text):
    link = ExternalLinkFactory(label_ko=payload, label_ja=payload, label_en=payload)
    link.refresh_from_db()
    assert (link.label_ko, link.label_ja, link.label_en) == (text, text, text)


def test_a_story_cannot_be_related_to_itself():
    article = ArticleFactory()
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            RelatedArticle(article=article, related=article).full_clean()
        assert caught.value.message_dict == {
            "related": ["A story cannot be related to itself."]
        }


def test_the_database_refuses_a_story_related_to_itself():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedArticle.objects.create(article=article, related=article)


def test_a_story_is_related_only_once():
    link = RelatedArticleFactory()
    duplicate = RelatedArticle(article=link.article, related=link.related)
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            duplicate.full_clean()
        assert caught.value.messages == ["This story is already listed as related."]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_links_for_a_language_need_a_label_in_it():
    labelled = ExternalLinkFactory()
    ExternalLinkFactory(label_ja="")
    ExternalLinkFactory(label_ja=None)
    assert list(ExternalLink.objects.for_language("ja")) == [labelled]
    assert ExternalLink.objects.for_language("ko").count() == 3


def test_deleting_a_story_deletes_its_sources_and_links():
    article = ArticleFactory()
    SourceFactory(article=article)
    ExternalLinkFactory(article=article)
    RelatedArticleFactory(article=article)
    kept = SourceFactory()

    article.delete()

    assert list(Source.objects.all()) == [kept]
    assert not ExternalLink.objects.exists()
    assert not RelatedArticle.objects.exists()


def test_a_story_listed_as_related_elsewhere_can_be_deleted():
    link = RelatedArticleFactory()
    link.related.delete()
    assert not RelatedArticle.objects.filter(article=link.article).exists()
