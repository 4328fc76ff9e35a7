"""The export: an XLIFF 2.1 file of stories for translation into one language.

One `<file>` per story (`article-<id>`), one `<unit>` per unit (the PO
export's units, by the same keys), one `<segment>` per block of a body, its
markup as inline codes. XLIFF names one source language for a whole file:
stories written in different languages are exported to different files.
"""

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext

from articles.models import Article
from core.languages import LANGUAGE_CODES, language_name
from translations.models import TranslationState
from translations.po.export import (
    skipped_message,
    stories_for_export,
    story_note,
    unit_notes,
)
from translations.po.limits import MAX_ENTRIES, MAX_FILE_BYTES
from translations.segments import cut
from translations.units import fingerprint, units_for
from translations.xliff.inline import (
    END,
    START,
    Content,
    Piece,
    Token,
    content_of,
)

NAMESPACE = "urn:oasis:names:tc:xliff:document:2.0"
METADATA_NAMESPACE = "urn:oasis:names:tc:xliff:metadata:2.0"
VERSION = "2.1"
FILE_ID = "article-{id}"
INITIAL, TRANSLATED, REVIEWED, FINAL = "initial", "translated", "reviewed", "final"
# Characters XML 1.0 cannot hold: in a text to translate, a <cp> each.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
TAG_NAME = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")


class MixedSourceLanguages(ValueError):
    """Stories of several source languages, which one XLIFF file cannot hold."""


@dataclass
class XliffExport:
    """An XLIFF file ready to download, and what was left out of it."""

    text: str
    language: str
    source_language: str
    export_id: str
    stories: list[Article]
    # Stories written in the target language: nothing of them to translate.
    skipped: list[Article]
    unit_count: int

    @property
    def file_name(self) -> str:
        return (
            f"newsroom-{self.source_language}-{self.language}-"
            f"{timezone.now():%Y%m%d}-{self.export_id[:8]}.xlf"
        )

    def content(self) -> bytes:
        return self.text.encode("utf-8")

    def skipped_message(self) -> str:
        return skipped_message(self.skipped, self.language)


def xliff_export(
    *, articles: Iterable[Article] | models.QuerySet, language: str
) -> XliffExport:
    """Return the XLIFF file of `articles` for translation into `language`.

    Notes are written in the active language (the exporter's desk language).
    Raises MixedSourceLanguages, with a message for the exporter, when the
    stories to translate are written in more than one language.
    """
    if language not in LANGUAGE_CODES:
        raise ValueError(f"Unknown language {language!r}")
    stories = stories_for_export(articles, language)
    exported = [story for story in stories if story.source_language != language]
    skipped = [story for story in stories if story.source_language == language]
    sources = sorted({story.source_language for story in exported})
    if len(sources) > 1:
        raise MixedSourceLanguages(_mixed_message(exported, sources))
    source_language = sources[0] if sources else ""
    export_id = str(uuid.uuid4())
    writer = _Writer()
    files = []
    for story in exported:
        file = _file(story, language, export_id)
        if file.units:
            files.append(file)
    unit_count = sum(len(file.units) for file in files)
    writer.open(language, source_language or language, exported, skipped, export_id)
    for file in files:
        writer.file(file)
    writer.close()
    return XliffExport(
        text=writer.text(),
        language=language,
        source_language=source_language or language,
        export_id=export_id,
        stories=exported,
        skipped=skipped,
        unit_count=unit_count,
    )


def _mixed_message(stories: list[Article], sources: list[str]) -> str:
    groups = "; ".join(
        gettext("%(language)s: %(stories)s")
        % {
            "language": language_name(code),
            "stories": ", ".join(
                str(story.pk) for story in stories if story.source_language == code
            ),
        }
        for code in sources
    )
    return gettext(
        "An XLIFF file holds stories of one source language, and these are "
        "written in several. Export the stories of each language on their own "
        "(%(groups)s)."
    ) % {"groups": groups}


@dataclass
class _Unit:
    key: str
    notes: list[tuple[str, str]]
    content: Content


@dataclass
class _File:
    story: Article
    units: list[_Unit]


def _file(story: Article, language: str, export_id: str) -> _File:
    states = getattr(story, "po_states", [])
    state = states[0] if states else None
    records = {record.unit: record for record in state.fields.all()} if state else {}
    units = []
    for unit in units_for(story):
        source = unit.text(story, story.source_language)
        if not source.strip():
            continue
        translation = unit.text(story, language)
        content = content_of(unit, source, translation)
        notes = [
            note
            for note in unit_notes(story, unit, source)
            if note[0] not in ("story", "source-language")
        ]
        if translation.strip() and not any(p.target for p in content.segments()):
            notes.append(
                (
                    "translation",
                    gettext(
                        "The translation as it reads now (its structure differs "
                        "from the source's, so the segments are empty): %(text)s"
                    )
                    % {
                        "text": strip_tags(translation) if unit.is_html else translation
                    },
                )
            )
        notes += _mark_states(unit, content, source, state, records.get(unit.key))
        units.append(_Unit(unit.key, notes, content))
    return _File(story, units)


def _mark_states(unit, content: Content, source: str, state, record) -> list:
    """Set each segment's state from the field's; return the notes that explain it.

    A target made from the current source by a person is `translated`,
    `reviewed` once the language is up to date, `final` when readers also
    see it. A target made from an older source is `initial` where its
    segment changed, and machine output is `initial`: a unit is imported only
    once none of its segments is.
    """
    segments = content.segments()
    if not any(piece.target for piece in segments):
        for piece in segments:
            piece.state = INITIAL
        return []
    notes = []
    done = TRANSLATED
    if state is not None and state.status == TranslationState.Status.UP_TO_DATE:
        done = REVIEWED if state.is_withheld else FINAL
    for piece in segments:
        # A segment left empty in the translation is still to translate.
        piece.state = done if piece.target else INITIAL
    if record is None:
        return notes
    if record.source_fingerprint != fingerprint(source):
        notes.append(
            ("state", gettext("The source changed since this was translated."))
        )
        notes += _mark_changed(unit, segments, source, record.source_text)
    elif record.is_machine:
        notes.append(
            ("state", gettext("Machine translation, not yet reviewed by a person."))
        )
        for piece in segments:
            piece.state = INITIAL
    return notes


def _mark_changed(unit, segments: list[Piece], source: str, before: str) -> list:
    """Mark `initial` the segments whose source changed; return their old texts.

    A segment whose text the old source had is as it was. When none seems
    changed (the change lies between them), all are `initial`.
    """
    old = cut(unit, before).segments if before.strip() else []
    old_texts = {segment.text for segment in old}
    changed = [piece for piece in segments if piece.text not in old_texts]
    for piece in changed or segments:
        piece.state = INITIAL
    if not before.strip():
        return []
    if len(old) != len(cut(unit, source).segments) or not changed:
        return [
            (
                "previous-source",
                gettext("The source before the change: %(text)s") % {"text": before},
            )
        ]
    return [
        (
            "previous-source",
            gettext("Segment %(segment)s before the change: %(text)s")
            % {"segment": piece.id, "text": old[piece.index].text},
        )
        for piece in changed
    ]


def _header_lines(language, source_language, exported, skipped) -> list[str]:
    lines = [
        gettext("Newsroom stories for translation into %(language)s.")
        % {"language": language_name(language)},
        gettext(
            "Translate the target of each segment and keep its inline codes, in "
            "the source's order. A unit is imported once every segment has a "
            "target and none is in the state “initial”."
        ),
        ngettext("%(count)s story.", "%(count)s stories.", len(exported))
        % {"count": len(exported)},
        gettext(
            "A file to import may have at most %(size)s MB and hold at most "
            "%(units)s units."
        )
        % {
            "size": MAX_FILE_BYTES // (1024 * 1024),
            "units": number_format(MAX_ENTRIES, force_grouping=True),
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
    return lines


def _text(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "&#13;")
    )


def _attribute(value: str) -> str:
    return (
        _text(NOT_XML.sub("\ufffd", value))
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


def _inline_text(value: str) -> str:
    """Escape text to translate; a character XML cannot hold becomes a <cp>."""
    out, position = [], 0
    for match in NOT_XML.finditer(value):
        out.append(_text(value[position : match.start()]))
        out.append(f'<cp hex="{ord(match.group(0)):04X}"/>')
        position = match.end()
    out.append(_text(value[position:]))
    return "".join(out)


def _note_text(value: str) -> str:
    return _text(NOT_XML.sub("\ufffd", value))


def _tag_name(raw: str) -> str:
    match = TAG_NAME.match(raw)
    return match.group(1).lower() if match else ""


class _Writer:
    """Write the XML text of an export, one line per element of its structure."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def text(self) -> str:
        return "".join(self.parts)

    def line(self, depth: int, text: str) -> None:
        self.parts.append("  " * depth + text + "\n")

    def open(self, language, source_language, exported, skipped, export_id):
        self.export_id = export_id
        self.line(0, '<?xml version="1.0" encoding="UTF-8"?>')
        lines = _header_lines(language, source_language, exported, skipped)
        comment = "\n".join("  " + line for line in lines).replace("--", "- -")
        self.line(0, f"<!--\n{comment}\n-->")
        self.line(
            0,
            f'<xliff xmlns="{NAMESPACE}" xmlns:mda="{METADATA_NAMESPACE}" '
            f'version="{VERSION}" srcLang="{_attribute(source_language)}" '
            f'trgLang="{_attribute(language)}">',
        )

    def close(self) -> None:
        self.line(0, "</xliff>")

    def notes(self, depth: int, notes: list[tuple[str, str]]) -> None:
        if not notes:
            return
        self.line(depth, "<notes>")
        for category, text in notes:
            self.line(
                depth + 1,
                f'<note category="{_attribute(category)}">{_note_text(text)}</note>',
            )
        self.line(depth, "</notes>")

    def file(self, file: _File) -> None:
        story = file.story
        self.line(1, f'<file id="{FILE_ID.format(id=story.pk)}">')
        self.line(2, "<mda:metadata>")
        self.line(3, '<mda:metaGroup category="newsroom">')
        self.line(4, f'<mda:meta type="export-id">{self.export_id}</mda:meta>')
        self.line(4, f'<mda:meta type="story">{story.pk}</mda:meta>')
        self.line(3, "</mda:metaGroup>")
        self.line(2, "</mda:metadata>")
        self.notes(
            2,
            [
                ("story", story_note(story)),
                (
                    "source-language",
                    gettext("Source language: %(language)s (%(code)s).")
                    % {
                        "language": language_name(story.source_language),
                        "code": story.source_language,
                    },
                ),
            ],
        )
        for unit in file.units:
            self.unit(unit)
        self.line(1, "</file>")

    def unit(self, unit: _Unit) -> None:
        content = unit.content
        # The HTML of the codes, each text once: many codes share a tag.
        data: dict[str, str] = {}
        for code in content.codes.values():
            for raw in (code.start, code.end):
                if raw is not None and raw not in data:
                    data[raw] = f"d{len(data) + 1}"
        self.line(2, f'<unit id="{unit.key}" xml:space="preserve">')
        self.notes(3, unit.notes)
        if data:
            self.line(3, "<originalData>")
            for raw, name in data.items():
                self.line(4, f'<data id="{name}">{_inline_text(raw)}</data>')
            self.line(3, "</originalData>")
        for piece in content.pieces:
            source = self.inline(piece.source, content, data, piece.is_segment)
            if not piece.is_segment:
                self.line(
                    3,
                    f'<ignorable id="{piece.id}"><source>{source}</source></ignorable>',
                )
                continue
            target = (
                f"<target>{self.inline(piece.target, content, data, True)}</target>"
                if piece.target
                else ""
            )
            self.line(
                3,
                f'<segment id="{piece.id}" state="{piece.state}">'
                f"<source>{source}</source>{target}</segment>",
            )
        self.line(2, "</unit>")

    def inline(
        self, tokens: list[Token], content: Content, data, in_segment: bool
    ) -> str:
        out = []
        for token in tokens:
            if isinstance(token, str):
                out.append(_inline_text(token))
                continue
            code = content.codes[token.code]
            if token.kind == END:
                out.append("</pc>")
            elif token.kind == START:
                name = _tag_name(code.start)
                kind = "link" if name == "a" else "fmt"
                out.append(
                    f'<pc id="{token.code}" dataRefStart="{data[code.start]}" '
                    f'dataRefEnd="{data[code.end]}" canCopy="no" canDelete="no" '
                    f'type="{kind}" dispStart="{_attribute(f"<{name}>")}" '
                    f'dispEnd="{_attribute(f"</{name}>")}">'
                )
            else:
                hints = ""
                if in_segment:
                    name = _tag_name(code.start)
                    hints = f' type="fmt" disp="{_attribute(f"<{name}>")}"'
                out.append(
                    f'<ph id="{token.code}" dataRef="{data[code.start]}" '
                    f'canCopy="no" canDelete="no"{hints}/>'
                )
        return "".join(out)
