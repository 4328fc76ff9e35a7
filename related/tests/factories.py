import factory

from articles.tests.factories import ArticleFactory
from related.models import ExternalLink, RelatedArticle, Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n)
    publisher = "연합뉴스"
    title = factory.Sequence(lambda n: f"부산항 물동량 통계 {n}")
    url = factory.Sequence(lambda n: f"https://news.example/ko/{n}")
    language = "ko"


class RelatedArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedArticle

    article = factory.SubFactory(ArticleFactory)
    related = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n)


class ExternalLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalLink

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n)
    url = factory.Sequence(lambda n: f"https://port.example/stats/{n}")
    label_ko = "부산항만공사 통계"
    label_ja = "釜山港湾公社の統計"
    label_en = "Busan Port Authority statistics"
    language = "ko"
