"""PO catalogues: the export, the checked import, the round trip, and the admin."""

import re
import shutil
import subprocess  # noqa: S404 (msgfmt, a fixed binary and arguments)
import uuid
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from articles.models import Article
from articles.revisions import note_text
from articles.tests.factories import ArticleFactory, UserFactory
from core.slugs import make_slug
from images.models import Image
from translations import po
from translations.models import TranslationState
from translations.services import translation_refresh
from translations.tests.test_services import edit, state, translate_image
from translations.units import UNITS

pytestmark = pytest.mark.django_db
Status = TranslationState.Status
MSGFMT = shutil.which("msgfmt")

JAPANESE = {
    "headline": "沿岸都市、雨水貯留トンネルが完成",
    "dek": "梅雨の浸水を防ぐトンネルが開通した。",
    "key_points": "トンネルの長さ3キロ\n貯留量20万トン",
    "body": "<p>市の新しい雨水トンネルが<strong>今日</strong>開通した。</p>",
    "image.alt_text": "釜山港の埠頭に積まれたコンテナ",
    "image.caption": "完成した雨水トンネルの内部",
    "image.credit": "ニュースルーム写真部",
}


@pytest.fixture(autouse=True)
def in_english():
    # Messages are asserted in English, whatever the catalogues hold.
    with translation.override("en"):
        yield


def export(*stories, language: str = "ja") -> po.CatalogueExport:
    return po.catalogue_export(
        articles=Article.objects.filter(pk__in=[story.pk for story in stories]),
        language=language,
    )


def by_context(catalogue) -> dict[str, polib.POEntry]:
    return {entry.msgctxt: entry for entry in catalogue}


def context(story, key: str) -> str:
    return f"article:{story.pk}:{key}"


def translate(catalogue, story, texts=None) -> polib.POFile:
    """Fill the entries of `story` as a translator would in Poedit."""
    for key, text in (JAPANESE if texts is None else texts).items():
        entry = by_context(catalogue)[context(story, key)]
        entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    return catalogue


def save(content, directory: Path, name: str = "stories-ja.po") -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(str(content), encoding="utf-8")
    return path


def import_file(path: Path, user, dry_run: bool = False) -> po.ImportReport:
    return po.translation_import(
        path=path, user=user, dry_run=dry_run, file_name=path.name
    )


def snapshot(story) -> dict:
    """Return everything an import could change about `story`."""
    story = Article.objects.select_related("feature_image").get(pk=story.pk)
    values = {
        f"{unit.key}_{code}": unit.text(story, code)
        for unit in UNITS
        for code in ("ko", "ja", "en")
    }
    values.update(
        {f"slug_{code}": getattr(story, f"slug_{code}") for code in ("ko", "ja", "en")}
    )
    values["version"] = story.version
    values["revisions"] = Version.objects.get_for_object(story).count()
    values["states"] = sorted(
        TranslationState.objects.filter(article=story).values_list(
            "language", "status", "translated_by"
        )
    )
    return values


def report_text(report: po.ImportReport) -> str:
    return "\n".join(report.lines())


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [MSGFMT, "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


# Export


def test_the_export_holds_a_header_and_one_entry_per_unit_with_source_text(
    korean_story,
):
    result = export(korean_story)
    catalogue = result.catalogue
    header = catalogue.metadata
    assert header["Language"] == "ja"
    assert header["X-Source-Language"] == "ko"
    assert (
        uuid.UUID(header["X-Export-Id"]) and header["X-Export-Id"] == result.export_id
    )
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    entries = by_context(catalogue)
    # No feature text in Korean: nothing to translate there.
    assert list(entries) == [
        context(korean_story, key)
        for key in ("headline", "dek", "key_points", "body")
        + ("image.alt_text", "image.caption", "image.credit")
    ]
    headline = entries[context(korean_story, "headline")]
    assert headline.msgid == korean_story.headline_ko
    assert headline.msgstr == ""
    assert "At most 200 characters." in headline.comment
    assert "Source language: Korean (ko)." in headline.comment
    body = entries[context(korean_story, "body")]
    assert "Keep every tag and link of the source" in body.comment
    caption = entries[context(korean_story, "image.caption")]
    assert "Written for this story only." in caption.comment
    assert "shared" not in caption.comment.lower()
    credit = entries[context(korean_story, "image.credit")]
    assert credit.msgid == "뉴스룸 사진부"
    assert "At most 200 characters." in credit.comment
    assert not any(entry.flags for entry in catalogue)
    assert result.file_name.startswith("newsroom-ja-") and result.file_name.endswith(
        ".po"
    )


def test_the_export_carries_current_translations_and_marks_outdated_ones_fuzzy(
    korean_story, translator, editor
):
    edit(korean_story, translator, headline_ja="古い見出し", dek_ja="要約")
    old_dek = korean_story.dek_ko
    edit(korean_story, editor, dek_ko="새로운 요약이다.")
    entries = by_context(export(korean_story).catalogue)
    headline = entries[context(korean_story, "headline")]
    assert headline.msgstr == "古い見出し"
    assert headline.flags == []
    dek = entries[context(korean_story, "dek")]
    assert dek.msgid == "새로운 요약이다."
    assert dek.msgstr == "要約"
    assert "fuzzy" in dek.flags
    assert dek.previous_msgid == old_dek
    assert "#| msgid" in str(dek)


def test_a_story_written_in_the_target_language_exports_nothing_and_says_so(
    korean_story,
):
    result = export(korean_story, language="ko")
    assert result.entry_count == 0
    assert result.skipped == [korean_story]
    assert f"story {korean_story.pk} is written in Korean" in result.skipped_message()


def test_stories_of_several_source_languages_are_listed_and_named_per_entry(
    korean_story,
):
    english = ArticleFactory(source_language="en", headline_ja="", body_ja="")
    catalogue = export(korean_story, english).catalogue
    assert catalogue.metadata["X-Source-Language"] == "en, ko"
    entries = by_context(catalogue)
    assert (
        "Source language: English (en)."
        in entries[context(english, "headline")].comment
    )
    assert (
        "Source language: Korean (ko)."
        in entries[context(korean_story, "headline")].comment
    )


def test_each_story_showing_a_picture_has_its_own_entries_for_its_words(
    korean_story,
):
    other = ArticleFactory(
        source_language="ko",
        without_ja=True,
        feature_image=korean_story.feature_image,
        feature_image_caption_ko="개통식에 모인 시민들",
        feature_image_caption_ja="開通式に集まった市民",
    )
    entries = by_context(export(korean_story, other).catalogue)
    # The library's caption for the one, the story's own for the other.
    caption = entries[context(korean_story, "image.caption")]
    assert (caption.msgid, caption.msgstr) == ("완공된 빗물 터널 내부", "")
    other_caption = entries[context(other, "image.caption")]
    assert (other_caption.msgid, other_caption.msgstr) == (
        "개통식에 모인 시민들",
        "開通式に集まった市民",
    )


@pytest.mark.skipif(MSGFMT is None, reason="GNU msgfmt is not installed")
def test_the_export_passes_msgfmt_check(korean_story, translator, editor, tmp_path):
    edit(
        korean_story,
        editor,
        body_ko="<p>물가가 20% 올랐다. 100%s 아님.</p>\n",
        key_points_ko="첫째\n둘째\n",
        dek_ko='따옴표 "인용" 과 역슬래시 \\ 그리고 %(name)s',
    )
    # Translations whose edges differ from the source's: the export matches them.
    edit(
        korean_story,
        translator,
        body_ja="<p>物価が20%上がった。</p>",
        key_points_ja="一\n二",
        dek_ja='引用 "文" と \\ と %(name)s',
        headline_ja="見出し",
    )
    edit(korean_story, editor, headline_ko="새 제목 50% off")  # outdated: fuzzy
    path = save(export(korean_story).content(), tmp_path)
    checked = msgfmt_check(path)
    assert checked.returncode == 0, checked.stderr
    assert "warning" not in checked.stderr
    entries = by_context(polib.pofile(str(path)))
    body = entries[context(korean_story, "body")]
    assert body.msgid.endswith("\n") and body.msgstr.endswith("\n")
    assert "c-format" not in body.flags and "no-c-format" in body.flags
    assert "fuzzy" in entries[context(korean_story, "headline")].flags


def test_who_may_export(korean_story, editor, translator, en_translator):
    reporter = UserFactory(username="reporter", role="reporter")
    for code in ("ko", "ja", "en"):
        po.check_exchange(editor, code)
    po.check_exchange(translator, "ja")
    with pytest.raises(PermissionDenied):
        po.check_exchange(translator, "en")
    with pytest.raises(PermissionDenied):
        po.check_exchange(en_translator, "ja")
    with pytest.raises(PermissionDenied):
        po.check_exchange(reporter, "ja")


# Round trip


def test_the_round_trip_writes_the_translation_and_the_next_export_carries_it(
    korean_story, translator, tmp_path
):
    before = snapshot(korean_story)
    catalogue = translate(export(korean_story).catalogue, korean_story)
    report = import_file(save(catalogue, tmp_path), translator)

    assert not report.has_errors, report_text(report)
    assert report.is_applied
    assert report.changed_stories == [korean_story.pk]
    assert {entry.status for entry in report.entries} == {po.EntryStatus.APPLIED}
    story = Article.objects.select_related("feature_image").get(pk=korean_story.pk)
    for unit in UNITS:
        if unit.key in JAPANESE:
            assert unit.text(story, "ja") == JAPANESE[unit.key]
        # The source is never written.
        assert unit.text(story, "ko") == before[f"{unit.key}_ko"]
    assert story.slug_ja == make_slug(JAPANESE["headline"])
    assert story.version == before["version"] + 1
    ja = state(story, "ja")
    assert ja.status == Status.UP_TO_DATE
    assert ja.translated_by == translator
    assert state(story, "en").status == Status.MISSING
    versions = Version.objects.get_for_object(story)
    assert versions.count() == 1
    revision = versions.first().revision
    assert revision.user == translator
    with translation.override("en"):
        assert note_text(revision.comment) == (
            "Imported translation (Japanese) from PO file stories-ja.po"
        )

    again = by_context(export(story).catalogue)
    for key, text in JAPANESE.items():
        entry = again[context(story, key)]
        assert entry.msgstr == text
        assert "fuzzy" not in entry.flags


def test_importing_the_same_file_again_changes_nothing(
    korean_story, translator, tmp_path
):
    path = save(translate(export(korean_story).catalogue, korean_story), tmp_path)
    import_file(path, translator)
    before = snapshot(korean_story)
    report = import_file(path, translator)
    assert {entry.status for entry in report.entries} == {po.EntryStatus.UNCHANGED}
    assert report.changed_stories == []
    assert snapshot(korean_story) == before


def test_quotes_backslashes_and_korean_html_survive_the_round_trip(
    korean_story, translator, editor, tmp_path
):
    edit(
        korean_story,
        editor,
        body_ko=(
            '<p>서울시는 <a href="https://example.com/a?b=1&amp;c=2">발표</a>에서 '
            "<em>“완공”</em>을 알렸다.</p>\n<p>둘째 문단.</p>\n"
        ),
    )
    source_body = Article.objects.get(pk=korean_story.pk).body_ko
    japanese_body = (
        source_body.replace("서울시는 ", "ソウル市は")
        .replace("발표", "発表")
        .replace("에서 ", "で")
        .replace("“완공”", '"完工"')
        .replace("을 알렸다.", "を知らせた。")
        .replace("둘째 문단.", "第二段落。")
        .rstrip("\n")  # as a translator might leave it: the edges follow the source
    )
    headline = 'トンネル「完成」"速報" C:\\path\\to と \\"'
    catalogue = translate(
        export(korean_story).catalogue,
        korean_story,
        {"headline": headline, "body": japanese_body},
    )
    path = save(catalogue, tmp_path)
    # polib reads the file it wrote, escapes and all.
    assert (
        by_context(polib.pofile(str(path)))[context(korean_story, "headline")].msgstr
        == headline
    )

    report = import_file(path, translator)
    assert not report.has_errors, report_text(report)
    story = Article.objects.get(pk=korean_story.pk)
    assert story.headline_ja == headline
    assert story.body_ja == japanese_body + "\n"
    assert 'href="https://example.com/a?b=1&amp;c=2"' in story.body_ja

    again = save(export(story).content(), tmp_path, "again.po")
    entries = by_context(polib.pofile(str(again)))
    assert entries[context(story, "headline")].msgstr == headline
    assert entries[context(story, "body")].msgstr == story.body_ja
    if MSGFMT:
        checked = msgfmt_check(again)
        assert checked.returncode == 0, checked.stderr


def test_markup_is_sanitised_on_the_way_in(korean_story, translator, tmp_path):
    body = '<p onclick="steal()">市の<strong style="color:red">今日</strong>。</p>'
    catalogue = translate(
        export(korean_story).catalogue,
        korean_story,
        {"body": body, "dek": "R&amp;D と a < b"},
    )
    report = import_file(save(catalogue, tmp_path), translator)
    assert not report.has_errors, report_text(report)
    story = Article.objects.get(pk=korean_story.pk)
    assert story.body_ja == "<p>市の<strong>今日</strong>。</p>"
    assert story.dek_ja == "R&D と a < b"


# What is skipped, warned about, confirmed


def test_fuzzy_and_empty_entries_are_skipped_and_reported(
    korean_story, translator, tmp_path
):
    catalogue = translate(
        export(korean_story).catalogue, korean_story, {"headline": "見出し"}
    )
    entries = by_context(catalogue)
    entries[context(korean_story, "dek")].msgstr = "まだ確認中"
    entries[context(korean_story, "dek")].flags.append("fuzzy")
    report = import_file(save(catalogue, tmp_path), translator)
    statuses = {entry.context: entry for entry in report.entries}
    assert statuses[context(korean_story, "headline")].status == po.EntryStatus.APPLIED
    dek = statuses[context(korean_story, "dek")]
    assert dek.status == po.EntryStatus.SKIPPED
    assert "Fuzzy" in dek.messages[0]
    body = statuses[context(korean_story, "body")]
    assert body.status == po.EntryStatus.SKIPPED
    assert body.messages == ["Not translated."]
    story = Article.objects.get(pk=korean_story.pk)
    assert story.headline_ja == "見出し"
    assert story.dek_ja == ""
    assert state(story, "ja").status == Status.IN_PROGRESS


def test_the_report_names_each_entry_with_its_line_number(
    korean_story, translator, tmp_path
):
    path = save(translate(export(korean_story).catalogue, korean_story), tmp_path)
    report = import_file(path, translator)
    lines = path.read_text(encoding="utf-8").splitlines()
    for entry in report.entries:
        # polib counts from the entry's first line: its comments.
        block = lines[entry.line - 1 :]
        ctxt = next(line for line in block if line.startswith("msgctxt"))
        assert ctxt == f'msgctxt "{entry.context}"'
    text = report_text(report)
    assert (
        f"line {report.entries[0].line} {context(korean_story, 'headline')}: applied"
        in text
    )


def test_a_different_number_of_key_points_is_a_warning_not_an_error(
    korean_story, translator, tmp_path
):
    catalogue = translate(
        export(korean_story).catalogue,
        korean_story,
        {"key_points": "一つにまとめた要点"},
    )
    report = import_file(save(catalogue, tmp_path), translator)
    assert not report.has_errors
    entry = next(e for e in report.entries if e.unit_key == "key_points")
    assert entry.status == po.EntryStatus.APPLIED
    assert entry.notes == ["The source has 2 points, the translation 1."]
    assert Article.objects.get(pk=korean_story.pk).key_points_ja == "一つにまとめた要点"


def test_removing_the_fuzzy_flag_confirms_an_outdated_translation(
    korean_story, translator, editor, tmp_path
):
    edit(
        korean_story,
        translator,
        **{f"{k}_ja": v for k, v in JAPANESE.items() if "." not in k},
    )
    translate_image(korean_story, "ja", editor)
    edit(korean_story, editor, dek_ko="장마철 침수를 막는 터널이 열렸다.")
    assert state(korean_story, "ja").status == Status.OUTDATED
    catalogue = export(korean_story).catalogue
    dek = by_context(catalogue)[context(korean_story, "dek")]
    assert "fuzzy" in dek.flags
    dek.flags.remove("fuzzy")  # the translator read it: still right
    version = Article.objects.get(pk=korean_story.pk).version
    report = import_file(save(catalogue, tmp_path), translator)
    entry = next(e for e in report.entries if e.unit_key == "dek")
    assert entry.status == po.EntryStatus.APPLIED
    assert "Confirmed" in entry.notes[0]
    assert state(korean_story, "ja").status == Status.UP_TO_DATE
    # No text changed: no new version of the story.
    assert Article.objects.get(pk=korean_story.pk).version == version


def test_unfuzzied_machine_output_counts_as_reviewed_by_the_importer(
    korean_story, translator, editor, tmp_path
):
    edit(
        korean_story,
        translator,
        **{f"{k}_ja": v for k, v in JAPANESE.items() if "." not in k},
    )
    translate_image(korean_story, "ja", editor)
    stored = Article.objects.select_related("feature_image").get(pk=korean_story.pk)
    story = Article.objects.select_related("feature_image").get(pk=korean_story.pk)
    story.body_ja = "<p>機械が<strong>訳した</strong>本文。</p>"
    story.save()
    translation_refresh(article=story, stored=stored, machine="offline")
    assert state(story, "ja").status == Status.NEEDS_REVIEW
    catalogue = export(story).catalogue
    body = by_context(catalogue)[context(story, "body")]
    assert "fuzzy" in body.flags
    assert "Machine translation" in body.comment
    body.flags.remove("fuzzy")
    report = import_file(save(catalogue, tmp_path), translator)
    assert not report.has_errors, report_text(report)
    ja = state(story, "ja")
    assert ja.status == Status.UP_TO_DATE
    assert ja.machine_translator == ""
    assert ja.translated_by == translator


def test_image_words_are_written_to_the_story_and_never_to_the_picture(
    korean_story, translator, editor, tmp_path
):
    other = ArticleFactory(
        source_language="ko", without_ja=True, feature_image=korean_story.feature_image
    )
    image_before = Image.objects.get(pk=korean_story.feature_image_id)
    other_before = snapshot(other)
    catalogue = translate(
        export(korean_story).catalogue,
        korean_story,
        {key: JAPANESE[key] for key in ("image.caption", "image.credit")},
    )
    report = import_file(save(catalogue, tmp_path), translator)
    assert not report.has_errors, report_text(report)
    entries = [e for e in report.entries if e.unit_key.startswith("image.")]
    assert {e.status for e in entries if e.unit_key != "image.alt_text"} == {
        po.EntryStatus.APPLIED
    }
    assert not any(entry.notes for entry in entries)

    story = Article.objects.get(pk=korean_story.pk)
    assert story.feature_image_caption_ja == JAPANESE["image.caption"]
    assert story.feature_image_credit_ja == JAPANESE["image.credit"]
    # The source language keeps the library's words: nothing written there.
    assert story.feature_image_caption_ko in ("", None)
    assert state(story, "ja").fields.get(unit="image.credit").source_text == (
        "뉴스룸 사진부"
    )
    image = Image.objects.get(pk=korean_story.feature_image_id)
    assert (image.caption_ja, image.credit_ja, image.version) == (
        image_before.caption_ja,
        image_before.credit_ja,
        image_before.version,
    )
    # The other story showing the picture shows what it showed.
    assert snapshot(other) == other_before
    with translation.override("ja"):
        assert other.feature_words()["caption"] == ""


def test_two_stories_showing_one_picture_take_two_different_captions(
    korean_story, translator, tmp_path
):
    other = ArticleFactory(
        source_language="ko", without_ja=True, feature_image=korean_story.feature_image
    )
    catalogue = export(korean_story, other).catalogue
    entries = by_context(catalogue)
    entries[context(korean_story, "image.caption")].msgstr = "キャプション一"
    entries[context(other, "image.caption")].msgstr = "キャプション二"
    report = import_file(save(catalogue, tmp_path), translator)
    assert not report.has_errors, report_text(report)
    stories = Article.objects.select_related("feature_image").in_bulk(
        [korean_story.pk, other.pk]
    )
    assert stories[korean_story.pk].feature_word("caption", "ja") == "キャプション一"
    assert stories[other.pk].feature_word("caption", "ja") == "キャプション二"
    assert Image.objects.get(pk=korean_story.feature_image_id).caption_ja is None
    for story in (korean_story, other):
        record = state(story, "ja").fields.get(unit="image.caption")
        assert record.source_text == "완공된 빗물 터널 내부"


# Rejections: nothing changes


def _entry(catalogue, story, key):
    return by_context(catalogue)[context(story, key)]


def malformed_context(catalogue, story):
    _entry(catalogue, story, "headline").msgctxt = f"story-{story.pk}-headline"
    return "Not an entry of a story"


def deleted_story(catalogue, story):
    gone = ArticleFactory(source_language="ko", without_ja=True)
    catalogue.append(
        polib.POEntry(
            msgctxt=context(gone, "headline"), msgid=gone.headline_ko, msgstr="消えた"
        )
    )
    gone_id = gone.pk
    gone.delete()
    return f"Story {gone_id} does not exist"


def unknown_unit(catalogue, story):
    _entry(catalogue, story, "headline").msgctxt = context(story, "subtitle")
    return "Unknown field “subtitle”"


def story_in_the_target_language(catalogue, story):
    japanese = ArticleFactory(source_language="ja")
    catalogue.append(
        polib.POEntry(
            msgctxt=context(japanese, "headline"),
            msgid=japanese.headline_ja,
            msgstr="別の見出し",
        )
    )
    return f"Story {japanese.pk} is written in Japanese"


def source_changed_since_export(catalogue, story):
    Article.objects.filter(pk=story.pk).update(dek_ko="내보낸 뒤 바뀐 요약.")
    return "The source text changed since the export"


def placeholder_added(catalogue, story):
    _entry(catalogue, story, "dek").msgstr += " {name}"
    return "Keep the placeholders of the source: missing -; not in the source {name}"


def printf_placeholder_added(catalogue, story):
    _entry(catalogue, story, "dek").msgstr += " %(count)s"
    return "not in the source %(count)s"


def tag_dropped(catalogue, story):
    _entry(
        catalogue, story, "body"
    ).msgstr = "<p>市の新しい雨水トンネルが今日開通した。</p>"
    return "at tag 2 the source has <strong>, the translation </p>"


def script_added(catalogue, story):
    _entry(
        catalogue, story, "body"
    ).msgstr = "<p>市の<strong>今日</strong>。</p><script>alert(1)</script>"
    return "Keep the source's HTML tags"


def link_added(catalogue, story):
    _entry(
        catalogue, story, "body"
    ).msgstr = '<p>市の<strong><a href="https://evil.example">今日</a></strong>。</p>'
    return "Keep the source's HTML tags"


def plain_text_gains_tags(catalogue, story):
    _entry(catalogue, story, "headline").msgstr = "<b>見出し</b>"
    return "This is plain text: remove the HTML tags."


def plain_text_gains_escaped_tags(catalogue, story):
    _entry(catalogue, story, "dek").msgstr = "&lt;img src=x onerror=alert(1)&gt;"
    return "This is plain text: remove the HTML tags."


def headline_too_long(catalogue, story):
    _entry(catalogue, story, "headline").msgstr = "あ" * 201
    return "Too long: 201 characters, at most 200."


def picture_removed_since_export(catalogue, story):
    Article.objects.filter(pk=story.pk).update(feature_image=None)
    return "The story has no feature image any more."


def plural_entry(catalogue, story):
    catalogue.append(
        polib.POEntry(
            msgctxt=context(story, "feature_text"),
            msgid="one",
            msgid_plural="many",
            msgstr_plural={0: "複数"},
        )
    )
    return "Plural entries are not part of a story."


def header_in_another_language(catalogue, story):
    catalogue.metadata["Language"] = "en"
    return "You may not import translations into English."


def header_in_an_unknown_language(catalogue, story):
    catalogue.metadata["Language"] = "fr"
    return "The newsroom does not publish in fr."


def header_without_language(catalogue, story):
    del catalogue.metadata["Language"]
    return "The file does not say its language"


def declared_latin_1(catalogue, story):
    catalogue.metadata["Content-Type"] = "text/plain; charset=ISO-8859-1"
    return "The file is encoded in ISO-8859-1"


def saved_as_euc_jp(catalogue, story):
    catalogue.metadata["Content-Type"] = "text/plain; charset=EUC-JP"
    for entry in catalogue:
        entry.msgid = entry.msgid if entry.msgid.isascii() else "x"
        entry.comment = ""
    return str(catalogue).encode("euc-jp"), "The file is encoded in EUC-JP"


def undeclared_shift_jis(catalogue, story):
    del catalogue.metadata["Content-Type"]
    text = str(catalogue)
    body = text.encode("shift_jis", errors="replace")
    return body, "The file is not UTF-8 text"


def garbage_bytes(catalogue, story):
    return bytes(range(256)) * 64, "This is not a PO file: it holds binary data."


def garbage_without_nul(catalogue, story):
    return b"\xff\xfe\xfa garbage \xc3\x28", "The file is not UTF-8 text"


def empty_file(catalogue, story):
    return b"", "The file is empty."


def not_a_po_file(catalogue, story):
    return b"Hello, this is a letter.\n", "This is not a valid PO file"


def header_only(catalogue, story):
    for entry in list(catalogue):
        catalogue.remove(entry)
    return "The file holds no entries."


def huge_file(catalogue, story):
    text = str(catalogue).encode("utf-8")
    padding = b"# " + b"x" * 1000 + b"\n"
    return text + padding * (po.MAX_FILE_BYTES // len(padding) + 1), (
        "The file is larger than 5 MB."
    )


REJECTIONS = [
    malformed_context,
    deleted_story,
    unknown_unit,
    story_in_the_target_language,
    source_changed_since_export,
    placeholder_added,
    printf_placeholder_added,
    tag_dropped,
    script_added,
    link_added,
    plain_text_gains_tags,
    plain_text_gains_escaped_tags,
    headline_too_long,
    picture_removed_since_export,
    plural_entry,
    header_in_another_language,
    header_in_an_unknown_language,
    header_without_language,
    declared_latin_1,
    saved_as_euc_jp,
    undeclared_shift_jis,
    garbage_bytes,
    garbage_without_nul,
    empty_file,
    not_a_po_file,
    header_only,
    huge_file,
]


@pytest.mark.parametrize("spoil", REJECTIONS, ids=lambda spoil: spoil.__name__)
def test_a_file_with_an_error_changes_nothing(
    spoil, korean_story, translator, tmp_path
):
    # Every other entry of the file is a valid translation: none is applied.
    catalogue = translate(export(korean_story).catalogue, korean_story)
    outcome = spoil(catalogue, korean_story)
    content, expected = outcome if isinstance(outcome, tuple) else (catalogue, outcome)
    before = snapshot(korean_story)
    report = import_file(save(content, tmp_path), translator)
    assert report.has_errors
    assert not report.is_applied
    assert expected in report_text(report)
    assert snapshot(korean_story) == before


def test_a_duplicate_entry_is_refused_with_both_line_numbers(
    korean_story, translator, tmp_path
):
    catalogue = translate(export(korean_story).catalogue, korean_story)
    first = _entry(catalogue, korean_story, "headline")
    catalogue.append(
        polib.POEntry(msgctxt=first.msgctxt, msgid=first.msgid, msgstr="二つ目")
    )
    path = save(catalogue, tmp_path)
    before = snapshot(korean_story)
    report = import_file(path, translator)
    first_line = report.entries[0].line
    duplicate = report.entries[-1]
    assert duplicate.status == po.EntryStatus.ERROR
    assert duplicate.messages == [
        f"Duplicate entry: line {first_line} already holds {first.msgctxt}."
    ]
    assert snapshot(korean_story) == before


def test_a_compiled_mo_file_is_refused(korean_story, translator, tmp_path):
    catalogue = translate(export(korean_story).catalogue, korean_story)
    mo = tmp_path / "stories.mo"
    catalogue.save_as_mofile(str(mo))
    before = snapshot(korean_story)
    report = import_file(save(mo.read_bytes(), tmp_path), translator)
    assert report.errors == [
        "This is a compiled .mo file: import the .po file instead."
    ]
    assert snapshot(korean_story) == before


def test_a_region_in_the_language_header_is_accepted(
    korean_story, translator, tmp_path
):
    catalogue = translate(export(korean_story).catalogue, korean_story)
    catalogue.metadata["Language"] = "ja_JP"
    report = import_file(save(catalogue, tmp_path), translator)
    assert not report.has_errors, report_text(report)
    assert report.language == "ja"


def test_a_translator_imports_only_into_their_languages_an_editor_into_any(
    korean_story, translator, en_translator, editor, tmp_path
):
    path = save(translate(export(korean_story).catalogue, korean_story), tmp_path)
    before = snapshot(korean_story)
    refused = import_file(path, en_translator)
    assert refused.errors == ["You may not import translations into Japanese."]
    assert snapshot(korean_story) == before
    assert import_file(path, editor).is_applied
    assert state(korean_story, "ja").translated_by == editor


def test_a_dry_run_reports_and_changes_nothing(korean_story, translator, tmp_path):
    path = save(translate(export(korean_story).catalogue, korean_story), tmp_path)
    before = snapshot(korean_story)
    report = import_file(path, translator, dry_run=True)
    assert not report.has_errors
    assert not report.is_applied
    assert {entry.status for entry in report.entries} == {po.EntryStatus.READY}
    assert "Checked only: nothing was changed." in report.summary()
    assert snapshot(korean_story) == before


def test_a_dry_run_reports_errors_too(korean_story, translator, tmp_path):
    catalogue = translate(export(korean_story).catalogue, korean_story)
    headline_too_long(catalogue, korean_story)
    report = import_file(save(catalogue, tmp_path), translator, dry_run=True)
    assert report.has_errors
    assert "Nothing was imported" in report.summary()


def test_a_slug_already_used_in_the_language_is_numbered(
    korean_story, translator, tmp_path
):
    ArticleFactory(headline_ja="同じ見出し", slug_ja=make_slug("同じ見出し"))
    catalogue = translate(
        export(korean_story).catalogue, korean_story, {"headline": "同じ見出し"}
    )
    assert import_file(save(catalogue, tmp_path), translator).is_applied
    assert (
        Article.objects.get(pk=korean_story.pk).slug_ja
        == make_slug("同じ見出し") + "-2"
    )


def test_a_slug_already_set_is_kept(korean_story, translator, editor, tmp_path):
    edit(korean_story, editor, slug_ja="my-slug")
    catalogue = translate(
        export(korean_story).catalogue, korean_story, {"headline": "見出し"}
    )
    assert import_file(save(catalogue, tmp_path), translator).is_applied
    assert Article.objects.get(pk=korean_story.pk).slug_ja == "my-slug"


# Over HTTP


def as_user(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


EXPORT_URL = reverse("admin:translations_export")
IMPORT_URL = reverse("admin:translations_import")
DASHBOARD_URL = reverse("admin:translations_translationstate_changelist")
STORIES_URL = reverse("admin:articles_article_changelist")


def downloaded(response, tmp_path) -> polib.POFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/x-gettext-translation; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="newsroom-ja-'
    )
    return polib.pofile(str(save(response.content, tmp_path, "download.po")))


def test_the_dashboard_export_link_downloads_a_catalogue(
    client, korean_story, translator, tmp_path
):
    response = as_user(client, translator).get(
        EXPORT_URL, {"language": "ja", "story": [korean_story.pk]}
    )
    catalogue = downloaded(response, tmp_path)
    assert context(korean_story, "headline") in by_context(catalogue)


def test_the_export_link_refuses_another_language(client, korean_story, translator):
    response = as_user(client, translator).get(
        EXPORT_URL, {"language": "en", "story": [korean_story.pk]}
    )
    assert response.status_code == 403


def test_the_export_link_refuses_people_who_do_not_translate(client, korean_story):
    reporter = UserFactory(username="reporter", role="reporter")
    response = as_user(client, reporter).get(
        EXPORT_URL, {"language": "ja", "story": [korean_story.pk]}
    )
    assert response.status_code == 403


def test_the_export_link_without_stories_goes_back_with_a_message(client, translator):
    response = as_user(client, translator).get(
        EXPORT_URL, {"language": "ja", "story": ["nope"]}, follow=True
    )
    assert response.redirect_chain[-1][0] == DASHBOARD_URL
    assert (
        "Choose a language and at least one existing story."
        in response.content.decode()
    )


def test_exporting_a_story_into_its_own_language_goes_back_with_a_message(
    client, korean_story, editor
):
    response = as_user(client, editor).get(
        EXPORT_URL, {"language": "ko", "story": [korean_story.pk]}, follow=True
    )
    html = response.content.decode()
    assert f"story {korean_story.pk} is written in Korean" in html
    assert "Nothing to export" in html


def test_the_story_list_action_exports_the_selected_stories(
    client, korean_story, editor, tmp_path
):
    other = ArticleFactory(source_language="ko", without_ja=True)
    response = as_user(client, editor).post(
        STORIES_URL,
        {"action": "export_po_ja", "_selected_action": [korean_story.pk, other.pk]},
    )
    entries = by_context(downloaded(response, tmp_path))
    assert context(korean_story, "body") in entries
    assert context(other, "body") in entries


def test_the_story_list_action_refuses_a_translator_of_another_language(
    client, korean_story, en_translator
):
    # The action is not offered to them; a forged post exports nothing.
    response = as_user(client, en_translator).post(
        STORIES_URL, {"action": "export_po_ja", "_selected_action": [korean_story.pk]}
    )
    assert response.status_code in (200, 302)
    assert "Content-Disposition" not in response
    assert b"msgctxt" not in response.content


def upload(content: bytes, name: str = "stories-ja.po") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/x-gettext-translation")


def test_the_import_form_checks_first_then_applies(client, korean_story, translator):
    content = str(translate(export(korean_story).catalogue, korean_story)).encode()
    as_user(client, translator)
    form = client.get(IMPORT_URL)
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.content.decode()
    assert "csrfmiddlewaretoken" in form.content.decode()

    before = snapshot(korean_story)
    checked = client.post(IMPORT_URL, {"file": upload(content)})
    html = checked.content.decode()
    assert checked.status_code == 200
    assert "ready to apply" in html
    assert "Checked only: nothing was changed." in html
    assert snapshot(korean_story) == before

    applied = client.post(IMPORT_URL, {"file": upload(content), "apply": "on"})
    html = applied.content.decode()
    assert applied.status_code == 200
    assert "Imported into 1 story." in html
    assert reverse("admin:articles_article_change", args=[korean_story.pk]) in html
    assert Article.objects.get(pk=korean_story.pk).headline_ja == JAPANESE["headline"]
    assert state(korean_story, "ja").status == Status.UP_TO_DATE


def test_the_import_form_reports_a_bad_file_without_changing_anything(
    client, korean_story, translator
):
    catalogue = translate(export(korean_story).catalogue, korean_story)
    tag_dropped(catalogue, korean_story)
    before = snapshot(korean_story)
    response = as_user(client, translator).post(
        IMPORT_URL, {"file": upload(str(catalogue).encode()), "apply": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: correct the errors and try again." in html
    assert "Keep the source&#x27;s HTML tags" in html
    assert snapshot(korean_story) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("garbage.po", bytes(range(256)) * 8, "holds binary data"),
        ("empty.po", b"", "The submitted file is empty."),
        ("notes.txt", b'msgid ""\nmsgstr ""\n', "Choose a .po, .xlf or .xliff file."),
        (
            "huge.po",
            b"# " + b"x" * (po.MAX_FILE_BYTES + 1),
            "The file is larger than 5 MB.",
        ),
        ("odd.po", b'msgid "unterminated\n', "syntax error at line 1"),
    ],
)
def test_the_import_form_never_fails_on_a_bad_upload(
    client, translator, name, content, message
):
    response = as_user(client, translator).post(
        IMPORT_URL, {"file": upload(content, name), "apply": "on"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_import_form_is_for_translators_and_editors_only(client):
    reporter = UserFactory(username="reporter", role="reporter")
    assert as_user(client, reporter).get(IMPORT_URL).status_code == 403


def test_a_file_saved_with_windows_line_ends_imports(
    korean_story, translator, tmp_path
):
    catalogue = translate(export(korean_story).catalogue, korean_story)
    content = str(catalogue).replace("\n", "\r\n").encode("utf-8")
    report = import_file(save(content, tmp_path), translator)
    assert not report.has_errors, report_text(report)
    story = Article.objects.get(pk=korean_story.pk)
    assert story.key_points_ja == JAPANESE["key_points"]


def test_a_charset_named_in_a_story_is_not_taken_for_the_files(
    korean_story, translator, editor, tmp_path
):
    edit(korean_story, editor, dek_ko="Content-Type: text/html; charset=EUC-KR 안내")
    catalogue = translate(
        export(korean_story).catalogue,
        korean_story,
        {"dek": "Content-Type: text/html; charset=EUC-KR の案内"},
    )
    report = import_file(save(catalogue, tmp_path), translator)
    assert not report.has_errors, report_text(report)


def test_a_picture_is_exported_in_each_storys_source_language(korean_story):
    english = ArticleFactory(
        source_language="en",
        headline_ja="",
        body_ja="",
        feature_image=korean_story.feature_image,
    )
    Image.objects.filter(pk=korean_story.feature_image_id).update(
        caption_en="Inside the finished tunnel"
    )
    entries = by_context(export(korean_story, english).catalogue)
    assert (
        entries[context(korean_story, "image.caption")].msgid == "완공된 빗물 터널 내부"
    )
    assert (
        entries[context(english, "image.caption")].msgid == "Inside the finished tunnel"
    )


@pytest.mark.parametrize("desk_language", ["ko", "ja"])
def test_every_comment_is_in_the_exporters_language(korean_story, desk_language):
    with translation.override(desk_language):
        catalogue = export(korean_story).catalogue
    comments = [line for entry in catalogue for line in entry.comment.splitlines()]
    assert comments
    # Numbers, names and placeholders aside, no comment is left in English.
    english = [
        line for line in comments if re.fullmatch(r"[ -~]*[A-Za-z]{4,}[ -~]*", line)
    ]
    assert english == []
