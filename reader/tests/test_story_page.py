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


def feature_figure(html: str) -> str:
    """Return the story's feature-image figure, and nothing else of the page."""
    start = html.index('<figure class="feature-image">')
    return html[start : html.index("</figure>", start)]


@pytest.fixture
def shared_picture():
    """A library picture with its own words in every language."""
    return ImageFactory(
        alt_text_ko="부두의 컨테이너",
        alt_text_ja="埠頭のコンテナ",
        alt_text_en="Containers on the pier",
        caption_ko="도서관 설명",
        caption_ja="ライブラリの説明",
        credit_ko="뉴스룸 사진부",
        credit_ja="ニュースルーム写真部",
        credit_en="Newsroom photo desk",
    )


def test_two_stories_show_one_picture_each_with_its_own_words(client, shared_picture):
    first = ArticleFactory(
        feature_image=shared_picture,
        feature_image_caption_ko="파업 첫날의 부두",
        feature_image_caption_ja="ストライキ初日の埠頭",
        feature_image_credit_ko="김하늘 기자",
        feature_image_credit_ja="キム・ハヌル記者",
        feature_image_alt_ja="人のいない埠頭",
    )
    second = ArticleFactory(
        feature_image=shared_picture,
        feature_image_caption_ko="물동량이 늘어난 부두",
        feature_image_caption_ja="貨物量が増えた埠頭",
    )
    pages = {
        (story.pk, language): feature_figure(
            client.get(story.get_absolute_url(language)).content.decode()
        )
        for story in (first, second)
        for language in ("ko", "ja")
    }

    assert "파업 첫날의 부두" in pages[first.pk, "ko"]
    assert '<span class="credit">김하늘 기자</span>' in pages[first.pk, "ko"]
    assert "ストライキ初日の埠頭" in pages[first.pk, "ja"]
    assert '<span class="credit">キム・ハヌル記者</span>' in pages[first.pk, "ja"]
    assert 'alt="人のいない埠頭"' in pages[first.pk, "ja"]
    # Its Korean alt text is the library's: the story wrote none.
    assert 'alt="부두의 컨테이너"' in pages[first.pk, "ko"]
    assert "貨物量が増えた埠頭" in pages[second.pk, "ja"]
    # The second story words only the caption: the credit is the library's.
    assert '<span class="credit">ニュースルーム写真部</span>' in pages[second.pk, "ja"]
    assert '<span class="credit">뉴스룸 사진부</span>' in pages[second.pk, "ko"]
    for (story_pk, language), figure in pages.items():
        other = second if story_pk == first.pk else first
        assert other.feature_word("caption", language) not in figure
        assert "ライブラリの説明" not in figure and "도서관 설명" not in figure


def test_a_story_that_words_nothing_shows_the_librarys_words_in_the_pages_language(
    client, shared_picture
):
    story = ArticleFactory(feature_image=shared_picture)
    figures = {
        language: feature_figure(
            client.get(story.get_absolute_url(language)).content.decode()
        )
        for language in ("ko", "ja", "en")
    }
    assert "도서관 설명" in figures["ko"]
    assert '<span class="credit">뉴스룸 사진부</span>' in figures["ko"]
    assert 'alt="부두의 컨테이너"' in figures["ko"]
    assert "ライブラリの説明" in figures["ja"]
    assert '<span class="credit">ニュースルーム写真部</span>' in figures["ja"]
    assert 'alt="埠頭のコンテナ"' in figures["ja"]
    # No English caption anywhere: none shown, and never another language's.
    assert '<span class="credit">Newsroom photo desk</span>' in figures["en"]
    assert (
        "도서관 설명" not in figures["en"] and "ライブラリの説明" not in figures["en"]
    )
    assert 'alt="Containers on the pier"' in figures["en"]


def test_the_top_story_card_carries_its_own_alt_text(client, shared_picture):
    ArticleFactory(
        feature_image=shared_picture,
        placement=Article.Placement.TOP,
        feature_image_alt_ja="ストライキで止まった埠頭",
    )
    with translation.override("ja"):
        html = client.get(reverse("reader:home")).content.decode()
    top = html[html.index('class="top-story"') :]
    top = top[: top.index("</article>")]
    assert 'alt="ストライキで止まった埠頭"' in top
