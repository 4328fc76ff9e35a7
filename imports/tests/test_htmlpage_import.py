"""Saved article pages become stories: fields, pictures, sources, related stories."""

import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from PIL import Image as PillowImage

from articles.models import Article
from articles.tests.factories import AuthorFactory, CategoryFactory, UserFactory
from imports.models import OldAddress
from imports.services import archive_path_import
from related.models import RelatedArticle

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).parent / "fixtures" / "html"

# A third page of the same site: the strike page lists it as related.
YARD = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8">
<title>신항 장치율 하루 새 10%p 올라 | 한빛뉴스</title>
<link rel="canonical" href="https://www.example.org/news/articles/20240911-yard-ratio-rises">
<meta property="og:site_name" content="한빛뉴스">
<meta property="article:published_time" content="2024-09-11T18:00:00+09:00">
<meta property="article:section" content="경제">
</head><body><main><article><h1>신항 장치율 하루 새 10%p 올라</h1>
<p>신항의 장치율이 하루 만에 10%포인트 올랐다. 파업 여파로 반출이 늦어진 탓이다.</p>
<p>항만공사는 임시 장치장을 여는 방안을 살피고 있다고 밝혔다.</p>
</article></main></body></html>
"""


def picture(colour: str) -> bytes:
    out = io.BytesIO()
    PillowImage.new("RGB", (72, 48), colour).save(out, "JPEG")
    return out.getvalue()


def pages_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for page in PAGES.glob("*.html"):
            archive.writestr(f"saved/{page.name}", page.read_bytes())
        archive.writestr("saved/yard.html", YARD)
        archive.writestr("saved/busan-port-strike_files/crane.jpg", picture("gray"))
        archive.writestr("saved/busan-port-strike_files/trucks.jpg", picture("maroon"))
        archive.writestr("saved/busan-port-strike_files/style.css", "body{}")
    return path


def run(path: Path, **options):
    editor = UserFactory(username="ed", role="editor")
    economy = CategoryFactory(name_ko="경제", name_ja="経済")
    with translation.override("en"):
        return archive_path_import(
            kind="html",
            path=path,
            user=editor,
            sections={"경제": economy, "経済": economy, "社会": economy},
            publish=True,
            **options,
        )


def test_saved_pages_become_stories_with_pictures_sources_and_related(tmp_path):
    sky = AuthorFactory(email="sky@example.org")
    report = run(pages_zip(tmp_path / "pages.zip"))
    assert sorted(post.outcome for post in report.posts) == ["created"] * 3

    strike = Article.objects.get(headline_ko__startswith="부산 신항 하역 노동자 파업")
    yard = Article.objects.get(headline_ko="신항 장치율 하루 새 10%p 올라")
    assert strike.status == Article.Status.PUBLISHED
    assert [byline.author for byline in strike.bylines.all()] == [sky]
    # The feature picture, found in the saved folder by its file name, is
    # flagged as its caption's label says, and shown once.
    assert strike.feature_image.is_ai_generated
    assert strike.feature_image_alt_ko == "멈춰 선 신항 부두의 갠트리 크레인"
    assert f'data-image="{strike.feature_image_id}"' not in strike.body_ko
    assert "<figcaption>부두 입구에서 반출을 기다리는 화물차들." in strike.body_ko
    assert "<h2>장치율 90% 육박</h2>" in strike.body_ko
    assert "<mark>" in strike.body_ko
    # Neither the site's furniture nor the related list is in the body.
    for furniture in ("많이 본 뉴스", "페이스북 공유", "댓글 12", "관련 기사"):
        assert furniture not in strike.body_ko
    assert list(strike.sources.values_list("publisher", "url")) == [
        ("바다일보", "https://example.org/harbor/talks-timeline"),
        ("물류신문", "https://example.org/logistics/yard-ratio"),
    ]
    assert [row.related for row in RelatedArticle.objects.filter(article=strike)] == [
        yard
    ]
    assert OldAddress.objects.get(article=strike).path == (
        "/news/articles/20240912-busan-port-strike"
    )
    japanese = Article.objects.get(source_language="ja")
    assert japanese.headline_ja


def test_saved_pages_imported_again_are_unchanged(tmp_path):
    path = pages_zip(tmp_path / "pages.zip")
    run(path)
    editor = UserFactory(username="ed2", role="editor")
    with translation.override("en"):
        again = archive_path_import(
            kind="html", path=path, user=editor, sections={}, publish=True
        )
    assert [post.outcome for post in again.posts] == ["unchanged"] * 3
    assert Article.objects.count() == 3
