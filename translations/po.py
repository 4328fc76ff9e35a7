"""PO catalogues of stories: export for translators, import of their work.

A catalogue holds the stories to translate into one target language: one
entry per translatable unit (`msgctxt "article:<id>:<unit>"`), its source text
as `msgid` and the current translation as `msgstr`. A translation made from
an older source is marked fuzzy, with that older source as `#| msgid`.

An import checks every entry before it changes anything, then writes the
target language only, in one transaction, or nothing at all. The file is
checked line by line against the limits below before polib parses it, once.
"""

import html
import io
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Prefetch
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles import permissions
from articles.models import Article, Image
from articles.services import article_save_version
from core.languages import LANGUAGE_CODES, language_name
from core.richtext import sanitize_html, strip_markup
from translations.models import FieldTranslation, TranslationState
from translations.services import translation_refresh
from translations.units import UNITS, UNITS_BY_KEY, Unit, fingerprint, units_for

CONTEXT_PREFIX = "article"
CONTEXT = re.compile(rf"^{CONTEXT_PREFIX}:(\d{{1,18}}):([a-z_.]{{1,40}})$")
# Limits of a file to import, checked line by line before polib parses it.
# polib joins the lines of a text, and the comment lines of an entry, one at a
# time, so its work grows with their number times their length: one msgid of
# a million lines held a worker for half a minute. Within these limits the
# worst file parses in about a second (bench/po_import.py). An export stays
# within them and its header states them.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_LINES = 200_000
# Each story is checked, and saved, as a whole: some 10 ms a story to check
# and 20 to apply, so a full file applies in about ten seconds
# (bench/po_import.py).
MAX_STORIES = 500
MAX_ENTRIES = MAX_STORIES * len(UNITS)
# One text (msgctxt, msgid, msgstr), or the comments of one entry. The body is
# the longest text and the model sets it no limit: a long read is some 100 000
# characters of HTML, which polib wraps on some 1 500 lines.
MAX_STRING_CHARS = 200_000
MAX_STRING_LINES = 4_000
# The header entry (msgid "") holds a dozen short lines of metadata.
MAX_HEADER_CHARS = 10_000
# The first four bytes of a compiled catalogue, in either byte order.
MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")
CONTENT_TYPE = b"content-type:"
CHARSET = re.compile(rb"charset\s*=\s*([^\s\"\\;]+)", re.I)
# The header entry ends at the first blank line.
BLANK_LINE = re.compile(rb"\r?\n[ \t]*\r?\n")
PLURAL_FORMS = {
    "ko": "nplurals=1; plural=0;",
    "ja": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
}
# Printf-style, named and brace placeholders; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(
    r"%%|%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}|\{\d*\}"
)
# A line of a PO file outside comments, stripped: a keyword and a string, or
# a string that continues the last one. Possessive, so that a line without its
# closing quote fails in one pass.
PO_LINE = re.compile(
    r"(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+)?"
    r'"((?:[^"\\]++|\\.)*+)"'
)
# A "#|" line: the source a fuzzy translation was made from, or its continuation.
PREVIOUS_LINE = re.compile(
    r'#\|\s*(?:(msgctxt|msgid_plural|msgid)\s+)?"(?:[^"\\]++|\\.)*+"'
)
# A tag as the sanitiser writes them, "<name attributes>" or "</name>" without
# "<" or ">" inside (it escapes those), or the start of a comment. Possessive
# and bounded by the next "<" or ">", so a scan is linear whatever the text
# holds; a "<" that starts none of them is text.
TAG = re.compile(r"<(?:(!--)|(/?)([A-Za-z][^\t\n\r\f />\x00<]*+)([^<>]*+)>)")
ATTRIBUTE = re.compile(
    r"""([^\s/=]++)(?:\s*+=\s*+(?:"([^"]*+)"|'([^']*+)'|([^\s"']*+)))?"""
)


def can_exchange(user, language: str | None = None) -> bool:
    """Whether `user` may export and import catalogues (into `language`).

    Editors may for every language, translators for their own ones.
    """
    if not user.is_active:
        return False
    if permissions.is_editor(user):
        return language is None or language in LANGUAGE_CODES
    own = permissions.translator_languages(user)
    return bool(own) if language is None else language in own


def check_exchange(user, language: str) -> None:
    """Refuse (PermissionDenied) a catalogue of `language` that `user` may not touch."""
    if not can_exchange(user, language):
        raise PermissionDenied(
            gettext("You may not export or import translations into %(language)s.")
            % {"language": language_name(language)}
        )


# Texts


def placeholders(text: str) -> set[str]:
    """Return the placeholders in `text`: %(name)s, %s, {name}, {0}."""
    return {match for match in PLACEHOLDER.findall(text) if match != "%%"}


def markup(text: str) -> tuple[list[str], list[str]]:
    """Return the tags of `text` in order ("p", "/p", "br") and its link targets.

    Not html.parser: on text with many a "<" and no ">" its work grows with
    the square of the length (half a minute to minutes for a translation of
    200 000 characters). The sources are sanitised HTML, which TAG reads
    exactly.
    """
    tags, links = [], []
    for match in TAG.finditer(text):
        comment, slash, name, attributes = match.groups()
        if comment:
            tags.append("!--")
        elif slash:
            tags.append(f"/{name.lower()}")
        else:
            tags.append(name.lower())
            if name.lower() == "a":
                links.append(_attribute(attributes, "href").strip())
    return tags, links


def _attribute(attributes: str, name: str) -> str:
    """Return the value of the first attribute `name` in a tag's `attributes`."""
    for match in ATTRIBUTE.finditer(attributes):
        if match.group(1).lower() == name:
            value = next((v for v in match.groups()[1:] if v is not None), "")
            return html.unescape(value)
    return ""


def match_edges(model: str, text: str) -> str:
    """Return `text` starting and ending with as many newlines as `model`.

    msgfmt --check refuses an entry whose msgid and msgstr do not both begin,
    and both end, with a newline; the text between is the translation.
    """
    core = text.strip("\n")
    if not core:
        return ""
    lead = len(model) - len(model.lstrip("\n"))
    trail = len(model) - len(model.rstrip("\n")) if model.strip("\n") else 0
    return "\n" * lead + core + "\n" * trail


def line_count(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def stored_form(unit: Unit, text: str) -> str:
    """Return `text` as the model would store it (see the fields' pre_save)."""
    return sanitize_html(text) if unit.is_html else strip_markup(text)


def _tag_label(tags: list[str], index: int) -> str:
    return f"<{tags[index]}>" if index < len(tags) else gettext("nothing")


def markup_errors(unit: Unit, source: str, translation: str) -> list[str]:
    """Return why the markup of `translation` does not match `source`'s."""
    source_tags, source_links = markup(source)
    tags, links = markup(translation)
    if not unit.is_html:
        unescaped, _links = markup(html.unescape(translation))
        if (tags or unescaped) and not source_tags:
            return [gettext("This is plain text: remove the HTML tags.")]
    errors = []
    if tags != source_tags:
        index = next(
            (
                position
                for position, (expected, found) in enumerate(
                    zip(source_tags, tags, strict=False)
                )
                if expected != found
            ),
            min(len(tags), len(source_tags)),
        )
        errors.append(
            gettext(
                "Keep the source's HTML tags, in the same order: at tag "
                "%(number)s the source has %(source)s, the translation %(found)s."
            )
            % {
                "number": index + 1,
                "source": _tag_label(source_tags, index),
                "found": _tag_label(tags, index),
            }
        )
    if links != source_links:
        errors.append(
            gettext(
                "Keep the source's links, in the same order: the source links "
                "to %(source)s, the translation to %(found)s."
            )
            % {
                "source": ", ".join(source_links) or gettext("nothing"),
                "found": ", ".join(links) or gettext("nothing"),
            }
        )
    return errors


def placeholder_errors(source: str, translation: str) -> list[str]:
    expected, found = placeholders(source), placeholders(translation)
    if expected == found:
        return []
    return [
        gettext(
            "Keep the placeholders of the source: missing %(missing)s; "
            "not in the source %(extra)s."
        )
        % {
            "missing": " ".join(sorted(expected - found)) or "-",
            "extra": " ".join(sorted(found - expected)) or "-",
        }
    ]


# Export


@dataclass
class CatalogueExport:
    """A catalogue ready to download, and what was left out of it."""

    catalogue: polib.POFile
    language: str
    export_id: str
    stories: list[Article]
    # Stories written in the target language: nothing of them to translate.
    skipped: list[Article]
    entry_count: int

    @property
    def file_name(self) -> str:
        return (
            f"newsroom-{self.language}-{timezone.now():%Y%m%d}-{self.export_id[:8]}.po"
        )

    def content(self) -> bytes:
        return str(self.catalogue).encode("utf-8")

    def skipped_message(self) -> str:
        """Say which stories were left out for being written in the target language."""
        if not self.skipped:
            return ""
        return ngettext(
            "Not exported: %(stories)s is written in %(language)s, so it has "
            "no %(language)s translation.",
            "Not exported: %(stories)s are written in %(language)s, so they "
            "have no %(language)s translation.",
            len(self.skipped),
        ) % {
            "stories": ", ".join(
                gettext("story %(id)s") % {"id": article.pk} for article in self.skipped
            ),
            "language": language_name(self.language),
        }


def catalogue_export(
    *, articles: Iterable[Article] | models.QuerySet, language: str
) -> CatalogueExport:
    """Return the PO catalogue of `articles` for translation into `language`.

    Comments are written in the active language; the units' own help is
    English, as `translations.units` defines it.
    """
    if language not in LANGUAGE_CODES:
        raise ValueError(f"Unknown language {language!r}")
    if isinstance(articles, models.QuerySet):
        ids = articles.values("pk")
    else:
        ids = [article.pk for article in articles]
    stories = list(
        Article.objects.filter(pk__in=ids)
        .select_related("feature_image")
        .prefetch_related(
            Prefetch(
                "translation_states",
                queryset=TranslationState.objects.filter(
                    language=language
                ).prefetch_related("fields"),
                to_attr="po_states",
            )
        )
        .order_by("pk")
    )
    exported = [story for story in stories if story.source_language != language]
    skipped = [story for story in stories if story.source_language == language]
    shown_by = dict(
        Article.objects.filter(
            feature_image__in={s.feature_image_id for s in exported} - {None}
        )
        .values_list("feature_image")
        .annotate(count=Count("pk"))
        .order_by()
    )
    export_id = str(uuid.uuid4())
    sources = sorted({story.source_language for story in exported})
    catalogue = polib.POFile(wrapwidth=78)
    catalogue.header = _header_comment(language, exported, skipped)
    now = timezone.now().strftime("%Y-%m-%d %H:%M%z")
    # Header values are for tools: the same whoever exports, in English.
    with translation.override("en"):
        team = language_name(language)
    catalogue.metadata = {
        "Project-Id-Version": "Newsroom",
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "",
        "Language-Team": team,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(language, "nplurals=2; plural=(n != 1);"),
        # One code when every story shares it (as Poedit reads it), else a
        # list; each entry also names its own source language.
        "X-Source-Language": ", ".join(sources),
        "X-Export-Id": export_id,
        "X-Generator": "Newsroom translation desk",
    }
    # A picture shown by several exported stories is translated once (per
    # source language: that is its msgid).
    picture_entries: dict[tuple, polib.POEntry] = {}
    for story in exported:
        states = getattr(story, "po_states", [])
        records = (
            {record.unit: record for record in states[0].fields.all()} if states else {}
        )
        for unit in units_for(story):
            slot = (story.feature_image_id, unit.key, story.source_language)
            if unit.on_image and slot in picture_entries:
                picture_entries[slot].comment += "\n" + gettext(
                    "Story %(id)s of this file shows the same picture."
                ) % {"id": story.pk}
                continue
            entry = _entry(story, unit, language, records.get(unit.key), shown_by)
            if entry is None:
                continue
            if unit.on_image:
                picture_entries[slot] = entry
            catalogue.append(entry)
    return CatalogueExport(
        catalogue=catalogue,
        language=language,
        export_id=export_id,
        stories=exported,
        skipped=skipped,
        entry_count=len(catalogue),
    )


def _header_comment(language: str, exported: list, skipped: list) -> str:
    lines = [
        gettext("Newsroom stories for translation into %(language)s.")
        % {"language": language_name(language)},
        gettext(
            "Translate each msgstr; leave the msgid and msgctxt as they are. "
            "Fuzzy and empty entries are not imported."
        ),
        ngettext("%(count)s story.", "%(count)s stories.", len(exported))
        % {"count": len(exported)},
        gettext(
            "A file to import may have at most %(size)s MB and %(lines)s lines, "
            "and hold at most %(entries)s entries; one text, or the comments of "
            "one entry, at most %(chars)s characters on %(text_lines)s lines."
        )
        % {
            "size": MAX_FILE_BYTES // (1024 * 1024),
            "lines": number_format(MAX_LINES, force_grouping=True),
            "entries": number_format(MAX_ENTRIES, force_grouping=True),
            "chars": number_format(MAX_STRING_CHARS, force_grouping=True),
            "text_lines": number_format(MAX_STRING_LINES, force_grouping=True),
        },
    ]
    if skipped:
        lines.append(
            gettext("Not exported, written in %(language)s: %(stories)s.")
            % {
                "language": language_name(language),
                "stories": ", ".join(str(story.pk) for story in skipped),
            }
        )
    return "\n".join(lines)


def _entry(story, unit, language, record, shown_by) -> polib.POEntry | None:
    source = unit.text(story, story.source_language)
    if not source.strip():
        return None
    target = match_edges(source, unit.text(story, language))
    comments = [
        gettext("Story %(id)s: %(headline)s")
        % {
            "id": story.pk,
            "headline": getattr(story, f"headline_{story.source_language}") or "",
        },
        gettext("Source language: %(language)s (%(code)s).")
        % {
            "language": language_name(story.source_language),
            "code": story.source_language,
        },
        unit.help,
    ]
    if unit.max_length:
        comments.append(
            ngettext(
                "At most %(count)s character.",
                "At most %(count)s characters.",
                unit.max_length,
            )
            % {"count": unit.max_length}
        )
    if unit.key == "key_points":
        comments.append(
            ngettext(
                "The source has %(count)s point.",
                "The source has %(count)s points.",
                line_count(source),
            )
            % {"count": line_count(source)}
        )
    others = shown_by.get(story.feature_image_id, 1) - 1 if unit.on_image else 0
    if others:
        comments.append(
            ngettext(
                "Shared picture: %(count)s other story shows these words too.",
                "Shared picture: %(count)s other stories show these words too.",
                others,
            )
            % {"count": others}
        )
    found = sorted(placeholders(source))
    if found:
        comments.append(
            gettext("Keep these placeholders: %(placeholders)s")
            % {"placeholders": " ".join(found)}
        )
    flags = []
    previous = None
    if target and record is not None:
        if record.source_fingerprint != fingerprint(source):
            flags.append("fuzzy")
            if record.source_text.strip():
                previous = record.source_text
            comments.append(gettext("The source changed since this was translated."))
        elif record.is_machine:
            flags.append("fuzzy")
            comments.append(
                gettext("Machine translation, not yet reviewed by a person.")
            )
    if "%" in source or "%" in target:
        # Not a format string: tools must not check it as one.
        flags.append("no-c-format")
    return polib.POEntry(
        msgctxt=f"{CONTEXT_PREFIX}:{story.pk}:{unit.key}",
        msgid=source,
        msgstr=target,
        comment="\n".join(comments),
        flags=flags,
        previous_msgid=previous,
    )


# Import


class EntryStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    READY = "ready", _("ready to apply")
    UNCHANGED = "unchanged", _("unchanged")
    SKIPPED = "skipped", _("skipped")
    ERROR = "error", _("error")


@dataclass
class EntryResult:
    """What became of one entry of an imported file."""

    line: int
    context: str
    status: str = EntryStatus.READY
    messages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    article_id: int | None = None
    unit_key: str = ""
    # The story's headline in its source language, once the story is found.
    headline: str = ""
    value: str = ""
    # Unchanged text, now vouched for against the current source.
    is_confirmation: bool = False

    @property
    def status_label(self) -> str:
        return str(EntryStatus(self.status).label)

    @property
    def unit_label(self) -> str:
        unit = UNITS_BY_KEY.get(self.unit_key)
        return str(unit.label) if unit else ""

    def fail(self, message: str) -> None:
        self.status = EntryStatus.ERROR
        self.messages.append(message)

    def skip(self, message: str) -> None:
        self.status = EntryStatus.SKIPPED
        self.messages.append(message)


@dataclass
class ImportReport:
    """The outcome of an import: file errors, every entry, what was applied."""

    file_name: str
    is_dry_run: bool
    language: str = ""
    export_id: str = ""
    errors: list[str] = field(default_factory=list)
    entries: list[EntryResult] = field(default_factory=list)
    is_applied: bool = False
    changed_stories: list[int] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(
            entry.status == EntryStatus.ERROR for entry in self.entries
        )

    def count(self, status: str) -> int:
        return sum(1 for entry in self.entries if entry.status == status)

    def summary(self) -> str:
        counts = gettext(
            "%(applied)s applied, %(ready)s ready to apply, %(unchanged)s "
            "unchanged, %(skipped)s skipped, %(errors)s with errors."
        ) % {
            "applied": self.count(EntryStatus.APPLIED),
            "ready": self.count(EntryStatus.READY),
            "unchanged": self.count(EntryStatus.UNCHANGED),
            "skipped": self.count(EntryStatus.SKIPPED),
            "errors": self.count(EntryStatus.ERROR),
        }
        if self.has_errors:
            outcome = gettext("Nothing was imported: correct the errors and try again.")
        elif self.is_dry_run:
            outcome = gettext("Checked only: nothing was changed.")
        elif self.is_applied:
            outcome = ngettext(
                "Imported into %(count)s story.",
                "Imported into %(count)s stories.",
                len(self.changed_stories),
            ) % {"count": len(self.changed_stories)}
        else:
            outcome = gettext("Nothing to change.")
        return f"{counts} {outcome}"

    def lines(self) -> list[str]:
        """Return the report as text lines (for the management command)."""
        lines = [
            gettext("%(file)s: %(language)s, export %(export)s")
            % {
                "file": self.file_name,
                "language": self.language or "?",
                "export": self.export_id or "?",
            }
        ]
        lines += [gettext("error: %(message)s") % {"message": m} for m in self.errors]
        for entry in self.entries:
            text = gettext("line %(line)s %(context)s: %(status)s") % {
                "line": entry.line,
                "context": entry.context or "-",
                "status": entry.status_label,
            }
            details = entry.messages + entry.notes
            lines.append(f"{text} ({'; '.join(details)})" if details else text)
        lines.append(self.summary())
        return lines


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
    report.entries = [result for _entry, result in entries]
    if not entries:
        report.errors.append(gettext("The file holds no entries."))
        return report
    articles = _load_articles(entries, lock=not dry_run)
    _check_entries(entries, articles, language)
    _check_stories(report, articles, language)
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


class RefusedFile(Exception):
    """A file refused before it is parsed; the message names the file and line."""


class _Lines:
    """The lines of a checked file, as polib reads them.

    polib takes a str for the path of a file whenever one of that name
    exists; this is not a str, so it is always read as content.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def splitlines(self) -> list[str]:
        return self.lines


@dataclass(slots=True)
class _Run:
    """One text, or one entry's comments, so far: its first line and its size."""

    start: int
    lines: int = 0
    chars: int = 0


def _unescaped_length(content: str) -> int:
    """Return the length of a PO string's content once unescaped ("\\n" is 1)."""
    # Each escape is a backslash and one character; of a run of backslashes,
    # each pair is one escaped backslash.
    return len(content) - content.count("\\") + content.count("\\\\")


def catalogue_lines(text: str, *, file_name: str) -> list[str]:
    """Return the lines of a PO file once its syntax and size are checked.

    Reads the lines as polib will and stops at the first that is not PO
    syntax (RefusedFile: a syntax error) or crosses a limit (RefusedFile
    naming it): a hostile file costs what its first lines cost. Stricter than
    polib where msgfmt is: comments only between entries, and every msgid
    with its msgstr.
    """
    scanner = _Scanner(file_name)
    lines = []
    # Lines end at "\n", "\r\n" or "\r", as in a file opened as text (and
    # not at the other breaks str.splitlines knows).
    for number, line in enumerate(io.StringIO(text, newline=None), start=1):
        if number > MAX_LINES:
            raise scanner.refused(
                number,
                gettext(
                    "%(file)s, line %(line)s: a file may have at most %(limit)s lines."
                ),
                MAX_LINES,
            )
        lines.append(line)
        scanner.read(number, line.removeprefix("\ufeff") if number == 1 else line)
    scanner.finish(len(lines))
    return lines


class _Scanner:
    """Check a PO file line by line: its syntax, and what polib would gather."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        # What may come next: "entry" (comments, msgctxt or msgid of an entry),
        # "msgid" (after msgctxt), "msgstr" (after msgid), "plural" (after
        # msgid_plural), "more" (after msgstr: its continuation, or the next
        # entry), "forms" (after msgstr[n]: the same, or msgstr[n+1]).
        self.expect = "entry"
        self.entry_start: int | None = None
        self.entries = 0
        self.has_context = False
        self.is_first = True
        self.is_header = False
        self.comments: _Run | None = None
        self.string: _Run | None = None
        self.string_limit = MAX_STRING_CHARS
        self.previous_open = False

    def refused(self, line: int, message: str, limit: int, **values) -> RefusedFile:
        return RefusedFile(
            message
            % {
                "file": self.file_name,
                "line": line,
                "limit": number_format(limit, force_grouping=True),
                **values,
            }
        )

    def syntax_error(self, line: int) -> RefusedFile:
        return RefusedFile(
            gettext("This is not a valid PO file: syntax error at line %(line)s.")
            % {"line": line}
        )

    def read(self, number: int, line: str) -> None:
        text = line.strip()
        if not text:
            return
        if text.startswith("#~"):
            rest = text[2:]
            if not rest.startswith("|"):
                # An obsolete entry: the same lines, behind "#~ ".
                text = rest.strip()
                if not text or not rest[0].isspace():
                    raise self.syntax_error(number)
        if text.startswith("#"):
            self.comment(number, text)
            return
        match = PO_LINE.fullmatch(text)
        if match is None:
            raise self.syntax_error(number)
        keyword, content = match.groups()
        self.previous_open = False
        if keyword is None:
            if self.string is None or self.expect == "entry":
                raise self.syntax_error(number)
            self.string.lines += 1
        else:
            self.keyword(number, keyword, content)
            self.string = _Run(number, lines=1)
        self.string.chars += _unescaped_length(content)
        if self.string.lines > MAX_STRING_LINES:
            raise self.refused(
                number,
                gettext(
                    "%(file)s, line %(line)s: the text starting at line %(start)s "
                    "runs over more than %(limit)s lines."
                ),
                MAX_STRING_LINES,
                start=self.string.start,
            )
        if self.string.chars > self.string_limit:
            if self.string_limit == MAX_HEADER_CHARS:
                raise self.refused(
                    number,
                    gettext(
                        "%(file)s, line %(line)s: the header is longer than "
                        "%(limit)s characters."
                    ),
                    MAX_HEADER_CHARS,
                )
            raise self.refused(
                number,
                gettext(
                    "%(file)s, line %(line)s: the text starting at line %(start)s "
                    "is longer than %(limit)s characters."
                ),
                MAX_STRING_CHARS,
                start=self.string.start,
            )

    def comment(self, number: int, text: str) -> None:
        if self.expect not in ("entry", "more", "forms"):
            raise self.syntax_error(number)
        self.begin_entry(number)
        if self.comments is None:
            self.comments = _Run(number)
        self.comments.lines += 1
        self.comments.chars += len(text)
        if self.comments.lines > MAX_STRING_LINES:
            raise self.refused(
                number,
                gettext(
                    "%(file)s, line %(line)s: the comments starting at line "
                    "%(start)s run over more than %(limit)s lines."
                ),
                MAX_STRING_LINES,
                start=self.comments.start,
            )
        if self.comments.chars > MAX_STRING_CHARS:
            raise self.refused(
                number,
                gettext(
                    "%(file)s, line %(line)s: the comments starting at line "
                    "%(start)s are longer than %(limit)s characters."
                ),
                MAX_STRING_CHARS,
                start=self.comments.start,
            )
        if text.startswith("#|"):
            match = PREVIOUS_LINE.fullmatch(text)
            if match is None or (match.group(1) is None and not self.previous_open):
                raise self.syntax_error(number)
            self.previous_open = True
        else:
            self.previous_open = False

    def keyword(self, number: int, keyword: str, content: str) -> None:
        allowed = {
            "msgctxt": ("entry", "more", "forms"),
            "msgid": ("entry", "more", "forms", "msgid"),
            "msgid_plural": ("msgstr",),
            "msgstr": ("msgstr",),
        }.get(keyword, ("msgstr", "plural", "forms"))
        if self.expect not in allowed:
            raise self.syntax_error(number)
        self.string_limit = MAX_STRING_CHARS
        if keyword == "msgctxt":
            self.begin_entry(number)
            self.has_context = True
            self.expect = "msgid"
        elif keyword == "msgid":
            self.begin_entry(number)
            # The header is the first entry, without context or msgid.
            self.is_header = self.is_first and not self.has_context and not content
            self.is_first = False
            if not self.is_header:
                self.entries += 1
            if self.entries > MAX_ENTRIES:
                raise self.refused(
                    self.entry_start,
                    gettext(
                        "%(file)s, line %(line)s: a file may hold at most "
                        "%(limit)s entries: export fewer stories at a time."
                    ),
                    MAX_ENTRIES,
                )
            self.expect = "msgstr"
        elif keyword == "msgid_plural":
            self.expect = "plural"
        elif keyword == "msgstr":
            if self.is_header:
                self.string_limit = MAX_HEADER_CHARS
            self.expect = "more"
        else:
            self.expect = "forms"

    def begin_entry(self, number: int) -> None:
        """Start a new entry at `number` if the last one is complete."""
        if self.expect in ("more", "forms"):
            self.expect = "entry"
            self.entry_start = None
            self.comments = None
            self.has_context = False
        if self.entry_start is None:
            self.entry_start = number

    def finish(self, last: int) -> None:
        if self.expect in ("msgid", "msgstr", "plural"):
            raise self.syntax_error(last)


def too_big_message() -> str:
    return gettext("The file is larger than %(size)s MB.") % {
        "size": MAX_FILE_BYTES // (1024 * 1024)
    }


def _check_header(catalogue, user, report: ImportReport) -> str | None:
    report.export_id = catalogue.metadata.get("X-Export-Id", "").strip()
    declared = catalogue.metadata.get("Language", "").strip()
    # Poedit may write a region ("ja_JP"): the newsroom's languages have none.
    code = re.split(r"[_\-@.]", declared, maxsplit=1)[0].lower() if declared else ""
    if not code:
        report.errors.append(
            gettext("The file does not say its language (the Language header).")
        )
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
    stories = Article.objects.filter(pk__in=ids).select_related("feature_image")
    if lock:
        # The source read now is the source the texts are checked against.
        stories = stories.select_for_update(of=("self",))
    return {story.pk: story for story in stories.order_by("pk")}


def _check_entries(entries, articles: dict[int, Article], language: str) -> None:
    seen: dict[str, int] = {}
    records = _records(articles, language)
    for entry, result in entries:
        if entry.obsolete:
            result.skip(gettext("Obsolete entry (#~)."))
            continue
        if result.context in seen:
            result.fail(
                gettext("Duplicate entry: line %(line)s already holds %(context)s.")
                % {"line": seen[result.context], "context": result.context}
            )
            continue
        seen[result.context] = result.line
        if "fuzzy" in entry.flags:
            result.skip(gettext("Fuzzy: not imported until it is checked."))
            continue
        if entry.msgid_plural:
            result.fail(gettext("Plural entries are not part of a story."))
            continue
        if not entry.msgstr.strip():
            result.skip(gettext("Not translated."))
            continue
        _check_entry(entry, result, articles, language, records)


def _records(articles, language) -> dict[int, dict[str, FieldTranslation]]:
    by_story: dict[int, dict[str, FieldTranslation]] = defaultdict(dict)
    for record in FieldTranslation.objects.filter(
        state__article__in=list(articles), state__language=language
    ).select_related("state"):
        by_story[record.state.article_id][record.unit] = record
    return by_story


def _check_entry(entry, result: EntryResult, articles, language, records) -> None:
    match = CONTEXT.match(result.context)
    if match is None:
        result.fail(
            gettext(
                "Not an entry of a story: the context “%(context)s” should read "
                "article:<story>:<field>."
            )
            % {"context": result.context}
        )
        return
    article_id, key = int(match.group(1)), match.group(2)
    result.article_id, result.unit_key = article_id, key
    article = articles.get(article_id)
    unit = UNITS_BY_KEY.get(key)
    if article is None:
        result.fail(
            gettext("Story %(id)s does not exist (any more).") % {"id": article_id}
        )
        return
    result.headline = getattr(article, f"headline_{article.source_language}") or ""
    if unit is None:
        result.fail(gettext("Unknown field “%(field)s”.") % {"field": key})
        return
    if unit not in units_for(article):
        result.fail(gettext("The story has no feature image any more."))
        return
    if article.source_language == language:
        result.fail(
            gettext(
                "Story %(id)s is written in %(language)s: it has no %(language)s "
                "translation."
            )
            % {"id": article_id, "language": language_name(language)}
        )
        return
    source = unit.text(article, article.source_language)
    if fingerprint(entry.msgid) != fingerprint(source):
        result.fail(
            gettext(
                "The source text changed since the export: export the story "
                "again and translate the new text."
            )
        )
        return
    text = match_edges(source, entry.msgstr)
    for message in placeholder_errors(source, text) + markup_errors(unit, source, text):
        result.fail(message)
    if unit.max_length and len(text.strip()) > unit.max_length:
        result.fail(
            gettext("Too long: %(length)s characters, at most %(max)s.")
            % {"length": len(text.strip()), "max": unit.max_length}
        )
    if result.status == EntryStatus.ERROR:
        return
    if unit.key == "key_points" and line_count(text) != line_count(source):
        # A warning only: a translator may need to split or join a point.
        result.notes.append(
            gettext("The source has %(source)s points, the translation %(found)s.")
            % {"source": line_count(source), "found": line_count(text)}
        )
    value = stored_form(unit, text)
    if not value.strip():
        result.skip(gettext("Not translated."))
        return
    result.value = value
    if value != unit.text(article, language):
        if unit.on_image:
            result.notes.append(
                gettext(
                    "Written to the shared picture: every story showing it changes."
                )
            )
        return
    record = records.get(article_id, {}).get(unit.key)
    if record is not None and (
        record.source_fingerprint != fingerprint(source) or record.is_machine
    ):
        result.is_confirmation = True
        result.notes.append(
            gettext("Confirmed as a translation of the current source.")
        )
    else:
        result.status = EntryStatus.UNCHANGED


def _ready(report: ImportReport) -> dict[int, list[EntryResult]]:
    by_story: dict[int, list[EntryResult]] = defaultdict(list)
    for entry in report.entries:
        if entry.status == EntryStatus.READY:
            by_story[entry.article_id].append(entry)
    return by_story


def _check_stories(report: ImportReport, articles, language: str) -> None:
    """Put each story's new texts in place in memory and check the story still saves.

    A picture shown by two stories of the file may come twice: with two
    different texts, which one to keep is not ours to choose.
    """
    pictures: dict[tuple[int, str], EntryResult] = {}
    for result in report.entries:
        if result.status not in (EntryStatus.READY, EntryStatus.UNCHANGED):
            continue
        article = articles[result.article_id]
        if UNITS_BY_KEY[result.unit_key].on_image:
            first = pictures.setdefault(
                (article.feature_image_id, result.unit_key), result
            )
            if first is not result and first.value != result.value:
                result.status, result.notes = EntryStatus.ERROR, []
                result.messages.append(
                    gettext(
                        "Line %(line)s gives different words for the same picture "
                        "(story %(story)s): give both the same text."
                    )
                    % {"line": first.line, "story": first.article_id}
                )
    for article_id, results in _ready(report).items():
        article = articles[article_id]
        written = [result for result in results if not result.is_confirmation]
        for result in written:
            UNITS_BY_KEY[result.unit_key].set_text(article, language, result.value)
        if not written:
            continue
        try:
            article.full_clean()
        except ValidationError as error:
            written[0].fail(
                gettext("The story cannot be saved: %(errors)s")
                % {"errors": " ".join(error.messages)}
            )


def _apply(report: ImportReport, articles, language: str, user) -> None:
    """Write the checked texts: one revision per story, every state refreshed."""
    ready = _ready(report)
    now = timezone.now()
    pictures = {
        articles[article_id].feature_image_id
        for article_id, results in ready.items()
        for result in results
        if UNITS_BY_KEY[result.unit_key].on_image and not result.is_confirmation
    }
    others = list(
        Article.objects.filter(feature_image__in=pictures)
        .exclude(pk__in=list(ready))
        .values_list("pk", flat=True)
    )
    # The stories as stored before this write: what the states compare against.
    stored = Article.objects.select_related("feature_image").in_bulk([*ready, *others])
    for article_id, results in ready.items():
        image = articles[article_id].feature_image
        fields = [
            f"{UNITS_BY_KEY[result.unit_key].field}_{language}"
            for result in results
            if UNITS_BY_KEY[result.unit_key].on_image and not result.is_confirmation
        ]
        if fields:
            # A picture form opened before this import may not overwrite it.
            image.version = F("version") + 1
            image.save(update_fields=[*fields, "version"])
    # Each story holds its own copy of a shared picture: read the words back.
    images = Image.objects.in_bulk(pictures)
    comment = gettext("Imported translation (%(language)s) from PO file %(file)s") % {
        "language": language_name(language),
        "file": report.file_name,
    }
    for article_id, results in ready.items():
        article = articles[article_id]
        if article.feature_image_id in images:
            article.feature_image = images[article.feature_image_id]
        _confirm(
            article, language, [r for r in results if r.is_confirmation], user, now
        )
        if any(not result.is_confirmation for result in results):
            article_save_version(article, user, comment)
        translation_refresh(article=article, stored=stored[article_id], user=user)
        for result in results:
            result.status = EntryStatus.APPLIED
        report.changed_stories.append(article_id)
    for article in Article.objects.select_related("feature_image").filter(
        pk__in=others
    ):
        translation_refresh(article=article, stored=stored[article.pk], user=user)
    report.is_applied = True


def _confirm(article: Article, language: str, results, user, now) -> None:
    """Mark unchanged translations as made from the current source, by a person."""
    if not results:
        return
    state = TranslationState.objects.get(article=article, language=language)
    for result in results:
        unit = UNITS_BY_KEY[result.unit_key]
        source = unit.text(article, article.source_language)
        state.fields.filter(unit=unit.key).update(
            source_fingerprint=fingerprint(source),
            source_text=source,
            is_machine=False,
            translated_at=now,
        )
    changes = {"translated_by": user, "translated_at": now}
    if not state.fields.filter(is_machine=True).exists():
        changes["machine_translator"] = ""
    TranslationState.objects.filter(pk=state.pk).update(**changes)
