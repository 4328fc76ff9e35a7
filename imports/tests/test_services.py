"""A Jekyll site's posts become stories, once, whole or not at all."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import translation
from PIL import Image as PillowImage

from articles.models import Article, Byline
from articles.tests.factories import AuthorFactory, UserFactory
from images.models import Image
from imports.models import ImportedItem
from imports.services import jekyll_site_import
from imports.sites import SiteFiles
from tags.models import Tag

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"

KOREAN = """---
title: 항만 물동량, 석 달째 늘어
date: 2024-05-29 21:00:00 -0400
categories: [경제, 항만]
tags: [물류, 부산항]
excerpt: 부산항의 컨테이너 처리량이 석 달 연속 늘었다.
feature_text: 환적 화물이 증가를 이끌었다.
image:
  path: /assets/img/harbour.jpg
  alt: 부두의 크레인
lang: ko
author: harbour@newsroom.example
---
{body}"""

JAPANESE = """---
title: 港の貨物、3か月連続で増加
date: 2024-05-30 10:00:00 +0900
categories: 経済 地方
tags: [物流]
lang: ja
---
## 見出し

貨物が**増えた**。

![クレーン](../assets/img/crane.png)
"""

BROKEN = """---
title: Rates hold
date: 2024-06-01
tags: [rates
---
Body.
"""


def picture(kind: str, colour: str) -> bytes:
    out = io.BytesIO()
    PillowImage.new("RGB", (64, 48), colour).save(out, kind)
    return out.getvalue()


def make_site(root: Path) -> Path:
    posts = root / "_posts"
    posts.mkdir(parents=True)
    body = (FIXTURES / "tistory_body.html").read_text(encoding="utf-8")
    (posts / "2024-05-29-harbour.html").write_text(
        KOREAN.format(body=body), encoding="utf-8"
    )
    (posts / "2024-05-30-minato.md").write_text(JAPANESE, encoding="utf-8")
    (posts / "2024-06-01-rates.md").write_text(BROKEN, encoding="utf-8")
    (root / "assets" / "img").mkdir(parents=True)
    (root / "assets" / "img" / "harbour.jpg").write_bytes(picture("JPEG", "navy"))
    (root / "assets" / "img" / "crane.png").write_bytes(picture("PNG", "orange"))
    (root / "_config.yml").write_text("timezone: Asia/Seoul\n", encoding="utf-8")
    return root


def run(site: Path, editor, economy, **kwargs):
    return jekyll_site_import(
        files=SiteFiles.open(site),
        user=editor,
        sections={"경제": economy, "経済": economy},
        **kwargs,
    )


def test_posts_become_draft_stories_with_their_texts_pictures_tags_and_byline(
    tmp_path, editor, economy
):
    author = AuthorFactory(email="harbour@newsroom.example")
    Tag.objects.create(name_en="Logistics", name_ko="물류")
    report = run(make_site(tmp_path / "site"), editor, economy)

    outcomes = {post.name: post.outcome for post in report.posts}
    assert outcomes == {
        "_posts/2024-05-29-harbour.html": "created",
        "_posts/2024-05-30-minato.md": "created",
        "_posts/2024-06-01-rates.md": "failed",
    }
    korean = Article.objects.get(headline_ko="항만 물동량, 석 달째 늘어")
    assert korean.status == Article.Status.DRAFT
    assert korean.source_language == "ko"
    assert korean.category == economy
    # The front matter's time, New York's evening: Seoul's next morning.
    assert korean.published_at.isoformat() == "2024-05-30T01:00:00+00:00"
    assert korean.dek_ko == "부산항의 컨테이너 처리량이 석 달 연속 늘었다."
    assert korean.feature_text_ko == "환적 화물이 증가를 이끌었다."
    assert korean.feature_image.alt_text == "부두의 크레인"
    assert korean.feature_image_alt_ko == "부두의 크레인"
    assert "<mark>환적 화물이 특히 늘었다.</mark>" in korean.body_ko
    assert "data-ke" not in korean.body_ko and "style=" not in korean.body_ko
    # The body's first picture is the feature image: one library picture,
    # shown once, as the feature image, not again at the top of the body.
    assert f'data-image="{korean.feature_image_id}"' not in korean.body_ko
    assert korean.body_ko.startswith("<h2>항만 물동량, 석 달째 늘어</h2>")
    assert Image.objects.count() == 2
    # An existing tag, found by its Korean name, and a new one.
    assert sorted(tag.name_ko for tag in korean.tags.all()) == ["물류", "부산항"]
    assert Tag.objects.filter(name_en="Logistics").count() == 1
    assert list(
        Byline.objects.filter(article=korean).values_list("author", flat=True)
    ) == [author.pk]

    japanese = Article.objects.get(headline_ja="港の貨物、3か月連続で増加")
    assert japanese.source_language == "ja"
    assert japanese.body_ja.startswith("<h2>見出し</h2>")
    assert "<strong>増えた</strong>" in japanese.body_ja
    assert 'data-alt="クレーン"' in japanese.body_ja
    with translation.override("ja"):
        assert [tag.name_ja for tag in japanese.tags.all()] == ["物流"]

    # A category no section is mapped to is reported, not made a section.
    assert report.unmapped == {"항만": 1, "地方": 1}
    assert not Article.objects.filter(category__name_ko="항만").exists()
    broken = next(p for p in report.posts if p.outcome == "failed")
    assert broken.notes[0][0] == 4
    assert "YAML" in broken.notes[0][1]
    assert ImportedItem.objects.count() == 2


def test_importing_again_updates_what_changed_and_makes_nothing_twice(
    tmp_path, editor, economy
):
    site = make_site(tmp_path / "site")
    run(site, editor, economy)
    stories = Article.objects.count()
    again = run(site, editor, economy)
    assert [p.outcome for p in again.posts] == ["unchanged", "unchanged", "failed"]
    assert Article.objects.count() == stories
    path = site / "_posts" / "2024-05-30-minato.md"
    path.write_text(JAPANESE.replace("3か月", "4か月"), encoding="utf-8")
    third = run(site, editor, economy)
    assert [p.outcome for p in third.posts] == ["unchanged", "updated", "failed"]
    assert Article.objects.count() == stories
    assert Article.objects.filter(headline_ja="港の貨物、4か月連続で増加").exists()
    assert Image.objects.count() == 2


def test_a_dry_run_reports_what_it_would_do_and_saves_nothing(
    tmp_path, editor, economy
):
    report = run(make_site(tmp_path / "site"), editor, economy, dry_run=True)
    assert [p.outcome for p in report.posts] == ["created", "created", "failed"]
    assert not Article.objects.exists()
    assert not Image.objects.exists()
    assert not ImportedItem.objects.exists()


def test_published_when_asked_at_the_sources_time_if_it_has_a_section(
    tmp_path, editor, economy
):
    report = run(make_site(tmp_path / "site"), editor, economy, publish=True)
    korean = Article.objects.get(headline_ko="항만 물동량, 석 달째 늘어")
    assert korean.status == Article.Status.PUBLISHED
    assert korean.published_at.isoformat() == "2024-05-30T01:00:00+00:00"
    assert korean.is_live_in("ko")
    assert report.counts()["created"] == 2


def test_only_editors_import(tmp_path, economy):
    reporter = UserFactory(username="rep", role="reporter")
    with pytest.raises(PermissionDenied):
        run(make_site(tmp_path / "site"), reporter, economy)
    assert not Article.objects.exists()


def import_site(site: Path, **options) -> str:
    """Run the command in English as the editor "ed"; return what it printed."""
    out = io.StringIO()
    with translation.override("en"):
        call_command(
            "import_site", "jekyll", str(site), user="ed", stdout=out, **options
        )
    return out.getvalue()


def test_the_command_writes_the_sections_file_then_imports_with_it(
    tmp_path, editor, economy
):
    site = make_site(tmp_path / "site")
    sections = tmp_path / "sections.yml"
    import_site(site, write_sections=sections)
    written = sections.read_text(encoding="utf-8")
    assert '"경제":  # 1' in written and '"地方":  # 1' in written
    sections.write_text('"경제": 경제\n"経済": Economy\n', encoding="utf-8")
    text = import_site(site, sections=sections)
    assert "[1/3] _posts/2024-05-29-harbour.html: created #" in text
    assert "_posts/2024-06-01-rates.md:4: The front matter is not valid YAML." in text
    assert "2 created, 0 updated, 0 unchanged, 1 failed." in text
    assert "No section for the category 항만 (1 posts)." in text
    assert Article.objects.filter(category=economy).count() == 2


def test_posts_sharing_a_translation_key_are_one_story_in_their_languages(
    tmp_path, editor, economy
):
    posts = tmp_path / "site" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2024-07-01-port.md").write_text(
        "---\ntitle: 항만 파업 끝나\ndate: 2024-07-01 09:00 +0900\ncategories: 경제\n"
        "lang: ko\nref: strike\n---\n파업이 끝났다.\n",
        encoding="utf-8",
    )
    (posts / "2024-07-02-port-ja.md").write_text(
        "---\ntitle: 港のストライキ終わる\ndate: 2024-07-02 18:00 +0900\n"
        "categories: 地方\nlang: ja\nref: strike\n---\nストが終わった。\n",
        encoding="utf-8",
    )
    (posts / "2024-07-03-port-ja-again.md").write_text(
        "---\ntitle: 別の訳\nlang: ja\nref: strike\n---\n別の訳。\n",
        encoding="utf-8",
    )
    report = run(tmp_path / "site", editor, economy)
    assert [p.outcome for p in report.posts] == ["created", "created", "failed"]
    assert "2024-07-02-port-ja.md" in report.posts[2].notes[0][1]
    story = Article.objects.get()
    assert story.source_language == "ko"
    assert (story.headline_ko, story.headline_ja) == (
        "항만 파업 끝나",
        "港のストライキ終わる",
    )
    assert story.body_ja == "<p>ストが終わった。</p>\n"
    # The source's post gives the section and the time, not the translation's.
    assert story.category == economy
    assert story.published_at.isoformat() == "2024-07-01T00:00:00+00:00"
    assert report.posts[0].article_id == report.posts[1].article_id == story.pk
    assert ImportedItem.objects.filter(article=story).count() == 2


def test_readers_see_an_imported_story_dated_as_in_the_archive(
    tmp_path, editor, economy, client
):
    run(make_site(tmp_path / "site"), editor, economy, publish=True)
    korean = Article.objects.get(headline_ko="항만 물동량, 석 달째 늘어")
    response = client.get(korean.get_absolute_url("ko"))
    assert response.status_code == 200
    # Not "updated" on the day it was imported.
    assert response.context["updated_at"] is None
    assert "<mark>환적 화물이 특히 늘었다.</mark>" in response.content.decode()


def test_the_archives_old_addresses_lead_to_the_stories(
    tmp_path, editor, economy, client
):
    site = make_site(tmp_path / "site")
    (site / "_config.yml").write_text(
        "timezone: Asia/Seoul\npermalink: pretty\n", encoding="utf-8"
    )
    run(site, editor, economy, publish=True)
    korean = Article.objects.get(headline_ko="항만 물동량, 석 달째 늘어")
    # Jekyll's pretty style: categories, the date in Seoul, the file's name.
    old = "/경제/항만/2024/05/30/harbour/"
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == korean.get_absolute_url("ko")
    assert client.get(old.rstrip("/")).status_code == 301
    assert client.get("/경제/항만/2024/05/30/no-such-post/").status_code == 404
    # Only while readers may see the story.
    from articles.services import article_unpublish

    article_unpublish(article=korean, user=editor)
    assert client.get(old).status_code == 404
