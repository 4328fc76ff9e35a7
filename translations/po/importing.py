"""The import: read a translated file, check every entry, apply all or nothing.

An import checks every entry before it changes anything, then writes the
target language only, in one transaction, or nothing at all. The file is
checked line by line against the limits before polib parses it, once.
"""

import re
from pathlib import Path
from typing import Protocol

import polib
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from articles import revisions
from articles.models import Article
from articles.services import article_save_versions
from core.languages import LANGUAGE_CODES, language_name
from translations.models import TranslationState
from translations.po.checks import CONTEXT, check_entries, check_stories
from translations.po.limits import (
    MAX_FILE_BYTES,
    RefusedFile,
    catalogue_lines,
    too_big_message,
)
from translations.po.permissions import can_exchange
from translations.po.report import (
    EntryResult,
    EntryStatus,
    ImportReport,
    ready_by_story,
)
from translations.services import (
    field_translations_save,
    translation_refresh_stories,
)
from translations.units import UNITS, fingerprint, parts_save, unit_for_key

# The first four bytes of a compiled catalogue, in either byte order.
MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")
CONTENT_TYPE = b"content-type:"
CHARSET = re.compile(rb"charset\s*=\s*([^\s\"\\;]+)", re.I)
# The header entry ends at the first blank line.
BLANK_LINE = re.compile(rb"\r?\n[ \t]*\r?\n")


class Entry(Protocol):
    """What the checks read of an entry: polib's POEntry has these."""

    msgctxt: str | None  # "article:<id>:<unit>"
    msgid: str  # the source text it was translated from
    msgstr: str  # the translation ("" when not translated)
    msgid_plural: str  # "" (stories have no plurals)
    flags: list[str]  # "fuzzy" when not to be imported yet
    obsolete: bool
    linenum: int


@transaction.atomic
def translation_import(
    *, path: str | Path, user, dry_run: bool = False, file_name: str = ""
) -> ImportReport:
    """Check a translated PO file, then apply it in full, or not at all.

    `path` is a file on disk (an upload is first written to a temporary
    file): the parser is never handed text it could take for a path.
    """
    path = Path(path)
    report = ImportReport(file_name=file_name or path.name, is_dry_run=dry_run)
    catalogue = _read_catalogue(path, report)
    if catalogue is None:
        return report
    language = _check_header(catalogue, user, report)
    if language is None:
        return report
    entries = [
        (entry, EntryResult(line=entry.linenum, context=entry.msgctxt or ""))
        for entry in catalogue
    ]
    return import_entries(
        entries=entries, language=language, user=user, report=report, dry_run=dry_run
    )


def import_entries(
    *,
    entries: list[tuple[Entry, EntryResult]],
    language: str,
    user,
    report: ImportReport,
    dry_run: bool,
) -> ImportReport:
    """Check read entries, then apply them in full, or not at all.

    The part every file format shares: a PO catalogue and an XLIFF file each
    read their entries into `Entry`s, and from here on are handled alike.
    Runs in the caller's transaction (the importers are atomic).
    """
    report.entries = [result for _entry, result in entries]
    if not entries:
        report.errors.append(gettext("The file holds no entries."))
        return report
    articles = _load_articles(entries, lock=not dry_run)
    check_entries(entries, articles, language)
    check_stories(report, articles, language)
    if report.has_errors or dry_run:
        return report
    _apply(report, articles, language, user)
    return report


def _read_catalogue(path: Path, report: ImportReport) -> polib.POFile | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.errors.append(too_big_message())
            return None
        data = path.read_bytes()
    except OSError:
        report.errors.append(gettext("The file cannot be read."))
        return None
    if not data.strip():
        report.errors.append(gettext("The file is empty."))
        return None
    if data[:4] in MO_MAGIC:
        report.errors.append(
            gettext("This is a compiled .mo file: import the .po file instead.")
        )
        return None
    if b"\x00" in data:
        report.errors.append(gettext("This is not a PO file: it holds binary data."))
        return None
    charset = declared_charset(data)
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        report.errors.append(
            gettext(
                "The file is encoded in %(charset)s: save it as UTF-8 and "
                "import it again."
            )
            % {"charset": charset}
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        report.errors.append(
            gettext(
                "The file is not UTF-8 text (byte %(position)s): save it as "
                "UTF-8 and import it again."
            )
            % {"position": error.start + 1}
        )
        return None
    try:
        lines = catalogue_lines(text, file_name=report.file_name)
    except RefusedFile as error:
        report.errors.append(str(error))
        return None
    try:
        return polib.pofile(_Lines(lines), encoding="utf-8")
    except (OSError, ValueError, UnicodeError) as error:
        line = re.search(r"line (\d+)", str(error))
        report.errors.append(
            gettext("This is not a valid PO file: syntax error at line %(line)s.")
            % {"line": line.group(1)}
            if line
            else gettext("This is not a valid PO file.")
        )
        return None


def declared_charset(data: bytes) -> str:
    """Return the charset the header's Content-Type names, or ""."""
    for line in BLANK_LINE.split(data, maxsplit=1)[0].splitlines():
        # Searched line by line from its one Content-Type: a pattern spanning
        # the two could try every "Content-Type:" of a long line to its end.
        start = line.lower().find(CONTENT_TYPE)
        if start < 0:
            continue
        value = line[start + len(CONTENT_TYPE) :].split(b'"', 1)[0]
        declared = CHARSET.search(value)
        if declared:
            return declared.group(1).decode("ascii", "replace")
    return ""


class _Lines:
    """The lines of a checked file, as polib reads them.

    polib takes a str for the path of a file whenever one of that name
    exists; this is not a str, so it is always read as content.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def splitlines(self) -> list[str]:
        return self.lines


def _check_header(catalogue, user, report: ImportReport) -> str | None:
    report.export_id = catalogue.metadata.get("X-Export-Id", "").strip()
    return target_language(
        catalogue.metadata.get("Language", ""),
        user,
        report,
        missing=gettext("The file does not say its language (the Language header)."),
    )


def target_language(declared: str, user, report: ImportReport, *, missing: str):
    """Return the newsroom language a file declares, if `user` may import it.

    Else note why on `report` (`missing` when it declares none) and return
    None. A region or script ("ja_JP", "ja-JP") is fine: the newsroom's
    languages have none.
    """
    declared = declared.strip()
    code = re.split(r"[_\-@.]", declared, maxsplit=1)[0].lower() if declared else ""
    if not code:
        report.errors.append(missing)
        return None
    if code not in LANGUAGE_CODES:
        report.errors.append(
            gettext("The newsroom does not publish in %(language)s.")
            % {"language": declared}
        )
        return None
    report.language = code
    if not can_exchange(user, code):
        report.errors.append(
            gettext("You may not import translations into %(language)s.")
            % {"language": language_name(code)}
        )
        return None
    return code


def _load_articles(entries, *, lock: bool) -> dict[int, Article]:
    ids = set()
    for entry, _result in entries:
        match = CONTEXT.match(entry.msgctxt or "")
        if match:
            ids.add(int(match.group(1)))
    # The story's parts, read once for all the stories: what its units and
    # its revision read.
    stories = (
        Article.objects.filter(pk__in=ids)
        .select_related("feature_image")
        .prefetch_related(*revisions.STORY_PARTS)
    )
    if lock:
        # The source read now is the source the texts are checked against.
        stories = stories.select_for_update(of=("self",))
    return {story.pk: story for story in stories.order_by("pk")}


def _apply(report: ImportReport, articles, language: str, user) -> None:
    """Write the checked texts: one revision per story, every state refreshed.

    A picture's words are the story's own fields, written with the rest of
    the story (check_stories put every text in place). The stories are
    written one save each (what search and the picture records hear), their
    revisions and states for all of them at once.
    """
    ready = ready_by_story(report)
    now = timezone.now()
    # The stories as stored before this write: what the states compare against.
    stored = (
        Article.objects.select_related("feature_image")
        # Their links and corrections as they read before, read now.
        .prefetch_related("external_links", "corrections")
        .in_bulk(list(ready))
    )
    comment = revisions.note("imported", language=language, file=report.file_name)
    _confirm(
        {
            article_id: [result for result in results if result.is_confirmation]
            for article_id, results in ready.items()
        },
        articles,
        language,
        user,
        now,
    )
    article_save_versions(
        [
            articles[article_id]
            for article_id, results in ready.items()
            if any(not result.is_confirmation for result in results)
        ],
        user,
        comment,
        # The import writes the texts of `language` and nothing else.
        texts=[f"{unit.field}_{language}" for unit in UNITS],
    )
    translation_refresh_stories(
        stories=[(articles[article_id], stored[article_id]) for article_id in ready],
        user=user,
    )
    # The words of links and corrections the import wrote (check_stories put
    # them in place and checked them).
    for article_id in ready:
        parts_save(articles[article_id])
    for article_id, results in ready.items():
        for result in results:
            result.status = EntryStatus.APPLIED
        report.changed_stories.append(article_id)
    report.is_applied = True


def _confirm(confirmed, articles, language: str, user, now) -> None:
    """Mark unchanged translations as made from the current source, by a person.

    `confirmed` holds the confirming entries of each story (often none).
    """
    confirmed = {
        article_id: results for article_id, results in confirmed.items() if results
    }
    if not confirmed:
        return
    states = TranslationState.objects.filter(
        article__in=list(confirmed), language=language
    ).prefetch_related("fields")
    records, machine_left, no_machine_left = [], [], []
    for state in states:
        article = articles[state.article_id]
        by_unit = {record.unit: record for record in state.fields.all()}
        for result in confirmed[state.article_id]:
            unit = unit_for_key(article, result.unit_key)
            if unit is None:
                continue
            record = by_unit.get(unit.key)
            if record is None:
                continue
            source = unit.text(article, article.source_language)
            record.source_fingerprint = fingerprint(source)
            record.source_text = source
            record.is_machine = False
            record.translated_at = now
            records.append(record)
        if any(record.is_machine for record in by_unit.values()):
            machine_left.append(state.pk)
        else:
            no_machine_left.append(state.pk)
    TranslationState.objects.filter(pk__in=machine_left).update(
        translated_by=user, translated_at=now
    )
    TranslationState.objects.filter(pk__in=no_machine_left).update(
        translated_by=user, translated_at=now, machine_translator=""
    )
    field_translations_save(records)
