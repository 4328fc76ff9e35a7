"""A story body's pictures and galleries as readers get them (reader/body.py)."""

import re

import pytest
from django.utils import translation

from articles.tests.factories import ArticleFactory
from core.richtext import sanitize_html
from images.models import Image
from images.tests.factories import ImageFactory, RenditionFactory
from reader.body import render_body

pytestmark = pytest.mark.django_db


def figure(image: Image, caption: str = "", credit: str = "", **attributes) -> str:
    names = "".join(f' data-{name}="{value}"' for name, value in attributes.items())
    words = caption + (f"<small>{credit}</small>" if credit else "")
    inside = f"<figcaption>{words}</figcaption>" if words else ""
    return f'<figure data-image="{image.pk}"{names}>{inside}</figure>'


def body_with(*parts: str) -> str:
    """Return a body as saving stores it: through the sanitiser."""
    return sanitize_html("<p>본문 첫 문단.</p>" + "".join(parts))


def test_a_figure_is_a_picture_with_its_size_lazy_and_the_uses_words():
    image = ImageFactory(width=1200, height=800)
    RenditionFactory(image=image)
    body = body_with(
        figure(
            image, "방파제 위의 등대", "뉴스룸 사진부", alt="붉은 등대", size="inset"
        )
    )
    with translation.override("ko"):
        html = render_body(body, "ko")
    assert '<figure class="story-figure story-figure--inset">' in html
    assert 'alt="붉은 등대"' in html
    assert 'loading="lazy"' in html
    assert re.search(r'width="\d+" height="\d+"', html)
    assert (
        '<figcaption>방파제 위의 등대<span class="credit">뉴스룸 사진부</span>' in html
    )
    assert "data-image" not in html


def test_empty_words_of_a_use_are_the_librarys_words_in_the_pages_language():
    image = ImageFactory(caption_ko="항구의 아침", caption_ja="港の朝", caption_en="")
    body = body_with(figure(image))
    assert "항구의 아침" in render_body(body, "ko")
    assert "港の朝" in render_body(body, "ja")
    english = render_body(body, "en")
    # No other language's caption on an English page, and the English alt text.
    assert "港の朝" not in english and "항구의 아침" not in english
    assert 'alt="Containers stacked on a Busan pier"' in english


def test_a_figure_of_a_deleted_picture_is_left_out():
    image = ImageFactory()
    body = body_with(figure(image, "사라진 사진"))
    image.delete()
    html = render_body(body, "ko")
    assert "<figure" not in html and "<img" not in html
    assert "사라진 사진" not in html
    assert "본문 첫 문단." in html


def test_a_gallery_lists_its_pictures_in_order_named_for_screen_readers():
    first, second = ImageFactory(), ImageFactory()
    body = body_with(
        '<div data-gallery="">',
        figure(second, "두 번째가 먼저"),
        figure(first, "첫 번째가 나중"),
        "</div>",
    )
    with translation.override("ko"):
        html = render_body(body, "ko")
    assert html.count('<figure class="story-gallery__item">') == 2
    assert html.index("두 번째가 먼저") < html.index("첫 번째가 나중")
    assert 'aria-label="갤러리, 사진 2장"' in html
    assert 'tabindex="0"' in html


def test_words_are_escaped_however_they_were_written():
    image = ImageFactory()
    body = body_with(
        figure(image, "&lt;script&gt;alert(1)&lt;/script&gt;", alt='"><b onclick=x>')
    )
    html = render_body(body, "ko")
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("count", [1, 6])
def test_pictures_cost_two_queries_however_many(django_assert_num_queries, count):
    images = ImageFactory.create_batch(count)
    body = body_with(*(figure(image, f"사진 {n}") for n, image in enumerate(images)))
    with django_assert_num_queries(2):
        html = render_body(body, "ko")
    assert html.count("<picture>") + html.count("<img") >= count


def test_a_body_without_pictures_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert render_body("<p>글만 있다.</p>", "ko") == "<p>글만 있다.</p>"


def test_the_same_picture_carries_each_storys_own_caption_on_its_page(client):
    image = ImageFactory(caption_ko="도서관 기본 설명")
    beach = ArticleFactory(body_ko=body_with(figure(image, "해변의 여름 풍경")))
    ferry = ArticleFactory(body_ko=body_with(figure(image, "여객선 터미널")))
    beach_page = client.get(beach.get_absolute_url("ko")).content.decode()
    ferry_page = client.get(ferry.get_absolute_url("ko")).content.decode()
    assert "해변의 여름 풍경" in beach_page and "여객선 터미널" not in beach_page
    assert "여객선 터미널" in ferry_page and "해변의 여름 풍경" not in ferry_page


def test_each_language_page_shows_its_own_caption_and_credit(client):
    image = ImageFactory()
    article = ArticleFactory(
        body_ko=body_with(figure(image, "등대와 갈매기", "김지우 기자")),
        body_ja="<p>本文。</p>" + figure(image, "灯台とカモメ", "山田花子記者"),
        body_en="<p>Body.</p>" + figure(image, "A lighthouse and gulls", "Kim Jiwoo"),
    )
    expected = {
        "ko": ("등대와 갈매기", "김지우 기자"),
        "ja": ("灯台とカモメ", "山田花子記者"),
        "en": ("A lighthouse and gulls", "Kim Jiwoo"),
    }
    for language, words in expected.items():
        page = client.get(article.get_absolute_url(language)).content.decode()
        for word in words:
            assert word in page, (language, word)
        for other, other_words in expected.items():
            if other != language:
                assert other_words[0] not in page
