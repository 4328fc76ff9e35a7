"""A WordPress export (WXR) with its uploads becomes stories, once."""

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import translation
from PIL import Image as PillowImage

from articles.models import Article
from articles.tests.factories import AuthorFactory
from images.models import Image
from imports.models import ImportedItem, OldAddress
from imports.services import archive_path_import

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "fixtures" / "wordpress" / "export.xml"


def picture(colour: str) -> bytes:
    out = io.BytesIO()
    PillowImage.new("RGB", (80, 50), colour).save(out, "JPEG")
    return out.getvalue()


def export_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("harbour/export.xml", EXPORT.read_bytes())
        archive.writestr(
            "harbour/wp-content/uploads/2024/05/야간-신항.jpg", picture("navy")
        )
        archive.writestr(
            "harbour/wp-content/uploads/2024/05/gantry.jpg", picture("red")
        )
    return path


def run(path: Path, editor, economy, **options):
    with translation.override("en"):
        return archive_path_import(
            kind="wordpress",
            path=path,
            user=editor,
            sections={"경제": economy, "経済": economy},
            publish=True,
            **options,
        )


def test_posts_and_their_translations_become_stories_field_by_field(
    tmp_path, editor, economy
):
    minji = AuthorFactory(email="minji.park@harbour.example")
    report = run(export_zip(tmp_path / "harbour.zip"), editor, economy)

    story = Article.objects.get(headline_ko="부산항 물동량, 석 달째 늘어")
    # Polylang's group: one story in Korean and Japanese.
    assert story.headline_ja == "釜山港の取扱量、3か月連続で増加"
    assert story.source_language == "ko"
    assert story.category == economy
    assert story.status == Article.Status.PUBLISHED
    assert story.published_at == datetime(2024, 5, 30, 0, 30, tzinfo=UTC)
    assert [byline.author for byline in story.bylines.all()] == [minji]
    # The AI-use label was a tag: the disclosure, not a tag.
    assert story.ai_use == Article.AIUse.ASSISTED
    assert sorted(story.tags.values_list("name_ko", flat=True)) == ["물류", "부산항"]
    # The featured image, from the export's uploads, labelled AI-generated
    # by its attachment's title.
    assert story.feature_image.is_ai_generated
    assert story.feature_image_alt_ko == "불 켜진 크레인이 늘어선 밤의 부두"
    # The body's [caption] picture, with its caption; shortcodes gone.
    assert "<figcaption>신항 3부두의 갠트리 크레인</figcaption>" in story.body_ko
    # The Japanese body's picture is the same upload, served from a CDN.
    gantry = Image.objects.get(alt_text_ko="신항의 갠트리 크레인")
    assert f'data-image="{gantry.pk}"' in story.body_ko
    assert f'data-image="{gantry.pk}"' in story.body_ja
    assert "[contact-form-7" not in story.body_ko
    assert "<li>환적: 12% 증가</li>" in story.body_ko
    assert "항만공사는 하반기에도 증가세가 이어질 것으로 본다." in story.body_ko
    assert "<p>부산항의 5월 컨테이너 처리량이 석 달 연속 늘었다.<br>" in story.body_ko
    assert story.dek_ko == "부산항 처리량이 석 달 연속 늘었다."
    # Its old address, decoded, leads to it.
    assert OldAddress.objects.get(article=story, language="ko").path == (
        "/2024/05/30/부산항-물동량/"
    )
    korean = next(post for post in report.posts if post.article_id == story.pk)
    assert korean.name == "export.xml: 부산항 물동량, 석 달째 늘어"
    assert (None, "Shortcode [contact-form-7] left out.") in korean.notes


def test_drafts_stay_drafts_future_posts_are_scheduled_pages_are_skipped(
    tmp_path, editor, economy
):
    report = run(export_zip(tmp_path / "harbour.zip"), editor, economy)
    draft = Article.objects.get(headline_ko="태풍 북상, 남해안 항만 운영 중단")
    assert draft.status == Article.Status.DRAFT
    future = Article.objects.get(headline_ja="台風10号、九州に接近へ")
    assert future.source_language == "ja"
    assert not Article.objects.filter(headline_ko="제보 안내").exists()
    assert ("export.xml", line_of("<title><![CDATA[제보 안내]]>") - 1) in {
        (name, line) for name, line, _reason in report.skipped
    }
    failed = {
        post.notes[0][0]: post.notes[0][1]
        for post in report.posts
        if post.outcome == "failed"
    }
    # Each unreadable item is named by its line in the export.
    assert set(failed) == {
        line_of("<!-- the broken one"),
        line_of("<!-- unreadable: neither"),
    }


def line_of(text: str) -> int:
    for number, line in enumerate(EXPORT.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(text)


def test_importing_the_export_again_changes_nothing(tmp_path, editor, economy):
    path = export_zip(tmp_path / "harbour.zip")
    first = run(path, editor, economy)
    again = run(path, editor, economy)
    created = [post.name for post in first.posts if post.outcome == "created"]
    assert created
    assert {post.name for post in again.posts if post.outcome == "unchanged"} == set(
        created
    )
    assert not [post for post in again.posts if post.outcome in {"created", "updated"}]
    assert ImportedItem.objects.filter(source="wordpress").count() == len(created)


def test_the_export_file_alone_imports_without_its_pictures(tmp_path, editor, economy):
    alone = tmp_path / "export.xml"
    alone.write_bytes(EXPORT.read_bytes())
    report = run(alone, editor, economy)
    story = Article.objects.get(headline_ko="부산항 물동량, 석 달째 늘어")
    assert story.feature_image is None
    korean = next(post for post in report.posts if "부산항 물동량" in post.name)
    assert (
        None,
        "Picture not brought in: /wp-content/uploads/2024/05/야간-신항.jpg",
    ) in korean.notes


def test_a_picture_a_cdn_served_is_found_among_the_uploads(tmp_path):
    from imports.services import _uploaded_picture
    from imports.sites import SiteFiles

    files = SiteFiles.open(export_zip(tmp_path / "harbour.zip"))
    assert (
        _uploaded_picture(files, "https://cdn.harbour-media.example/2024/05/gantry.jpg")
        == "wp-content/uploads/2024/05/gantry.jpg"
    )
    assert (
        _uploaded_picture(
            files, "https://offload.example/site/uploads/2024/05/gantry.jpg"
        )
        == "wp-content/uploads/2024/05/gantry.jpg"
    )
    assert _uploaded_picture(files, "https://cdn.example/2024/05/none.jpg") is None
