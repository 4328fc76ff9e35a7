"""What a story revision records: the story, its parts and its tags."""

import json
from datetime import datetime

import reversion
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Byline, Correction
from core.languages import language_name

# Inline relations saved with each revision of a story (reverse accessors).
STORY_PARTS = {
    "bylines": Byline,
    "corrections": Correction,
    "sources": "related.Source",
    "related_articles": "related.RelatedArticle",
    "external_links": "related.ExternalLink",
    "tagged_items": "tags.TaggedArticle",
}
# Workflow state belongs to the present: a restore keeps the current values.
NOT_RESTORED = [
    "status",
    "published_at",
    "is_breaking",
    "placement",
    "created_by",
    "created_at",
    "live_effects_at",
]


def register_models() -> None:
    for model in STORY_PARTS.values():
        model = apps.get_model(model) if isinstance(model, str) else model
        if not reversion.is_registered(model):
            reversion.register(model)
    if not reversion.is_registered(Article):
        # The version counter guards against edit conflicts; a revision must
        # never bring an old number back.
        reversion.register(
            Article, follow=list(STORY_PARTS), exclude=["version", "live_effects_at"]
        )


# Why a revision was saved. Stored as a key and its values, never as words:
# each person reads the note in their own desk language (`note_text`).
NOTES: dict[str, Promise] = {
    "changed": _("Changed: %(fields)s"),
    "published": _("Published"),
    "unpublished": _("Unpublished"),
    "returned": _("Returned to the reporter"),
    "restored": _("Restored the version of %(date)s"),
    "machine": _("Machine translation into %(language)s (%(translator)s)"),
    "imported": _("Imported translation (%(language)s) from PO file %(file)s"),
}


def note(kind: str, **values: object) -> str:
    """Return a revision note to store: `kind` of NOTES and the values it names."""
    if kind not in NOTES:
        raise ValueError(f"No revision note {kind!r}")
    return json.dumps({"note": kind, **values}, ensure_ascii=False, sort_keys=True)


def field_label(name: str) -> str:
    """Name a story field in the desk's language: "headline (Korean)"."""
    try:
        field = Article._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    language = getattr(field, "language", None)
    base = getattr(field, "translated_field", None)
    if language and base is not None:
        return f"{base.verbose_name} ({language_name(language)})"
    return str(getattr(field, "verbose_name", name))


def note_text(comment: str) -> str:
    """Return a stored revision note in the active language.

    Notes written before they were stored as keys come back as they were.
    """
    try:
        data = json.loads(comment)
    except ValueError:
        return comment
    if not isinstance(data, dict) or data.get("note") not in NOTES:
        return comment
    template = str(NOTES[data.pop("note")])
    values: dict[str, str] = {}
    for key, value in data.items():
        if key == "fields":
            values[key] = ", ".join(field_label(name) for name in value)
        elif key == "language":
            values[key] = language_name(value)
        elif key == "date":
            moment = timezone.localtime(datetime.fromisoformat(value))
            values[key] = formats.date_format(moment, "DATETIME_FORMAT")
        else:
            values[key] = str(value)
    return template % values if values else template
