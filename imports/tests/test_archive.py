"""What an archive says beyond its text: sources, related stories, AI labels."""

import io
from pathlib import Path

import pytest
from django.utils import translation
from PIL import Image as PillowImage

from articles.models import Article
from articles.tests.factories import CategoryFactory, UserFactory
from images.models import Image
from imports.services import jekyll_site_import
from imports.sites import SiteFiles
from related.models import RelatedArticle, Source

pytestmark = pytest.mark.django_db

CONFIG = "timezone: Asia/Seoul\nurl: https://blog.example.kr\npermalink: pretty\n"

FERRY = """---
title: 여객선 운항 재개
date: 2024-07-02 09:00:00 +0900
categories: [사회]
image:
  path: /assets/ferry.png
  alt: 부두에 선 여객선
  caption: 아침 부두의 여객선
  credit: 뉴스룸 사진부
  ai_generated: true
ai_use: assisted
lang: ko
---
<p>태풍이 지나가고 여객선이 다시 떴다.
 <a href="https://blog.example.kr/사회/2024/07/01/typhoon/">태풍 기사</a>와
 <a href="/사회/2024/07/03/port/">항만 기사</a>,
 <a href="https://other.example/x">다른 곳</a>.</p>
<figure><img src="/assets/deck.png" alt="갑판">
<figcaption>갑판의 승객들 AI에 의해 생성된 이미지</figcaption></figure>
<p><img src="/assets/rope.png" alt="밧줄"></p>
<p>AI에 의해 생성된 이미지</p>
<p>자세히 읽기 ⇒ 바다일보: 여객선 운항 소식 출처/이미지: https://sea.example.kr/news/1</p>
<p>이미지 출처: https://photos.example.org/ferry</p>
"""

TYPHOON = """---
title: 태풍 북상
date: 2024-07-01 09:00:00 +0900
categories: [사회]
lang: ko
---
<p>태풍이 올라온다. <a href="/사회/2024/07/02/ferry/">여객선 기사</a></p>
"""

PORT = """---
title: 항만 정상화
date: 2024-07-03 09:00:00 +0900
categories: [사회]
lang: ko
published: false
---
<p>항만이 다시 돌아간다.</p>
<p>Read more at Harbour Daily: cranes back at work Source: https://harbour.example.com/a</p>
"""


def picture(colour: str) -> bytes:
    out = io.BytesIO()
    PillowImage.new("RGB", (60, 40), colour).save(out, "PNG")
    return out.getvalue()


def make_site(root: Path) -> Path:
    posts = root / "_posts"
    posts.mkdir(parents=True)
    (posts / "2024-07-02-ferry.html").write_text(FERRY, encoding="utf-8")
    (posts / "2024-07-01-typhoon.html").write_text(TYPHOON, encoding="utf-8")
    (posts / "2024-07-03-port.html").write_text(PORT, encoding="utf-8")
    (root / "assets").mkdir()
    for name, colour in (("ferry", "navy"), ("deck", "teal"), ("rope", "olive")):
        (root / "assets" / f"{name}.png").write_bytes(picture(colour))
    (root / "_config.yml").write_text(CONFIG, encoding="utf-8")
    return root


@pytest.fixture
def imported(tmp_path):
    editor = UserFactory(username="ed", role="editor")
    society = CategoryFactory(name_ko="사회")
    site = make_site(tmp_path / "site")
    report = jekyll_site_import(
        files=SiteFiles.open(site),
        user=editor,
        sections={"사회": society},
        publish=True,
    )
    return site, editor, society, report


def story(headline: str) -> Article:
    return Article.objects.get(headline_ko=headline)


def test_citation_paragraphs_become_the_story_s_sources(imported):
    ferry = story("여객선 운항 재개")
    sources = list(ferry.sources.values_list("role", "publisher", "title", "url"))
    assert sources == [
        ("source", "바다일보", "여객선 운항 소식", "https://sea.example.kr/news/1"),
        (
            "image_source",
            "photos.example.org",
            "",
            "https://photos.example.org/ferry",
        ),
    ]
    assert ferry.sources.first().language == "ko"
    assert "자세히 읽기" not in ferry.body_ko
    assert "출처" not in ferry.body_ko
    port = story("항만 정상화")
    assert list(port.sources.values_list("publisher", "title")) == [
        ("Harbour Daily", "cranes back at work")
    ]


def test_links_to_other_posts_become_related_stories_whichever_came_first(imported):
    ferry, typhoon, port = (
        story("여객선 운항 재개"),
        story("태풍 북상"),
        story("항만 정상화"),
    )
    related = RelatedArticle.objects.filter(article=ferry).order_by("position")
    # The typhoon's post was imported before the ferry's, the port's after.
    assert [row.related for row in related] == [typhoon, port]
    assert [row.related for row in RelatedArticle.objects.filter(article=typhoon)] == [
        ferry
    ]
    assert not RelatedArticle.objects.filter(article=port).exists()


def test_ai_labels_flag_the_pictures_and_the_disclosure(imported):
    ferry = story("여객선 운항 재개")
    assert ferry.ai_use == Article.AIUse.ASSISTED
    assert ferry.feature_image.is_ai_generated
    assert ferry.feature_image_caption_ko == "아침 부두의 여객선"
    assert ferry.feature_image_credit_ko == "뉴스룸 사진부"
    deck = Image.objects.get(alt_text="갑판")
    rope = Image.objects.get(alt_text="밧줄")
    assert deck.is_ai_generated and rope.is_ai_generated
    # The caption is the story's, without the label: readers see the
    # site's own label, in their language.
    assert f'data-image="{deck.pk}"' in ferry.body_ko
    assert "<figcaption>갑판의 승객들</figcaption>" in ferry.body_ko
    assert "AI에 의해" not in ferry.body_ko
    assert story("태풍 북상").ai_use == Article.AIUse.NONE


def test_a_post_the_source_held_unpublished_stays_a_draft(imported):
    assert story("항만 정상화").status == Article.Status.DRAFT
    assert story("태풍 북상").status == Article.Status.PUBLISHED


def test_importing_again_adds_no_second_source_or_related_story(imported):
    site, editor, society, _report = imported
    ferry_file = site / "_posts" / "2024-07-02-ferry.html"
    ferry_file.write_text(FERRY.replace("다시 떴다", "다시 출항했다"), encoding="utf-8")
    report = jekyll_site_import(
        files=SiteFiles.open(site),
        user=editor,
        sections={"사회": society},
        publish=True,
    )
    assert sorted(post.outcome for post in report.posts) == [
        "unchanged",
        "unchanged",
        "updated",
    ]
    ferry = story("여객선 운항 재개")
    assert "다시 출항했다" in ferry.body_ko
    assert ferry.sources.count() == 2
    assert RelatedArticle.objects.filter(article=ferry).count() == 2
    assert Source.objects.count() == 3


def test_a_dry_run_relates_nothing(tmp_path):
    editor = UserFactory(username="ed", role="editor")
    site = make_site(tmp_path / "site")
    report = jekyll_site_import(
        files=SiteFiles.open(site),
        user=editor,
        sections={"사회": CategoryFactory(name_ko="사회")},
        dry_run=True,
    )
    assert [post.outcome for post in report.posts] == ["created"] * 3
    assert not Article.objects.exists()
    assert not RelatedArticle.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_published_imports_are_found_by_search_and_drafts_are_not(imported):
    from search import queries, tokens

    def found(words: str) -> list[int]:
        return queries.search_live(tokens.parse_query(words), language="ko")[0]

    assert found("운항") == [story("여객선 운항 재개").pk]
    assert found("북상") == [story("태풍 북상").pk]
    # The port's post was a draft in the archive: not for readers' search.
    assert found("정상화") == []


def test_imported_stories_have_their_translation_state(imported):
    from translations.models import TranslationState

    states = dict(
        TranslationState.objects.filter(article=story("여객선 운항 재개")).values_list(
            "language", "status"
        )
    )
    assert states == {"ko": "up_to_date", "ja": "missing", "en": "missing"}


def test_a_markdown_post_s_missing_picture_is_named_with_its_line(tmp_path):
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("timezone: Asia/Seoul\n", encoding="utf-8")
    (site / "_posts" / "2024-07-04-gulls.md").write_text(
        "---\ntitle: 갈매기\ndate: 2024-07-04\nlang: ko\n---\n"
        "부두의 갈매기.\n\n![갈매기](/assets/none.png)\n",
        encoding="utf-8",
    )
    with translation.override("en"):
        report = jekyll_site_import(
            files=SiteFiles.open(site),
            user=UserFactory(username="ed", role="editor"),
            sections={},
        )
    assert report.posts[0].notes == [(8, "Picture not brought in: /assets/none.png")]
