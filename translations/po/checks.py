"""Checks of translated entries: the text against its source, then the story.

The texts keep the source's placeholders, tags, links and edges, and fit the
field; the story they go into must still save.
"""

import html
import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from articles.models import Article
from core.languages import language_name
from core.richtext import sanitize_html, strip_markup
from translations.models import FieldTranslation
from translations.po.report import (
    EntryResult,
    EntryStatus,
    ImportReport,
    ready_by_story,
)
from translations.units import UNITS_BY_KEY, Unit, fingerprint, units_for

# The context of an entry names its story and unit: "article:<id>:<unit>".
CONTEXT_PREFIX = "article"
CONTEXT = re.compile(rf"^{CONTEXT_PREFIX}:(\d{{1,18}}):([a-z_.]{{1,40}})$")
# Printf-style, named and brace placeholders; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(
    r"%%|%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}|\{\d*\}"
)
# A tag as the sanitiser writes them, "<name attributes>" or "</name>" without
# "<" or ">" inside (it escapes those), or the start of a comment. Possessive
# and bounded by the next "<" or ">", so a scan is linear whatever the text
# holds; a "<" that starts none of them is text.
TAG = re.compile(r"<(?:(!--)|(/?)([A-Za-z][^\t\n\r\f />\x00<]*+)([^<>]*+)>)")
ATTRIBUTE = re.compile(
    r"""([^\s/=]++)(?:\s*+=\s*+(?:"([^"]*+)"|'([^']*+)'|([^\s"']*+)))?"""
)


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


def check_entries(entries, articles: dict[int, Article], language: str) -> None:
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


def check_stories(report: ImportReport, articles, language: str) -> None:
    """Put each story's new texts in place in memory and check the story still saves.

    A picture's words go to the story's own fields (`Unit.set_text`), never
    to the library: two stories showing one picture may word it differently.
    """
    for article_id, results in ready_by_story(report).items():
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
