"""What a story revision records: the story, its parts and its tags."""

import json
from datetime import datetime

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, router
from django.db.models import prefetch_related_objects
from django.utils import formats, timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision, Version
from reversion.signals import post_revision_commit, pre_revision_commit

from articles.models import Article, Byline, Correction, withheld_fields
from core.languages import language_name
from core.users import DeskUser

# Inline relations saved with each revision of a story (reverse accessors).
STORY_PARTS = {
    "bylines": Byline,
    "corrections": Correction,
    "sources": "related.Source",
    "related_articles": "related.RelatedArticle",
    "external_links": "related.ExternalLink",
    "tagged_items": "tags.TaggedArticle",
}
# What a revision reads of a story: its parts, and what their names show
# (a version keeps each object's name; a related story's row names it by
# number, as reversion's own recording does, without reading it).
RECORDED_PARTS = [
    *STORY_PARTS,
    "bylines__author",
    "tagged_items__tag",
]
# A story's fields its revisions leave out: the version counter guards against
# edit conflicts, and a revision must never bring an old number back.
# Which languages are withheld is the translations' state now, not the text's.
NOT_RECORDED = ["version", "live_effects_at", *withheld_fields()]
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
        reversion.register(Article, follow=list(STORY_PARTS), exclude=NOT_RECORDED)


def revisions_save(
    articles: list[Article], *, user: DeskUser | None, comment: str
) -> None:
    """Record a revision of each of `articles` as just saved, with its parts.

    What `reversion.create_revision()` around each story's save records (see
    register_models), for many stories saved at once (imports): the parts
    are read once for all the stories (what is prefetched already is not
    read again), and the revisions and their versions are inserted
    together. Call it in the saving transaction and outside any revision
    block, which would take the stories into its own revision instead.
    """
    if not articles:
        return
    prefetch_related_objects(articles, *RECORDED_PARTS)
    now = timezone.now()
    recorded = []
    for article in articles:
        objects = [article]
        for accessor in STORY_PARTS:
            objects += list(getattr(article, accessor).all())
        versions = [_version(obj) for obj in objects]
        revision = Revision(date_created=now, user=user, comment=comment)
        pre_revision_commit.send(
            sender=reversion.create_revision, revision=revision, versions=versions
        )
        recorded.append((revision, versions))
    if connection.features.can_return_rows_from_bulk_insert:
        Revision.objects.bulk_create([revision for revision, _versions in recorded])
    else:
        for revision, _versions in recorded:
            revision.save()
    for revision, versions in recorded:
        for version in versions:
            version.revision = revision
    Version.objects.bulk_create(
        [version for _revision, versions in recorded for version in versions],
        batch_size=500,
    )
    for revision, versions in recorded:
        post_revision_commit.send(
            sender=reversion.create_revision, revision=revision, versions=versions
        )


def _version(obj: models.Model) -> Version:
    """Return the version of `obj` a revision holds, as django-reversion writes it.

    Its fields are those reversion.register() takes for the model: every
    local field and many-to-many, less the story's NOT_RECORDED.
    """
    model = type(obj)
    opts = (model._meta.concrete_model or model)._meta
    excluded = NOT_RECORDED if model is Article else []
    fields = tuple(
        field.name
        for field in opts.local_fields + opts.local_many_to_many
        if field.name not in excluded
    )
    return Version(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=True),
        object_id=force_str(obj.pk),
        db=router.db_for_write(model, instance=obj),
        format="json",
        serialized_data=serializers.serialize("json", (obj,), fields=fields),
        object_repr=force_str(obj),
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
