"""Compare two revisions of a story field by field, its parts and tags included."""

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from articles.models import Article
from articles.revisions import STORY_PARTS

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


def _story_fields(version: Version) -> dict[str, str]:
    values = version.field_dict
    fields = {}
    for field in Article._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS or field.attname not in values:
            continue
        value = values[field.attname]
        if field.choices:
            value = dict(field.flatchoices).get(value, value)
        fields[str(field.verbose_name)] = "" if value is None else str(value)
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
    before = {**_story_fields(old), **_parts(old_parts, names)}
    after = {**_story_fields(new), **_parts(new_parts, names)}
    return [
        FieldChange(label, inline_diff(before.get(label, ""), after.get(label, "")))
        for label in dict.fromkeys([*before, *after])
        if before.get(label, "") != after.get(label, "")
    ]
