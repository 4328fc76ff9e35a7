"""PO catalogues of stories: export for translators, import of their work.

A catalogue holds the stories to translate into one target language: one
entry per translatable unit (`msgctxt "article:<id>:<unit>"`), its source text
as `msgid` and the current translation as `msgstr`. A translation made from
an older source is marked fuzzy, with that older source as `#| msgid`.

An import checks every entry before it changes anything, then writes the
target language only, in one transaction, or nothing at all.
"""

import html
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles import permissions
from articles.models import LANGUAGE_CODES, Article, Image
from articles.services import article_save_version
from newsroom.richtext import sanitize_html, strip_markup
from translations.models import FieldTranslation, TranslationState
from translations.services import language_name, translation_refresh
from translations.units import UNITS_BY_KEY, Unit, fingerprint, units_for

CONTEXT_PREFIX = "article"
CONTEXT = re.compile(rf"^{CONTEXT_PREFIX}:(\d{{1,18}}):([a-z_.]{{1,40}})$")
# Uploads and imported files above this size are refused before parsing.
MAX_FILE_BYTES = 5 * 1024 * 1024
# The first four bytes of a compiled catalogue, in either byte order.
MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")
CHARSET = re.compile(rb"Content-Type:[^\"\n]*?charset\s*=\s*([^\s\"\\;]+)", re.I)
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
# A line of a PO file outside comments: a keyword and a string, or a string.
PO_LINE = re.compile(
    r"^\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"
    r'"(?:[^"\\]|\\.)*"\s*$'
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


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.links.append((dict(attrs).get("href") or "").strip())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.tags.append(f"/{tag}")

    def handle_comment(self, data):
        self.tags.append("!--")


def markup(text: str) -> tuple[list[str], list[str]]:
    """Return the tags of `text` in order ("p", "/p", "br") and its link targets."""
    parser = _Markup()
    parser.feed(text)
    parser.close()
    return parser.tags, parser.links


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
    declared = CHARSET.search(BLANK_LINE.split(data, maxsplit=1)[0])
    if declared:
        charset = declared.group(1).decode("ascii", "replace")
        if charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
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
    # polib takes much for granted (an unterminated string, a stray word):
    # what msgfmt would refuse is refused here, with its line.
    line = syntax_error_line(text)
    if line is not None:
        report.errors.append(
            gettext("This is not a valid PO file: syntax error at line %(line)s.")
            % {"line": line}
        )
        return None
    try:
        return polib.pofile(str(path), encoding="utf-8")
    except (OSError, ValueError, UnicodeError) as error:
        line = re.search(r"line (\d+)", str(error))
        report.errors.append(
            gettext("This is not a valid PO file: syntax error at line %(line)s.")
            % {"line": line.group(1)}
            if line
            else gettext("This is not a valid PO file.")
        )
        return None


def syntax_error_line(text: str) -> int | None:
    """Return the number of the first line that is not PO syntax, if any."""
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not PO_LINE.match(stripped):
            return number
    return None


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
            image.save(update_fields=fields)
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
