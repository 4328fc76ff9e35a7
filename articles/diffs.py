"""Compare two revisions of a story field by field, its parts and tags included."""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser

from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modeltranslation.translator import translator
from reversion.models import Version

from articles.models import Article
from articles.revisions import STORY_PARTS, field_label
from core.richtext import SanitizedHTMLField

# ASCII words stay whole; Korean and Japanese compare character by character.
TOKENS = re.compile(r"\s+|[A-Za-z0-9_]+|.", re.DOTALL)
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "created_by", "updated_by"}
# Fields of a story part that tie it to the story rather than describe it.
PART_PLUMBING = {"article", "content_object", "position"}


@dataclass
class FieldChange:
    label: str
    diff: SafeString


def inline_diff(old: str, new: str) -> SafeString:
    """Return `new` as HTML with what was removed in <del> and added in <ins>."""
    old_tokens, new_tokens = TOKENS.findall(old), TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(old_tokens[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(old_tokens[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new_tokens[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def _shown_value(field, value) -> str:
    """Return a stored value as the desk reads it, so equal values compare equal.

    Times are compared as the desk shows them, to the minute in the
    newsroom's zone (a revision keeps milliseconds, the form sends none);
    line ends as newlines.
    """
    if value is None:
        return ""
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return str(value).replace("\r\n", "\n")


def _story_fields(version: Version) -> dict[str, tuple[str, bool]]:
    """Return {label: (value, is rich text)} for a revision's own story fields.

    A translated field's base column only mirrors one language: it is left
    out, each language's column shown once.
    """
    values = version.field_dict
    translated = set(translator.get_options_for_model(Article).all_fields)
    fields = {}
    for field in Article._meta.concrete_fields:
        if (
            field.name in HIDDEN_FIELDS
            or field.name in translated
            or field.attname not in values
        ):
            continue
        fields[field_label(field.name)] = (
            _shown_value(field, values[field.attname]),
            isinstance(field, SanitizedHTMLField),
        )
    return fields


def _shown_fields(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in PART_PLUMBING
    ]


def _story_parts(version: Version) -> list[Version]:
    """Return the versions of the story's parts saved in the same revision."""
    models = {
        Article._meta.get_field(accessor).related_model for accessor in STORY_PARTS
    }
    return [
        part
        for part in version.revision.version_set.select_related("content_type")
        if part.content_type.model_class() in models
    ]


def _related_names(parts: list[Version]) -> dict[tuple, str]:
    """Name what the parts point at (authors, tags, stories): one query a kind."""
    wanted: dict[type, set] = defaultdict(set)
    for part in parts:
        for field in _shown_fields(part._model):
            value = part.field_dict.get(field.attname)
            if field.is_relation and value not in (None, ""):
                wanted[field.related_model].add(value)
    return {
        (model, pk): str(related)
        for model, pks in wanted.items()
        for pk, related in model._default_manager.in_bulk(pks).items()
    }


def _describe(part: Version, names: dict[tuple, str]) -> str:
    """Describe a story part by its own fields: "Example Daily · https://…"."""
    values = part.field_dict
    shown = []
    for field in _shown_fields(part._model):
        value = values.get(field.attname)
        if value in (None, ""):
            continue
        if field.is_relation:
            value = names.get((field.related_model, value), value)
        shown.append(str(value))
    return " · ".join(shown)


def _parts(parts: list[Version], names: dict[tuple, str]) -> dict[str, str]:
    """Return each kind of story part of the revision as lines of text."""
    lines: dict[str, list[str]] = {}
    for accessor in STORY_PARTS:
        model = Article._meta.get_field(accessor).related_model
        label = (
            str(Article._meta.get_field("tags").verbose_name)
            if accessor == "tagged_items"
            else str(model._meta.verbose_name_plural)
        )
        lines[label] = sorted(
            _describe(part, names) for part in parts if part._model is model
        )
    return {label: "\n".join(values) for label, values in lines.items()}


def compare(old: Version, new: Version) -> list[FieldChange]:
    """Return the fields and parts that differ between two story revisions."""
    old_parts, new_parts = _story_parts(old), _story_parts(new)
    names = _related_names(old_parts + new_parts)
    before = {
        **_story_fields(old),
        **{label: (text, False) for label, text in _parts(old_parts, names).items()},
    }
    after = {
        **_story_fields(new),
        **{label: (text, False) for label, text in _parts(new_parts, names).items()},
    }
    changes = []
    for label in dict.fromkeys([*before, *after]):
        old_value, rich = before.get(label, ("", False))
        new_value, rich = after.get(label, ("", rich))
        if old_value == new_value:
            continue
        if rich:
            diff = html_diff(old_value, new_value)
            if not diff:
                continue  # the same text, only markup written another way
        else:
            diff = inline_diff(old_value, new_value)
        changes.append(FieldChange(label, diff))
    return changes


# --- rich text as text -------------------------------------------------------

# Blocks a story body is made of; anything else reads as a paragraph.
BLOCKS = {"p", "h2", "h3", "h4", "li", "blockquote", "figcaption", "pre"}


class _Blocks(HTMLParser):
    """Read sanitised HTML as (block tag, text) pairs: what a reader sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self._tag = "p"
        self._text: list[str] = []

    def _close(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append((self._tag, text))
        self._text = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in BLOCKS:
            self._close()
            self._tag = tag
        elif tag == "br":
            self._text.append(" ")

    def handle_endtag(self, tag) -> None:
        if tag in BLOCKS:
            self._close()
            self._tag = "p"

    def handle_data(self, data) -> None:
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self._close()


def blocks(html: str) -> list[tuple[str, str]]:
    parser = _Blocks()
    parser.feed(html or "")
    parser.close()
    return parser.blocks


def html_diff(old: str, new: str) -> SafeString:
    """Return the new text as blocks, changes marked inside each; "" if none.

    Headings stay headings and list items list items; text is compared word
    by word in English and character by character in Korean and Japanese.
    """
    old_blocks, new_blocks = blocks(old), blocks(new)
    if old_blocks == new_blocks:
        return mark_safe("")  # noqa: S308 - empty
    shown: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old_blocks, new_blocks, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            shown += [(tag, escape(text)) for tag, text in old_blocks[i1:i2]]
            continue
        olds, news = old_blocks[i1:i2], new_blocks[j1:j2]
        for index in range(max(len(olds), len(news))):
            before = olds[index] if index < len(olds) else None
            after = news[index] if index < len(news) else None
            if before and after and before[0] == after[0]:
                shown.append((after[0], inline_diff(before[1], after[1])))
                continue
            if before:
                shown.append((before[0], f"<del>{escape(before[1])}</del>"))
            if after:
                shown.append((after[0], f"<ins>{escape(after[1])}</ins>"))
    html, in_list = [], False
    for tag, inner in shown:
        if (tag == "li") != in_list:
            html.append("<ul>" if tag == "li" else "</ul>")
            in_list = tag == "li"
        html.append(f"<{tag}>{inner}</{tag}>")
    if in_list:
        html.append("</ul>")
    return mark_safe("".join(html))  # noqa: S308 - every text piece is escaped
