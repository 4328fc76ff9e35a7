"""The export_translations and import_translations commands: output and exit codes."""

from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from articles.models import Article
from articles.tests.factories import ArticleFactory
from translations.models import TranslationState
from translations.tests.test_po import (
    JAPANESE,
    MSGFMT,
    by_context,
    context,
    export,
    msgfmt_check,
    save,
    snapshot,
    translate,
)
from translations.tests.test_services import edit, state

pytestmark = pytest.mark.django_db
Status = TranslationState.Status


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def read(text: str, directory: Path) -> polib.POFile:
    # polib takes a string for a path or for content: always give it a path.
    return polib.pofile(str(save(text.encode("utf-8"), directory, "out.po")))


# Exporting


def test_export_writes_the_catalogue_to_stdout(korean_story, tmp_path):
    out, err = run(
        "export_translations", "--language", "ja", "--story", str(korean_story.pk)
    )
    catalogue = read(out, tmp_path)
    assert catalogue.metadata["Language"] == "ja"
    assert context(korean_story, "headline") in by_context(catalogue)
    # Headline, dek, key points, body; the picture's alt text, caption, credit.
    assert "7 entries of 1 story." in err


def test_export_writes_a_file_that_msgfmt_accepts(korean_story, tmp_path):
    target = tmp_path / "ja.po"
    out, err = run(
        "export_translations",
        "--language",
        "ja",
        "--story",
        str(korean_story.pk),
        "--output",
        str(target),
    )
    assert out == ""
    assert f"Wrote {target}" in err
    assert by_context(polib.pofile(str(target)))[
        context(korean_story, "body")
    ].msgid == (korean_story.body_ko)
    if MSGFMT:
        checked = msgfmt_check(target)
        assert checked.returncode == 0, checked.stderr


def test_export_takes_several_stories_and_filters_by_state(
    korean_story, translator, editor, tmp_path
):
    outdated = ArticleFactory(source_language="ko", without_ja=True)
    edit(
        outdated, translator, headline_ja="見出し", body_ja="<p>本文</p>", dek_ja="要約"
    )
    edit(outdated, editor, dek_ko="바뀐 요약.")
    assert state(outdated, "ja").status == Status.OUTDATED
    japanese = ArticleFactory(source_language="ja")

    out, _err = run(
        "export_translations",
        "--language",
        "ja",
        "--story",
        str(korean_story.pk),
        "--story",
        str(outdated.pk),
    )
    stories = {entry.msgctxt.split(":")[1] for entry in read(out, tmp_path)}
    assert stories == {str(korean_story.pk), str(outdated.pk)}

    out, _err = run("export_translations", "--language", "ja", "--state", "outdated")
    stories = {entry.msgctxt.split(":")[1] for entry in read(out, tmp_path)}
    assert stories == {str(outdated.pk)}

    out, _err = run("export_translations", "--language", "ja", "--state", "missing")
    stories = {entry.msgctxt.split(":")[1] for entry in read(out, tmp_path)}
    # The Japanese story has no Japanese translation to make.
    assert stories == {str(korean_story.pk)}
    assert str(japanese.pk) not in stories


def test_export_says_when_a_story_is_written_in_the_language(korean_story, tmp_path):
    out, err = run(
        "export_translations", "--language", "ko", "--story", str(korean_story.pk)
    )
    assert f"story {korean_story.pk} is written in Korean" in err
    assert len(read(out, tmp_path)) == 0


def test_export_refuses_an_unknown_story(db):
    with pytest.raises(CommandError, match="No such story: 999."):
        run("export_translations", "--language", "ja", "--story", "999")


def test_export_refuses_an_unknown_language(db):
    with pytest.raises(CommandError):
        run("export_translations", "--language", "fr")


# Importing


@pytest.fixture
def translated_file(korean_story, tmp_path) -> Path:
    return save(translate(export(korean_story).catalogue, korean_story), tmp_path)


def test_import_applies_the_file_and_prints_the_report(
    korean_story, translator, translated_file
):
    out, _err = run("import_translations", str(translated_file), "--user", "yuki")
    assert f"{context(korean_story, 'headline')}: applied" in out
    assert "Imported into 1 story." in out
    story = Article.objects.get(pk=korean_story.pk)
    assert story.headline_ja == JAPANESE["headline"]
    assert state(story, "ja").status == Status.UP_TO_DATE
    assert state(story, "ja").translated_by == translator


def test_import_dry_run_changes_nothing(korean_story, translator, translated_file):
    before = snapshot(korean_story)
    out, _err = run(
        "import_translations", str(translated_file), "--user", "yuki", "--dry-run"
    )
    assert f"{context(korean_story, 'headline')}: ready to apply" in out
    assert "Checked only: nothing was changed." in out
    assert snapshot(korean_story) == before


def test_import_exits_with_status_1_and_changes_nothing_on_errors(
    korean_story, translator, tmp_path, capsys
):
    catalogue = translate(export(korean_story).catalogue, korean_story)
    by_context(catalogue)[context(korean_story, "headline")].msgstr = "<b>見出し</b>"
    path = save(catalogue, tmp_path)
    before = snapshot(korean_story)
    out = StringIO()
    # run_from_argv turns the error's return code into the exit status; it is
    # not called here because it closes the database connection when done.
    with pytest.raises(CommandError) as error:
        call_command("import_translations", str(path), "--user", "yuki", stdout=out)
    assert error.value.returncode == 1
    assert str(error.value) == "The file has errors: nothing was imported."
    assert "This is plain text: remove the HTML tags." in out.getvalue()
    assert "Nothing was imported" in out.getvalue()
    assert snapshot(korean_story) == before


def test_import_succeeds_when_applied(korean_story, translator, translated_file):
    out, _err = run("import_translations", str(translated_file), "--user", "yuki")
    assert "Imported into 1 story." in out


def test_import_refuses_a_language_the_user_does_not_translate(
    korean_story, en_translator, translated_file
):
    before = snapshot(korean_story)
    with pytest.raises(CommandError) as error:
        run("import_translations", str(translated_file), "--user", "sam")
    assert error.value.returncode == 1
    assert snapshot(korean_story) == before


def test_import_refuses_an_unknown_user_or_file(translator, translated_file, tmp_path):
    with pytest.raises(CommandError, match="No such user: nobody."):
        run("import_translations", str(translated_file), "--user", "nobody")
    with pytest.raises(CommandError, match="No such file"):
        run("import_translations", str(tmp_path / "missing.po"), "--user", "yuki")


def test_import_reports_garbage_as_an_error(translator, tmp_path):
    path = save(b"\x00\x01garbage", tmp_path)
    with pytest.raises(CommandError):
        run("import_translations", str(path), "--user", "yuki")
