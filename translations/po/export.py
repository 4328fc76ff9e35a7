"""The export: a catalogue of stories for translation into one language.

A translation made from an older source is marked fuzzy, with that older
source as `#| msgid`.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import polib
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from articles.models import Article
from core.languages import LANGUAGE_CODES, language_name
from translations.models import TranslationState
from translations.po.checks import (
    CONTEXT_PREFIX,
    line_count,
    match_edges,
    placeholders,
)
from translations.po.limits import (
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_LINES,
    MAX_STRING_CHARS,
    MAX_STRING_LINES,
)
from translations.units import fingerprint, units_for

PLURAL_FORMS = {
    "ko": "nplurals=1; plural=0;",
    "ja": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
}


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
        return skipped_message(self.skipped, self.language)


def skipped_message(skipped: list[Article], language: str) -> str:
    """Say which stories were left out for being written in the target language."""
    if not skipped:
        return ""
    return ngettext(
        "Not exported: %(stories)s is written in %(language)s, so it has "
        "no %(language)s translation.",
        "Not exported: %(stories)s are written in %(language)s, so they "
        "have no %(language)s translation.",
        len(skipped),
    ) % {
        "stories": ", ".join(
            gettext("story %(id)s") % {"id": article.pk} for article in skipped
        ),
        "language": language_name(language),
    }


def catalogue_export(
    *, articles: Iterable[Article] | models.QuerySet, language: str
) -> CatalogueExport:
    """Return the PO catalogue of `articles` for translation into `language`.

    Comments are written in the active language, all of them (the exporter's
    desk language).
    """
    if language not in LANGUAGE_CODES:
        raise ValueError(f"Unknown language {language!r}")
    stories = stories_for_export(articles, language)
    exported = [story for story in stories if story.source_language != language]
    skipped = [story for story in stories if story.source_language == language]
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
    for story in exported:
        states = getattr(story, "po_states", [])
        records = (
            {record.unit: record for record in states[0].fields.all()} if states else {}
        )
        for unit in units_for(story):
            entry = _entry(story, unit, language, records.get(unit.key))
            if entry is not None:
                catalogue.append(entry)
    return CatalogueExport(
        catalogue=catalogue,
        language=language,
        export_id=export_id,
        stories=exported,
        skipped=skipped,
        entry_count=len(catalogue),
    )


def stories_for_export(
    articles: Iterable[Article] | models.QuerySet, language: str
) -> list[Article]:
    """Return `articles` in order, each with its state in `language` as `po_states`.

    The state (a list of none or one) comes with its fields' records.
    """
    if isinstance(articles, models.QuerySet):
        ids = articles.values("pk")
    else:
        ids = [article.pk for article in articles]
    return list(
        Article.objects.filter(pk__in=ids)
        .select_related("feature_image")
        .prefetch_related(
            # Their words are units of the story (Article.text_parts).
            "external_links",
            "corrections",
            Prefetch(
                "translation_states",
                queryset=TranslationState.objects.filter(
                    language=language
                ).prefetch_related("fields"),
                to_attr="po_states",
            ),
        )
        .order_by("pk")
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


def story_note(story) -> str:
    """Return the line naming a story for translators: its number and headline."""
    return gettext("Story %(id)s: %(headline)s") % {
        "id": story.pk,
        "headline": getattr(story, f"headline_{story.source_language}") or "",
    }


def unit_notes(story, unit, source: str) -> list[tuple[str, str]]:
    """Return the translator's help on one unit, as (kind, text) pairs.

    The comments of a PO entry and the notes of an XLIFF unit, in the
    exporter's language.
    """
    notes = [
        ("story", story_note(story)),
        (
            "source-language",
            gettext("Source language: %(language)s (%(code)s).")
            % {
                "language": language_name(story.source_language),
                "code": story.source_language,
            },
        ),
        ("description", str(unit.help)),
    ]
    if unit.max_length:
        notes.append(
            (
                "length",
                ngettext(
                    "At most %(count)s character.",
                    "At most %(count)s characters.",
                    unit.max_length,
                )
                % {"count": unit.max_length},
            )
        )
    if unit.key == "key_points":
        notes.append(
            (
                "points",
                ngettext(
                    "The source has %(count)s point.",
                    "The source has %(count)s points.",
                    line_count(source),
                )
                % {"count": line_count(source)},
            )
        )
    found = sorted(placeholders(source))
    if found:
        notes.append(
            (
                "placeholders",
                gettext("Keep these placeholders: %(placeholders)s")
                % {"placeholders": " ".join(found)},
            )
        )
    return notes


def _entry(story, unit, language, record) -> polib.POEntry | None:
    source = unit.text(story, story.source_language)
    if not source.strip():
        return None
    target = match_edges(source, unit.text(story, language))
    comments = [text for _kind, text in unit_notes(story, unit, source)]
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
