"""XLIFF 2.1: the export, its reading by another tool, the checked import, the desk."""

import io
import re
from html import escape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from lxml import etree

from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory
from core.richtext import sanitize_html
from translations import po, xliff
from translations.models import TranslationState
from translations.services import translation_refresh
from translations.tests.test_po import JAPANESE, snapshot
from translations.tests.test_services import edit, state, translate_image
from translations.xliff.export import NAMESPACE

pytestmark = pytest.mark.django_db
Status = TranslationState.Status
NS = {"x": NAMESPACE}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The Korean story's body as a translator's tool writes its one segment.
JAPANESE_BODY = '市の新しい雨水トンネルが<pc id="2">今日</pc>開通した。'
# A body with every kind of markup the editor makes.
RICH_BODY = (
    "<h2>항만 현황</h2>"
    '<p>부산항의 <strong>물동량</strong>이 <a href="https://port.example/?a=1&amp;b=2">'
    "통계</a>에 따르면 늘었다.<br>다음 달도 &lt;전망&gt; 밝다.</p>"
    '<figure data-image="42" data-alt="부두의 &quot;크레인&quot;">'
    "<figcaption>부두 전경<small>뉴스룸</small></figcaption></figure>"
    "<ul><li>첫째 <em>항목</em></li><li>둘째</li></ul>"
    "<p><ruby>漢<rt>한</rt></ruby>자 표기</p><hr>"
    "<blockquote><p>인용문</p></blockquote>"
)


@pytest.fixture(autouse=True)
def in_english():
    # Messages are asserted in English, whatever the catalogues hold.
    with translation.override("en"):
        yield


def export(*stories, language: str = "ja") -> xliff.XliffExport:
    return xliff.xliff_export(
        articles=Article.objects.filter(pk__in=[story.pk for story in stories]),
        language=language,
    )


def parse(content) -> etree._Element:
    if isinstance(content, xliff.XliffExport):
        content = content.content()
    return etree.fromstring(content, etree.XMLParser(resolve_entities=False))


def to_bytes(root) -> bytes:
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


def unit_of(root, story, key: str):
    found = root.find(f"x:file[@id='article-{story.pk}']/x:unit[@id='{key}']", NS)
    assert found is not None, key
    return found


def set_target(segment, fragment: str, state: str = "translated") -> None:
    """Write a target as a translator's tool does: codes by their source's ids."""
    for old in segment.findall("x:target", NS):
        segment.remove(old)
    segment.append(etree.fromstring(f'<target xmlns="{NAMESPACE}">{fragment}</target>'))
    segment.set("state", state)


def fill(root, story, texts=None, state: str = "translated"):
    """Translate the story's units: JAPANESE's texts, the body as JAPANESE_BODY."""
    for key, text in (JAPANESE if texts is None else texts).items():
        segments = unit_of(root, story, key).findall("x:segment", NS)
        if key == "body" and text == JAPANESE["body"]:
            fragments = [JAPANESE_BODY]
        elif key == "key_points":
            fragments = [escape(line, quote=False) for line in text.split("\n")]
        else:
            fragments = [escape(text, quote=False)]
        for segment, fragment in zip(segments, fragments, strict=True):
            set_target(segment, fragment, state)
    return root


def save(content, directory: Path, name: str = "stories-ja.xlf") -> Path:
    path = directory / name
    path.write_bytes(content if isinstance(content, bytes) else to_bytes(content))
    return path


def import_file(path: Path, user, dry_run: bool = False) -> po.ImportReport:
    return xliff.xliff_import(
        path=path, user=user, dry_run=dry_run, file_name=path.name
    )


def report_text(report: po.ImportReport) -> str:
    return "\n".join(report.lines())


def stored(story) -> Article:
    return Article.objects.select_related("feature_image").get(pk=story.pk)


# What the XLIFF 2 core says of a document, checked on what the export writes.

NMTOKEN = re.compile(r"[\w.\-:]+")
STATES = {"initial", "translated", "reviewed", "final"}
CORE_OF = {
    "xliff": {"file"},
    "file": {"skeleton", "notes", "unit", "group"},
    "unit": {"notes", "originalData", "segment", "ignorable"},
    "segment": {"source", "target"},
    "ignorable": {"source", "target"},
    "notes": {"note"},
    "originalData": {"data"},
}
ORDER = {
    "file": ["skeleton", "*", "notes", "unit|group"],
    "unit": ["*", "notes", "originalData", "segment|ignorable"],
    "segment": ["source", "target"],
    "ignorable": ["source", "target"],
}
INLINE = {"cp", "ph", "pc", "sc", "ec", "mrk", "sm", "em"}


def _local(element) -> str:
    return etree.QName(element).localname


def _core(element) -> bool:
    return etree.QName(element).namespace == NAMESPACE


def spec_problems(root) -> list[str]:
    """Return where `root` breaks the XLIFF 2.0/2.1 core's rules (none: [])."""
    problems = []
    if root.tag != f"{{{NAMESPACE}}}xliff":
        return [f"root {root.tag}"]
    if not root.get("version", "").startswith("2."):
        problems.append("version")
    if not root.get("srcLang"):
        problems.append("srcLang missing")
    files = [child for child in root if isinstance(child.tag, str)]
    if not files:
        problems.append("no file")
    file_ids = [file.get("id") for file in files]
    if len(set(file_ids)) != len(file_ids):
        problems.append("file ids not unique")
    for element in root.iter():
        if not isinstance(element.tag, str) or not _core(element):
            continue
        name = _local(element)
        allowed = CORE_OF.get(name)
        children = [c for c in element if isinstance(c.tag, str)]
        if allowed is not None:
            for child in children:
                if _core(child) and _local(child) not in allowed:
                    problems.append(f"<{_local(child)}> in <{name}>")
        if name in ORDER:
            places = []
            for child in children:
                slot = next(
                    index
                    for index, kinds in enumerate(ORDER[name])
                    if (kinds == "*" and not _core(child))
                    or (_core(child) and _local(child) in kinds.split("|"))
                )
                places.append(slot)
            if places != sorted(places):
                problems.append(f"children of <{name}> out of order")
        if name in ("file", "unit", "data", "pc", "ph", "sc") and not element.get("id"):
            problems.append(f"<{name}> without id")
        for attribute in ("id", "dataRef", "dataRefStart", "dataRefEnd"):
            value = element.get(attribute)
            if value is not None and not NMTOKEN.fullmatch(value):
                problems.append(f"{attribute}={value!r} is no NMTOKEN")
        if name == "file" and not any(_local(c) in ("unit", "group") for c in children):
            problems.append(f"file {element.get('id')} holds no unit")
        if name in ("segment", "ignorable"):
            kinds = [_local(c) for c in children]
            if kinds.count("source") != 1 or kinds.count("target") > 1:
                problems.append(f"{name} {element.get('id')}: source/target")
        if name == "segment":
            state = element.get("state", "initial")
            if state not in STATES:
                problems.append(f"state {state}")
            if state != "initial" and element.find("x:target", NS) is None:
                problems.append(f"segment {element.get('id')} {state} without target")
        if name == "unit":
            problems += _unit_problems(element)
    for file in files:
        ids = [unit.get("id") for unit in file.iter(f"{{{NAMESPACE}}}unit")]
        if len(set(ids)) != len(ids):
            problems.append(f"unit ids not unique in {file.get('id')}")
    return problems


def _unit_problems(unit) -> list[str]:
    problems = []
    if not [c for c in unit if _local(c) == "segment"]:
        problems.append(f"unit {unit.get('id')} has no segment")
    data = [d.get("id") for d in unit.findall("x:originalData/x:data", NS)]
    if len(set(data)) != len(data):
        problems.append("data ids not unique")
    # Segments, ignorables and the source's inline codes share one scope.
    ids = [c.get("id") for c in unit if _local(c) in ("segment", "ignorable")]
    for source in unit.iterfind("x:*/x:source", NS):
        for code in source.iter():
            if _local(code) in INLINE and code.get("id"):
                ids.append(code.get("id"))
            if _local(code) not in INLINE | {"source"}:
                problems.append(f"<{_local(code)}> inline")
            for attribute in ("dataRef", "dataRefStart", "dataRefEnd"):
                if code.get(attribute) and code.get(attribute) not in data:
                    problems.append(f"{attribute} {code.get(attribute)} not in data")
    ids = [i for i in ids if i]
    if len(set(ids)) != len(ids):
        problems.append(f"ids not unique in unit {unit.get('id')}")
    for segment in unit.iterfind("x:segment", NS):
        source_ids = {
            c.get("id") for c in segment.find("x:source", NS).iter() if c.get("id")
        }
        target = segment.find("x:target", NS)
        if target is not None:
            for code in target.iter():
                if code.get("id") and code.get("id") not in source_ids:
                    problems.append(f"target code {code.get('id')} not in source")
    return problems


# Export


def test_the_export_is_one_xliff_2_1_file_with_a_file_per_story_and_a_unit_per_field(
    korean_story,
):
    result = export(korean_story)
    root = parse(result)
    assert root.tag == f"{{{NAMESPACE}}}xliff"
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == (
        "2.1",
        "ko",
        "ja",
    )
    files = root.findall("x:file", NS)
    assert [file.get("id") for file in files] == [f"article-{korean_story.pk}"]
    assert f"Story {korean_story.pk}: {korean_story.headline_ko}" in [
        note.text for note in files[0].findall("x:notes/x:note", NS)
    ]
    assert [unit.get("id") for unit in files[0].findall("x:unit", NS)] == [
        "headline",
        "dek",
        "key_points",
        "body",
        "image.alt_text",
        "image.caption",
        "image.credit",
    ]
    headline = unit_of(root, korean_story, "headline")
    notes = {n.get("category"): n.text for n in headline.iterfind(".//x:note", NS)}
    assert notes["length"] == "At most 200 characters."
    assert notes["description"] == "The story's headline. Plain text, one line."
    segment = headline.find("x:segment", NS)
    assert segment.get("state") == "initial"
    assert segment.find("x:source", NS).text == korean_story.headline_ko
    assert segment.find("x:target", NS) is None
    # One segment per key point.
    points = unit_of(root, korean_story, "key_points").findall("x:segment", NS)
    assert [
        p.find("x:source", NS).text for p in points
    ] == korean_story.key_points_ko.split("\n")
    assert result.file_name.endswith(".xlf") and "-ko-ja-" in result.file_name
    assert result.unit_count == 7
    assert spec_problems(root) == []


def test_the_body_s_tags_are_inline_codes_with_their_html_as_original_data(
    korean_story,
):
    body = unit_of(parse(export(korean_story)), korean_story, "body")
    data = {d.get("id"): d.text for d in body.findall("x:originalData/x:data", NS)}
    segment = body.find("x:segment", NS)
    source = segment.find("x:source", NS)
    assert source.text == "도시의 새 빗물 터널이 "
    code = source.find("x:pc", NS)
    assert (data[code.get("dataRefStart")], data[code.get("dataRefEnd")]) == (
        "<strong>",
        "</strong>",
    )
    assert code.get("id") == "2" and code.text == "오늘"
    assert code.get("canDelete") == "no" and code.get("canCopy") == "no"
    # The paragraph's tags lie outside the segment, in ignorables.
    ignorables = body.findall("x:ignorable", NS)
    assert [data[i.find("x:source/x:ph", NS).get("dataRef")] for i in ignorables] == [
        "<p>",
        "</p>",
    ]
    assert "<" not in "".join(source.itertext())


def test_a_rich_body_exports_valid_segments_of_its_text(editor):
    story = ArticleFactory(source_language="ko", body_ko=RICH_BODY, without_ja=True)
    root = parse(export(story))
    assert spec_problems(root) == []
    body = unit_of(root, story, "body")
    sources = ["".join(s.itertext()) for s in body.iterfind("x:segment/x:source", NS)]
    assert sources == [
        "항만 현황",
        "부산항의 물동량이 통계에 따르면 늘었다.다음 달도 <전망> 밝다.",
        '부두의 "크레인"',
        "부두 전경",
        "뉴스룸",
        "첫째 항목",
        "둘째",
        "자 표기",
        "인용문",
    ]
    data = [d.text for d in body.iterfind("x:originalData/x:data", NS)]
    assert "<br>" in data and "</a>" in data
    assert any('<figure data-image="42"' in d for d in data)


def test_ids_are_stable_from_one_export_to_the_next(korean_story):
    first, second = parse(export(korean_story)), parse(export(korean_story))

    def ids(root):
        return [e.get("id") for e in root.iter() if e.get("id")]

    assert ids(first) == ids(second)


def test_stories_of_two_source_languages_are_refused_with_their_ids(korean_story):
    english = ArticleFactory(source_language="en", headline_ja="", body_ja="")
    with pytest.raises(xliff.MixedSourceLanguages) as refused:
        export(korean_story, english)
    message = str(refused.value)
    assert "one source language" in message
    assert f"English: {english.pk}" in message
    assert f"Korean: {korean_story.pk}" in message


def test_a_story_written_in_the_target_language_exports_nothing_and_says_so(
    korean_story,
):
    result = export(korean_story, language="ko")
    assert result.unit_count == 0
    assert f"story {korean_story.pk} is written in Korean" in result.skipped_message()


def test_states_follow_each_field_translated_outdated_machine(
    korean_story, translator, editor
):
    edit(
        korean_story,
        translator,
        **{f"{k}_ja": v for k, v in JAPANESE.items() if "." not in k},
    )
    translate_image(korean_story, "ja", editor)
    edit(korean_story, editor, key_points_ko="터널 길이 3킬로미터\n저장 용량 30만 톤")
    root = parse(export(korean_story))
    assert spec_problems(root) == []
    headline = unit_of(root, korean_story, "headline").find("x:segment", NS)
    assert headline.get("state") in ("translated", "reviewed", "final")
    assert headline.find("x:target", NS).text == JAPANESE["headline"]
    points = unit_of(root, korean_story, "key_points")
    # Only the changed point goes back to "initial", its old source in a note.
    assert [s.get("state") for s in points.findall("x:segment", NS)] == [
        "translated",
        "initial",
    ]
    notes = [n.text for n in points.iterfind("x:notes/x:note", NS)]
    assert "The source changed since this was translated." in notes
    assert "Segment s2 before the change: 저장 용량 20만 톤" in notes
    body = unit_of(root, korean_story, "body").find("x:segment", NS)
    target = etree.tostring(body.find("x:target", NS), encoding="unicode")
    assert '>市の新しい雨水トンネルが<pc id="2" dataRefStart="d2"' in target


def test_machine_output_is_exported_initial_with_a_note(
    korean_story, translator, editor
):
    edit(
        korean_story,
        translator,
        **{f"{k}_ja": v for k, v in JAPANESE.items() if "." not in k},
    )
    translate_image(korean_story, "ja", editor)
    before = stored(korean_story)
    story = stored(korean_story)
    story.body_ja = "<p>機械が<strong>訳した</strong>本文。</p>"
    story.save()
    translation_refresh(article=story, stored=before, machine="offline")
    body = unit_of(parse(export(story)), story, "body")
    assert body.find("x:segment", NS).get("state") == "initial"
    assert "Machine translation, not yet reviewed by a person." in [
        n.text for n in body.iterfind("x:notes/x:note", NS)
    ]


# An independent reader


def test_translate_toolkit_reads_the_export(korean_story, translator, editor):
    xliff2 = pytest.importorskip(
        "translate.storage.xliff2",
        reason="translate-toolkit (requirements-dev.txt) reads XLIFF 2",
    )
    edit(korean_story, translator, headline_ja=JAPANESE["headline"])
    store = xliff2.Xliff2File.parsestring(export(korean_story).content())
    assert (store.sourcelanguage, store.targetlanguage) == ("ko", "ja")
    assert store.getfilenames() == [f"article-{korean_story.pk}"]
    units = {unit.getid(): unit for unit in store.units}
    # Unit and segment: the body's paragraph is its one segment.
    assert list(units) == [
        "headline::s1",
        "dek::s1",
        "key_points::s1",
        "key_points::s2",
        "body::s1",
        "image.alt_text::s1",
        "image.caption::s1",
        "image.credit::s1",
    ]
    headline, body = units["headline::s1"], units["body::s1"]
    assert headline.source == korean_story.headline_ko
    assert headline.target == JAPANESE["headline"]
    assert headline.istranslated()
    assert body.source == "도시의 새 빗물 터널이 오늘 문을 열었다."
    assert not body.istranslated()
    codes = [
        (type(p).__name__, getattr(p, "id", None))
        for p in body.rich_source[0].depth_first()
    ]
    assert ("UnknownXML", "2") in codes
    assert headline.getunitelement().get("id") == "headline"


def test_a_file_translate_toolkit_wrote_imports(korean_story, translator, tmp_path):
    xliff2 = pytest.importorskip("translate.storage.xliff2")
    store = xliff2.Xliff2File.parsestring(export(korean_story).content())
    for unit in store.units:
        if unit.getid() == "headline::s1":
            unit.target = JAPANESE["headline"]
            unit.markfuzzy(False)
    path = tmp_path / "weblate-ja.xlf"
    path.write_bytes(bytes(store))
    report = import_file(path, translator)
    assert not report.has_errors, report_text(report)
    assert stored(korean_story).headline_ja == JAPANESE["headline"]


# Round trip


def test_the_round_trip_writes_the_translation_and_refreshes_the_state(
    korean_story, translator, tmp_path
):
    root = fill(parse(export(korean_story)), korean_story)
    path = save(root, tmp_path)
    checked = import_file(path, translator, dry_run=True)
    assert not checked.has_errors, report_text(checked)
    assert checked.count(po.EntryStatus.READY) == 7
    report = import_file(path, translator)
    assert not report.has_errors, report_text(report)
    assert report.is_applied and report.changed_stories == [korean_story.pk]
    assert report.language == "ja" and report.export_id
    story = stored(korean_story)
    assert story.headline_ja == JAPANESE["headline"]
    assert story.body_ja == JAPANESE["body"]
    assert story.key_points_ja == JAPANESE["key_points"]
    assert story.feature_image_caption_ja == JAPANESE["image.caption"]
    ja = state(korean_story, "ja")
    assert ja.status == Status.UP_TO_DATE
    assert ja.translated_by == translator
    # The next export carries it, every segment done.
    again = parse(export(korean_story))
    states = {s.get("state") for s in again.iterfind(".//x:segment", NS)}
    assert states <= {"translated", "reviewed", "final"}
    assert again.find(".//x:unit[@id='body']/x:segment/x:target", NS) is not None
    # And importing it changes nothing.
    unchanged = import_file(save(again, tmp_path, "again.xlf"), translator)
    assert not unchanged.has_errors, report_text(unchanged)
    assert unchanged.count(po.EntryStatus.UNCHANGED) == 7


def test_a_rich_body_round_trips_to_the_same_html(editor, tmp_path):
    story = ArticleFactory(source_language="ko", body_ko=RICH_BODY, without_ja=True)
    root = parse(export(story))
    body = unit_of(root, story, "body")
    for segment in body.iterfind("x:segment", NS):
        source = segment.find("x:source", NS)
        target = etree.fromstring(etree.tostring(source))
        target.tag = f"{{{NAMESPACE}}}target"
        for element in target.iter():
            if element.text:
                element.text = element.text.replace("부두", "埠頭")
        segment.append(target)
        segment.set("state", "translated")
    report = import_file(save(root, tmp_path), editor)
    assert not report.has_errors, report_text(report)
    expected = sanitize_html(RICH_BODY.replace("부두", "埠頭"))
    assert stored(story).body_ja == expected
    # The translation re-exports in the same shape, every target in place.
    again = unit_of(parse(export(story)), story, "body")
    assert all(
        s.find("x:target", NS) is not None for s in again.iterfind("x:segment", NS)
    )


def test_a_file_shaped_by_a_cat_tool_imports_cleanly(
    korean_story, translator, tmp_path
):
    other = ArticleFactory(source_language="ko", without_ja=True)
    root = parse(export(korean_story, other))
    fill(root, korean_story, state="final")
    fill(root, other, {"headline": "別の見出し"}, state="reviewed")
    # Files and units in another order, with notes, metadata and subStates.
    files = root.findall("x:file", NS)
    for file in files:
        root.remove(file)
        units = file.findall("x:unit", NS)
        for unit in units:
            file.remove(unit)
        for unit in reversed(units):
            file.append(unit)
        for note in file.iterfind(".//x:notes", NS):
            extra = etree.SubElement(note, f"{{{NAMESPACE}}}note", category="qa")
            extra.text = "Checked by the agency."
    for file in reversed(files):
        root.append(file)
    headline = unit_of(root, korean_story, "headline").find("x:segment", NS)
    headline.set("subState", "agency:signed-off")
    # A term annotation around a word, and a comment marker.
    body = unit_of(root, korean_story, "body").find("x:segment", NS)
    set_target(
        body,
        '市の新しい<mrk id="m1" type="term">雨水トンネル</mrk>が'
        '<pc id="2">今日</pc><sm id="c1" type="comment" value="ok"/>開通した。',
        "final",
    )
    # Pretty printed, blanks included, where whitespace is not kept.
    caption = unit_of(root, korean_story, "image.caption")
    caption.set(XML_SPACE, "default")
    caption_target = caption.find("x:segment/x:target", NS)
    caption_target.text = "\n        " + JAPANESE["image.caption"] + "\n      "
    etree.indent(root.find("x:file", NS).find("x:notes", NS), space="    ")
    report = import_file(save(root, tmp_path), translator)
    assert not report.has_errors, report_text(report)
    story = stored(korean_story)
    assert story.body_ja == JAPANESE["body"]
    assert story.feature_image_caption_ja == JAPANESE["image.caption"]
    assert stored(other).headline_ja == "別の見出し"
    # The report names the units by their lines in this file.
    lines = {entry.context: entry.line for entry in report.entries}
    written = parse((tmp_path / "stories-ja.xlf").read_bytes())
    line = unit_of(written, korean_story, "headline").sourceline
    assert lines[f"article:{korean_story.pk}:headline"] == line


def test_initial_segments_and_half_translated_units_are_skipped_and_said(
    korean_story, translator, tmp_path
):
    root = fill(parse(export(korean_story)), korean_story, {"dek": JAPANESE["dek"]})
    fill(root, korean_story, {"headline": JAPANESE["headline"]}, state="initial")
    points = unit_of(root, korean_story, "key_points").findall("x:segment", NS)
    set_target(points[0], "トンネルの長さ3キロ")
    report = import_file(save(root, tmp_path), translator)
    assert not report.has_errors, report_text(report)
    by_unit = {entry.unit_key: entry for entry in report.entries}
    assert by_unit["dek"].status == po.EntryStatus.APPLIED
    assert by_unit["headline"].status == po.EntryStatus.SKIPPED
    assert "s1 is in the state “initial”" in by_unit["headline"].messages[0]
    assert by_unit["key_points"].messages == [
        "Not imported: segment s2 has no translation."
    ]
    assert by_unit["body"].messages == ["Not translated."]
    story = stored(korean_story)
    assert story.dek_ja == JAPANESE["dek"]
    assert story.headline_ja == ""


def test_marking_an_outdated_segment_translated_confirms_it(
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
    root = parse(export(korean_story))
    dek = unit_of(root, korean_story, "dek").find("x:segment", NS)
    assert dek.get("state") == "initial"
    dek.set("state", "translated")  # the translator read it: still right
    report = import_file(save(root, tmp_path), translator)
    assert not report.has_errors, report_text(report)
    entry = next(e for e in report.entries if e.unit_key == "dek")
    assert entry.status == po.EntryStatus.APPLIED
    assert "Confirmed" in entry.notes[0]
    assert state(korean_story, "ja").status == Status.UP_TO_DATE


# Hostile and broken files: a clear error, nothing applied


def _exported(story) -> bytes:
    return to_bytes(fill(parse(export(story)), story))


def billion_laughs(story) -> bytes:
    entities = "".join(
        f'<!ENTITY l{n} "{"&l%s;" % (n - 1) * 10 if n else "lol"}">' for n in range(10)
    )
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE xliff [{entities}]>\n'
        f'<xliff xmlns="{NAMESPACE}" version="2.1" srcLang="ko" trgLang="ja">'
        "&l9;</xliff>"
    ).encode()


def external_entity(story) -> bytes:
    text = _exported(story).decode()
    return (
        text.replace(
            "<xliff ",
            '<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<xliff ',
            1,
        )
        .replace("市の", "&secret;市の")
        .encode()
    )


def xliff_1_2(story) -> bytes:
    return (
        b'<?xml version="1.0"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2"'
        b' version="1.2"><file source-language="ko" target-language="ja" '
        b'datatype="html" original="x"><body/></file></xliff>'
    )


def version_1_2_in_the_2_0_namespace(story) -> bytes:
    return _exported(story).replace(b'version="2.1"', b'version="1.2"')


def no_target_language(story) -> bytes:
    return _exported(story).replace(b' trgLang="ja"', b"")


def another_target_language(story) -> bytes:
    return _exported(story).replace(b'trgLang="ja"', b'trgLang="en"')


def code_removed(story) -> bytes:
    root = fill(parse(export(story)), story)
    set_target(
        unit_of(root, story, "body").find("x:segment", NS), "市の新しいトンネルが開通"
    )
    return to_bytes(root)


def code_added(story) -> bytes:
    root = fill(parse(export(story)), story)
    set_target(
        unit_of(root, story, "body").find("x:segment", NS),
        '市の<pc id="2">今日</pc><ph id="9"/>開通',
    )
    return to_bytes(root)


def codes_reordered(story) -> bytes:
    edit(
        story,
        UserFactory(role="editor"),
        body_ko="<p><em>한</em> 그리고 <strong>둘</strong></p>",
    )
    root = fill(parse(export(story)), story)
    set_target(
        unit_of(root, story, "body").find("x:segment", NS),
        '<pc id="3">二</pc>と<pc id="2">一</pc>',
    )
    return to_bytes(root)


def unit_of_another_story(story) -> bytes:
    other = ArticleFactory(source_language="ko", without_ja=True)
    root = fill(parse(export(story, other)), story)
    # The story's headline put into the other story's file.
    headline = unit_of(root, story, "headline")
    their = unit_of(root, other, "headline")
    their.getparent().replace(their, headline)
    return to_bytes(root)


def duplicate_unit(story) -> bytes:
    root = fill(parse(export(story)), story)
    headline = unit_of(root, story, "headline")
    headline.addnext(etree.fromstring(etree.tostring(headline)))
    return to_bytes(root)


def unit_without_id(story) -> bytes:
    root = fill(parse(export(story)), story)
    del unit_of(root, story, "dek").attrib["id"]
    return to_bytes(root)


def unknown_unit(story) -> bytes:
    root = fill(parse(export(story)), story)
    unit_of(root, story, "dek").set("id", "summary")
    return to_bytes(root)


def file_of_no_story(story) -> bytes:
    return _exported(story).replace(f'id="article-{story.pk}"'.encode(), b'id="f1"')


def not_xml(story) -> bytes:
    return b'msgid ""\nmsgstr ""\n'


def broken_xml(story) -> bytes:
    return _exported(story).replace(b"</unit>", b"</unitt>", 1)


def source_edited(story) -> bytes:
    return _exported(story).replace(
        "<source>해안 도시".encode(), "<source>해안 마을".encode(), 1
    )


HOSTILE = [
    (billion_laughs, "declares a document type or entities (line 2)"),
    (external_entity, "declares a document type or entities (line"),
    (xliff_1_2, "This is not an XLIFF 2 file (version 1.2"),
    (version_1_2_in_the_2_0_namespace, "This is XLIFF version 1.2"),
    (no_target_language, "does not say its target language (trgLang)"),
    (another_target_language, "You may not import translations into English."),
    (code_removed, "the target lacks the source's inline code 2 <strong>…</strong>"),
    (code_added, "inline code 9 is not in the segment's source"),
    (codes_reordered, "keep the inline codes in the source's order"),
    (unit_of_another_story, "The source text changed since the export"),
    (duplicate_unit, "Duplicate entry: line"),
    (unit_without_id, "This unit has no id"),
    (unknown_unit, "Unknown field “summary”."),
    (file_of_no_story, "names no story of the newsroom"),
    (not_xml, "This is not an XLIFF file: it is not XML."),
    (broken_xml, "This is not well-formed XML: the error is at line"),
    (source_edited, "The source text changed since the export"),
]


@pytest.mark.parametrize(
    ("make", "message"), HOSTILE, ids=[make.__name__ for make, _m in HOSTILE]
)
def test_a_hostile_or_broken_file_is_refused_clearly_and_changes_nothing(
    korean_story, translator, tmp_path, make, message
):
    content = make(korean_story)
    before = snapshot(korean_story)
    report = import_file(save(content, tmp_path), translator)
    text = report_text(report)
    assert report.has_errors and not report.is_applied, text
    assert message in text
    # Every error names a line, or is about the whole file.
    for error in report.errors:
        assert re.search(r"line \d|XML|XLIFF|trgLang|translations into", error, re.I)
    for entry in report.entries:
        if entry.status == po.EntryStatus.ERROR:
            assert entry.line > 0
    assert snapshot(korean_story) == before


def test_a_file_over_the_size_limit_is_refused_unread(translator, tmp_path):
    path = tmp_path / "huge.xlf"
    path.write_bytes(b"<" + b"x" * po.MAX_FILE_BYTES)
    assert import_file(path, translator).errors == ["The file is larger than 5 MB."]


# The desk


def as_user(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


EXPORT_URL = reverse("admin:translations_export_xliff")
IMPORT_URL = reverse("admin:translations_import")
DASHBOARD_URL = reverse("admin:translations_translationstate_changelist")
STORIES_URL = reverse("admin:articles_article_changelist")


def downloaded(response) -> etree._Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xliff+xml; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="newsroom-ko-ja-'
    )
    assert response["Content-Disposition"].endswith('.xlf"')
    return parse(response.content)


def test_the_dashboard_links_and_export_button_download_xliff(
    client, korean_story, translator
):
    html = as_user(client, translator).get(DASHBOARD_URL).content.decode()
    assert "Export XLIFF" in html
    assert f'formaction="{EXPORT_URL}"' in html
    root = downloaded(
        client.get(EXPORT_URL, {"language": "ja", "story": [korean_story.pk]})
    )
    assert unit_of(root, korean_story, "headline") is not None


def test_the_export_link_keeps_the_po_permissions(client, korean_story, translator):
    response = as_user(client, translator).get(
        EXPORT_URL, {"language": "en", "story": [korean_story.pk]}
    )
    assert response.status_code == 403
    reporter = UserFactory(username="reporter", role="reporter")
    response = as_user(client, reporter).get(
        EXPORT_URL, {"language": "ja", "story": [korean_story.pk]}
    )
    assert response.status_code == 403


def test_the_story_list_offers_an_xliff_action_per_language(
    client, korean_story, editor, en_translator
):
    other = ArticleFactory(source_language="ko", without_ja=True)
    response = as_user(client, editor).post(
        STORIES_URL,
        {"action": "export_xliff_ja", "_selected_action": [korean_story.pk, other.pk]},
    )
    root = downloaded(response)
    assert {f.get("id") for f in root.findall("x:file", NS)} == {
        f"article-{korean_story.pk}",
        f"article-{other.pk}",
    }
    html = as_user(client, en_translator).get(STORIES_URL).content.decode()
    assert 'value="export_xliff_en"' in html
    assert 'value="export_xliff_ja"' not in html
    forged = client.post(
        STORIES_URL,
        {"action": "export_xliff_ja", "_selected_action": [korean_story.pk]},
    )
    assert "Content-Disposition" not in forged


def test_exporting_stories_of_two_languages_goes_back_with_a_message(
    client, korean_story, editor
):
    english = ArticleFactory(source_language="en", headline_ja="", body_ja="")
    response = as_user(client, editor).post(
        STORIES_URL,
        {
            "action": "export_xliff_ja",
            "_selected_action": [korean_story.pk, english.pk],
        },
        follow=True,
    )
    assert "Content-Disposition" not in response
    assert "An XLIFF file holds stories of one source language" in (
        response.content.decode()
    )


def test_the_import_page_checks_then_applies_an_xliff_file(
    client, korean_story, translator
):
    content = to_bytes(fill(parse(export(korean_story)), korean_story))
    as_user(client, translator)
    form = client.get(IMPORT_URL).content.decode()
    assert 'accept=".po,.xlf,.xliff"' in form
    before = snapshot(korean_story)

    def upload(name):
        return SimpleUploadedFile(name, content, content_type="application/xml")

    checked = client.post(IMPORT_URL, {"file": upload("stories-ja.xlf")})
    assert "Checked only: nothing was changed." in checked.content.decode()
    assert snapshot(korean_story) == before
    # XML under another name is read as XLIFF too.
    applied = client.post(IMPORT_URL, {"file": upload("stories.po"), "apply": "on"})
    assert "Imported into 1 story." in applied.content.decode()
    assert stored(korean_story).body_ja == JAPANESE["body"]


def test_the_import_page_reports_a_hostile_xliff_file(client, korean_story, translator):
    response = as_user(client, translator).post(
        IMPORT_URL,
        {
            "file": SimpleUploadedFile("bomb.xliff", billion_laughs(korean_story)),
            "apply": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "declares a document type or entities" in html


def test_the_commands_export_and_import_xliff(korean_story, translator, tmp_path):
    path = tmp_path / "out.xlf"
    call_command(
        "export_translations",
        "--language=ja",
        "--format=xliff",
        "--source-language=ko",
        f"--output={path}",
        stderr=io.StringIO(),
    )
    root = fill(parse(path.read_bytes()), korean_story)
    save(root, tmp_path, "out.xlf")
    call_command(
        "import_translations",
        str(path),
        "--user=yuki",
        stdout=io.StringIO(),
    )
    assert stored(korean_story).headline_ja == JAPANESE["headline"]


def test_codes_split_into_start_and_end_by_a_tool_import(
    korean_story, translator, tmp_path
):
    root = fill(parse(export(korean_story)), korean_story)
    set_target(
        unit_of(root, korean_story, "body").find("x:segment", NS),
        '市の新しい雨水トンネルが<sc id="2"/>今日<ec startRef="2"/>開通した。',
    )
    report = import_file(save(root, tmp_path), translator)
    assert not report.has_errors, report_text(report)
    assert stored(korean_story).body_ja == JAPANESE["body"]


def test_braces_that_read_as_placeholders_still_round_trip(editor, tmp_path):
    body = "<p>{1} 그리고 <strong>{/1} 굵게</strong> {2/}</p>"
    story = ArticleFactory(source_language="ko", body_ko=body, without_ja=True)
    root = parse(export(story))
    assert spec_problems(root) == []
    # Read as tags and text, the whole body is one segment.
    segments = unit_of(root, story, "body").findall("x:segment", NS)
    assert len(segments) == 1
    for segment in segments:
        source = segment.find("x:source", NS)
        target = etree.fromstring(etree.tostring(source))
        target.tag = f"{{{NAMESPACE}}}target"
        for element in target.iter():
            element.text = element.text and element.text.replace("그리고", "と")
            element.tail = element.tail and element.tail.replace("그리고", "と")
        segment.append(target)
        segment.set("state", "translated")
    report = import_file(save(root, tmp_path), editor)
    assert not report.has_errors, report_text(report)
    assert stored(story).body_ja == sanitize_html(body.replace("그리고", "と"))
