"""Checks of translated entries: the text against its source, then the story.

The texts keep the source's placeholders, tags, links and edges, and fit the
field; the story they go into must still save.
"""

import html
import re
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext

from articles.models import Article
from core.languages import language_name
from core.richtext import sanitize_html, strip_markup
from core.slugs import MAX_SLUG_LENGTH, make_slug, unique_slug
from translations.models import FieldTranslation
from translations.po.report import (
    EntryResult,
    EntryStatus,
    ImportReport,
    ready_by_story,
)
from translations.units import PART_KEY, Unit, fingerprint, unit_for_key, units_for

# The context of an entry names its story and unit: "article:<id>:<unit>".
CONTEXT_PREFIX = "article"
CONTEXT = re.compile(rf"^{CONTEXT_PREFIX}:(\d{{1,18}}):([a-z0-9_.]{{1,40}})$")
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
# Slugs looked up in one query at most, and prefixes of numbered slugs.
SLUG_BATCH = 500
PREFIX_BATCH = 50


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
    if article is None:
        result.fail(
            gettext("Story %(id)s does not exist (any more).") % {"id": article_id}
        )
        return
    result.headline = getattr(article, f"headline_{article.source_language}") or ""
    unit = unit_for_key(article, key)
    if unit is None:
        if PART_KEY.match(key):
            result.fail(
                gettext(
                    "The story has no link or correction “%(field)s” (any more): "
                    "it was removed after the export, or belongs to another story."
                )
                % {"field": key}
            )
        else:
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

    The import writes a story's texts in `language` and nothing else, so the
    fields it writes are validated as the model validates them, and the one
    rule they share with other rows, a slug of the language's own, is kept
    for all the stories at once (`_fill_slugs`): a story's other fields and
    constraints are as they were stored (full_clean would read them all
    again, some fifteen queries a story).
    """
    filled = []
    for article_id, results in ready_by_story(report).items():
        article = articles[article_id]
        written = [result for result in results if not result.is_confirmation]
        units = {
            result.unit_key: unit_for_key(article, result.unit_key)
            for result in written
        }
        for result in written:
            units[result.unit_key].set_text(article, language, result.value)
        if not written:
            continue
        names = {
            f"{units[result.unit_key].field}_{language}"
            for result in written
            if not units[result.unit_key].part
        }
        try:
            article.clean_fields(
                exclude=[f.name for f in Article._meta.fields if f.name not in names]
            )
            for result in written:
                unit = units[result.unit_key]
                if unit.part:
                    # A link's label or a correction: its row's field, as saved.
                    row = article.text_parts()[unit.part]
                    name = f"{unit.field}_{language}"
                    row.clean_fields(
                        exclude=[f.name for f in row._meta.fields if f.name != name]
                    )
        except ValidationError as error:
            written[0].fail(
                gettext("The story cannot be saved: %(errors)s")
                % {"errors": " ".join(error.messages)}
            )
            continue
        filled.append(article)
    _fill_slugs(filled, language)


def _fill_slugs(articles: list[Article], language: str) -> None:
    """Give each of `articles` without a slug in `language` one from its headline.

    What saving each would do (`TranslatedSlugMixin.fill_slugs`), for all of
    them at once: a slug no other story uses, numbered if need be, and none
    given twice in the import. A query for the slugs wanted (by the
    hundred), and one for the taken slugs a numbered one must avoid.
    """
    field = f"slug_{language}"
    bases = {
        article.pk: make_slug(
            getattr(article, f"{Article.slug_source}_{language}"),
            fallback=Article.slug_fallback,
        )
        for article in articles
        if not getattr(article, field)
        and getattr(article, f"{Article.slug_source}_{language}")
    }
    if not bases:
        return
    others = Article.objects.exclude(pk__in=list(bases))
    wanted = sorted(set(bases.values()))
    taken: set[str] = set()
    for start in range(0, len(wanted), SLUG_BATCH):
        taken |= set(
            others.filter(
                **{f"{field}__in": wanted[start : start + SLUG_BATCH]}
            ).values_list(field, flat=True)
        )
    counts = Counter(bases.values())
    # Numbered slugs are chosen among those already taken that start alike.
    numbered = sorted({base for base in wanted if base in taken or counts[base] > 1})
    for start in range(0, len(numbered), PREFIX_BATCH):
        prefixes = Q()
        for base in numbered[start : start + PREFIX_BATCH]:
            prefixes |= Q(**{f"{field}__startswith": base[: MAX_SLUG_LENGTH - 8]})
        taken |= set(others.filter(prefixes).values_list(field, flat=True))
    for article in sorted(articles, key=lambda article: article.pk):
        base = bases.get(article.pk)
        if base is None:
            continue
        slug = unique_slug(base, taken)
        setattr(article, field, slug)
        taken.add(slug)
