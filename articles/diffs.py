"""Compare two revisions of a story field by field, its parts and tags included."""

import difflib
import re
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


def _describe(part: Version) -> str:
    """Describe a story part by its own fields: "Example Daily · https://…"."""
    values = part.field_dict
    shown = []
    for field in part._model._meta.concrete_fields:
        if field.primary_key or field.name in PART_PLUMBING:
            continue
        value = values.get(field.attname)
        if value in (None, ""):
            continue
        if field.is_relation:
            related = field.related_model._default_manager.filter(pk=value).first()
            value = related if related is not None else value
        shown.append(str(value))
    return " · ".join(shown)


def _parts(version: Version) -> dict[str, str]:
    """Return each kind of story part of the revision as lines of text."""
    lines: dict[str, list[str]] = {}
    for accessor in STORY_PARTS:
        model = Article._meta.get_field(accessor).related_model
        label = (
            str(Article._meta.get_field("tags").verbose_name)
            if accessor == "tagged_items"
            else str(model._meta.verbose_name_plural)
        )
        part_versions = version.revision.version_set.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        )
        lines[label] = sorted(_describe(part) for part in part_versions)
    return {label: "\n".join(values) for label, values in lines.items()}


def snapshot(version: Version) -> dict[str, str]:
    return {**_story_fields(version), **_parts(version)}


def compare(old: Version, new: Version) -> list[FieldChange]:
    """Return the fields and parts that differ between two story revisions."""
    before, after = snapshot(old), snapshot(new)
    return [
        FieldChange(label, inline_diff(before.get(label, ""), after.get(label, "")))
        for label in dict.fromkeys([*before, *after])
        if before.get(label, "") != after.get(label, "")
    ]
