from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from articles.models import Article, Author, Category, Correction
from articles.tests.factories import ArticleFactory, SeriesFactory
from images.tests.factories import ImageFactory
from reader.tests.language_check import foreign_text
from related.models import RelatedArticle, Source
from tags.models import Tag

pytestmark = pytest.mark.django_db


def demo_pages(language: str) -> list[str]:
    with translation.override(language):
        pages = [reverse("reader:home")]
        pages += [a.get_absolute_url() for a in Article.objects.live(language)]
        pages += [
            reverse("reader:section", kwargs={"slug": c.slug})
            for c in Category.objects.all()
        ]
        pages += [a.get_absolute_url() for a in Author.objects.all()]
        # A tag has a page where a story live in that language carries it.
        live_tags = Article.objects.live(language).values("tagged_items__tag")
        pages += [
            reverse("reader:tag", kwargs={"slug": t.slug})
            for t in Tag.objects.filter(pk__in=live_tags)
            if t.name_in(language)
        ]
    return pages


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_every_demo_page_speaks_only_its_own_language(client, tmp_path, language):
    call_command("load_demo", login_file=str(tmp_path / "login"), stdout=StringIO())
    for url in demo_pages(language):
        response = client.get(url)
        assert response.status_code == 200, url
        assert foreign_text(response.content.decode(), language) == [], url


def test_a_story_page_shows_every_part_of_the_story(client):
    series = SeriesFactory()
    older = ArticleFactory(series=series, headline_ja="連載の前の記事")
    article = ArticleFactory(
        series=series,
        feature_image=ImageFactory(is_ai_generated=True, caption_ja="港の絵"),
        key_points_ja="要点その一\n要点その二",
        ai_use=Article.AIUse.ASSISTED,
        is_breaking=True,
    )
    article.tags.add(Tag.objects.create(name_ko="항만", name_ja="港湾"))
    article.tags.add(Tag.objects.create(name_ko="한국어만"))
    Source.objects.create(
        article=article,
        publisher="연합뉴스",
        title="부산항 물동량 통계",
        url="https://www.example.org/stats",
        language="ko",
    )
    Source.objects.create(
        article=article,
        role=Source.Role.IMAGE_SOURCE,
        publisher="Example Photo",
        url="https://www.example.org/photo",
    )
    Correction.objects.create(article=article, text_ja="数値を訂正した。")
    Correction.objects.create(article=article, text_ko="한국어 정정만 있음")
    no_japanese = ArticleFactory(without_ja=True)
    RelatedArticle.objects.create(article=article, related=older, position=0)
    RelatedArticle.objects.create(article=article, related=no_japanese, position=1)

    html = client.get(article.get_absolute_url("ja")).content.decode()
    for text in (
        "速報",
        "AI生成画像",
        "港の絵",
        "要点その一",
        "数値を訂正した。",
        "#港湾",
        'lang="ko">연합뉴스</span>',
        "Example Photo",
        "連載の前の記事",
        "https://social-plugins.line.me/lineit/share?",
        'rel="prev"',
    ):
        assert text in html, text
    assert "한국어만" not in html
    assert "한국어 정정만 있음" not in html
    assert no_japanese.headline_ko not in html
    assert foreign_text(html, "ja") == []
