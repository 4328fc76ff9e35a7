"""PO imports: hostile files are refused before parsing, large honest ones pass.

Each hostile shape used to hold a worker for seconds to hours; here the
report must name the file, the line and the limit, and nothing is written.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from articles.models import Article
from articles.tests.factories import ArticleFactory
from images.tests.factories import ImageFactory
from translations.tests.test_po import (
    IMPORT_URL,
    JAPANESE,
    as_user,
    by_context,
    context,
    export,
    import_file,
    report_text,
    save,
    snapshot,
    translate,
    upload,
)

pytestmark = pytest.mark.django_db

HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: ja\\n"\n'
    "\n"
)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def refused(story, content: str | bytes, translator, tmp_path) -> list[str]:
    """Import `content` and return the file's errors, checking nothing changed."""
    before = snapshot(story)
    report = import_file(save(content, tmp_path), translator)
    assert report.has_errors
    assert not report.is_applied
    assert report.entries == [], report_text(report)[:2000]
    assert snapshot(story) == before
    return report.errors


def long_msgid(story) -> str:
    """One entry whose msgid spans 1.2 million continuation lines (4.8 MB)."""
    return (
        f'{HEADER}msgctxt "{context(story, "body")}"\nmsgid ""\n'
        + '"a"\n' * 1_200_000
        + 'msgstr "b"\n'
    )


def test_a_msgid_over_a_million_continuation_lines_is_refused_at_the_limit(
    korean_story, translator, tmp_path
):
    content = long_msgid(korean_story)
    assert 4_700_000 < len(content) < 5 * 1024 * 1024
    # The msgid starts at line 7; its 4 001st line is line 4 007.
    assert refused(korean_story, content, translator, tmp_path) == [
        "stories-ja.po, line 4007: the text starting at line 7 runs over more "
        "than 4,000 lines."
    ]


def test_a_hundred_thousand_tiny_entries_are_refused_past_the_entry_limit(
    korean_story, translator, tmp_path
):
    content = HEADER + "".join(
        f'msgctxt "article:{number}:dek"\nmsgid "a"\nmsgstr "b"\n\n'
        for number in range(1, 100_001)
    )
    assert len(content) < 5 * 1024 * 1024
    # Entry n starts at line 6 + 4 (n - 1): entry 4 001 at line 16 006.
    assert refused(korean_story, content, translator, tmp_path) == [
        "stories-ja.po, line 40006: a file may hold at most 10,000 entries: "
        "export fewer stories at a time."
    ]


def test_a_five_megabyte_single_line_msgstr_is_refused(
    korean_story, translator, tmp_path
):
    start = (
        f'{HEADER}msgctxt "{context(korean_story, "body")}"\n'
        f'msgid "{korean_story.body_ko}"\nmsgstr "'
    )
    content = start + "b" * (5 * 1024 * 1024 - len(start.encode()) - 2) + '"\n'
    assert len(content.encode()) == 5 * 1024 * 1024
    assert refused(korean_story, content, translator, tmp_path) == [
        "stories-ja.po, line 8: the text starting at line 8 is longer than "
        "200,000 characters."
    ]


def test_escapes_count_as_the_characters_they_stand_for(
    korean_story, translator, tmp_path
):
    # 150 000 line breaks written as 300 000 characters: within the limit.
    body = "\\n" * 150_000
    content = (
        f'{HEADER}msgctxt "{context(korean_story, "dek")}"\n'
        f'msgid "{korean_story.dek_ko}"\nmsgstr "{body}"\n'
    )
    report = import_file(save(content, tmp_path), translator)
    assert report.errors == []
    assert [entry.messages for entry in report.entries] == [["Not translated."]]


def test_an_entry_under_200_000_comment_lines_is_refused_at_the_limit(
    korean_story, translator, tmp_path
):
    content = (
        HEADER
        + "# a\n" * 200_000
        + f'msgctxt "{context(korean_story, "dek")}"\nmsgid "a"\nmsgstr "b"\n'
    )
    assert refused(korean_story, content, translator, tmp_path) == [
        "stories-ja.po, line 4006: the comments starting at line 6 run over more "
        "than 4,000 lines."
    ]


def test_comments_longer_than_a_text_may_be_are_refused(
    korean_story, translator, tmp_path
):
    content = (
        HEADER
        + ("#. " + "a" * 99_997 + "\n") * 3
        + f'msgctxt "{context(korean_story, "dek")}"\nmsgid "a"\nmsgstr "b"\n'
    )
    assert refused(korean_story, content, translator, tmp_path) == [
        "stories-ja.po, line 8: the comments starting at line 6 are longer than "
        "200,000 characters."
    ]


def test_a_file_of_more_than_200_000_lines_is_refused(
    korean_story, translator, tmp_path
):
    content = (
        HEADER
        + "\n" * 250_000
        + f'msgctxt "{context(korean_story, "dek")}"\nmsgid "a"\nmsgstr "b"\n'
    )
    assert refused(korean_story, content, translator, tmp_path) == [
        "stories-ja.po, line 200001: a file may have at most 200,000 lines."
    ]


def test_a_header_of_thousands_of_lines_is_refused(korean_story, translator, tmp_path):
    content = (
        'msgid ""\nmsgstr ""\n"Language: ja\\n' + "\\n" * 20_000 + '"\n\n'
        f'msgctxt "{context(korean_story, "dek")}"\nmsgid "a"\nmsgstr "b"\n'
    )
    assert refused(korean_story, content, translator, tmp_path) == [
        "stories-ja.po, line 3: the header is longer than 10,000 characters."
    ]


def test_comments_inside_an_entry_are_a_syntax_error(
    korean_story, translator, tmp_path
):
    # polib would gather every comment and msgid below into one entry.
    content = (
        f'{HEADER}msgctxt "{context(korean_story, "dek")}"\nmsgid "a"\n'
        + '# a\nmsgid "a"\n' * 100_000
        + 'msgstr "b"\n'
    )
    assert refused(korean_story, content, translator, tmp_path) == [
        "This is not a valid PO file: syntax error at line 8."
    ]


def test_an_entry_without_msgstr_is_a_syntax_error(korean_story, translator, tmp_path):
    content = f'{HEADER}msgctxt "{context(korean_story, "dek")}"\nmsgid "a"\n'
    assert refused(korean_story, content, translator, tmp_path) == [
        "This is not a valid PO file: syntax error at line 7."
    ]


def test_a_charset_sniff_over_a_long_line_ends(korean_story, translator, tmp_path):
    content = b"Content-Type:" * 400_000
    assert len(content) < 5 * 1024 * 1024
    assert refused(korean_story, content, translator, tmp_path) == [
        "This is not a valid PO file: syntax error at line 1."
    ]


@pytest.mark.parametrize(
    "markup", ["<a" * 100_000, "</" * 100_000, "<?" * 100_000, '<a b=">"' * 25_000]
)
def test_a_translation_of_stray_angle_brackets_is_checked_like_any_other(
    markup, korean_story, translator, tmp_path
):
    catalogue = translate(export(korean_story).catalogue, korean_story)
    by_context(catalogue)[context(korean_story, "body")].msgstr = markup
    before = snapshot(korean_story)
    report = import_file(save(catalogue, tmp_path), translator)
    assert report.has_errors
    (body,) = [
        entry
        for entry in report.entries
        if entry.context == context(korean_story, "body")
    ]
    assert body.messages[0].startswith(
        "Keep the source's HTML tags, in the same order: at tag 1 the source has "
        "<p>, the translation "
    )
    assert snapshot(korean_story) == before


def long_read() -> Article:
    """A Korean story with a body of 108 000 characters, on some 1 500 lines."""
    paragraph = "<p>" + "부산항의 새 빗물 터널은 장마철 침수를 막는다. " * 100 + "</p>"
    return ArticleFactory(
        source_language="ko",
        body_ko=paragraph * 40,
        without_ja=True,
        without_en=True,
        feature_image=ImageFactory(alt_text_ja="", caption_ko="터널 내부"),
    )


def test_an_export_of_several_stories_with_a_long_read_round_trips(
    korean_story, translator, tmp_path
):
    long = long_read()
    other = ArticleFactory(source_language="ko", without_ja=True, without_en=True)
    result = export(korean_story, long, other)
    assert (
        "A file to import may have at most 5 MB and 200,000 lines, and hold at "
        "most 10,000 entries; one text, or the comments of one entry, at most "
        "200,000 characters on 4,000 lines."
    ) in result.catalogue.header
    catalogue = translate(result.catalogue, korean_story)
    sentence = "釜山港の新しい雨水トンネルは梅雨の浸水を防ぐ。"
    long_japanese = ("<p>" + sentence * 100 + "</p>") * 40
    for entry in catalogue:
        if entry.msgctxt == context(long, "body"):
            entry.msgstr = long_japanese
        elif entry.msgctxt.startswith((f"article:{long.pk}:", f"article:{other.pk}:")):
            # Same tags and placeholders as the source: a valid translation.
            entry.msgstr = entry.msgid
    path = save(catalogue, tmp_path)
    assert path.read_text(encoding="utf-8").count("\n") > 1_000

    report = import_file(path, translator)

    assert not report.has_errors, report_text(report)
    assert set(report.changed_stories) == {korean_story.pk, long.pk, other.pk}
    assert Article.objects.get(pk=long.pk).body_ja == long_japanese
    assert Article.objects.get(pk=other.pk).headline_ja == other.headline_ko
    assert Article.objects.get(pk=korean_story.pk).headline_ja == JAPANESE["headline"]


def test_the_upload_form_reports_a_hostile_file_and_changes_nothing(
    client, korean_story, translator
):
    before = snapshot(korean_story)
    response = as_user(client, translator).post(
        IMPORT_URL,
        {
            "file": upload(long_msgid(korean_story).encode(), "hostile.po"),
            "apply": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "hostile.po, line 4007: the text starting at line 7 runs over more than "
        "4,000 lines."
    ) in html
    assert "Nothing was imported: correct the errors and try again." in html
    assert snapshot(korean_story) == before


def test_the_command_reports_a_hostile_file_and_exits_with_status_1(
    korean_story, translator, tmp_path
):
    path = save(long_msgid(korean_story), tmp_path, "hostile.po")
    before = snapshot(korean_story)
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_translations", str(path), "--user", "yuki", stdout=out)
    assert error.value.returncode == 1
    assert (
        "error: hostile.po, line 4007: the text starting at line 7 runs over more "
        "than 4,000 lines."
    ) in out.getvalue().splitlines()
    assert snapshot(korean_story) == before
