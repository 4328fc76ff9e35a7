"""Writes to the picture library: every path (form, PO import, machine, demo)."""

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from articles.services import EditConflict, article_texts_changed, require_version
from core.languages import LANGUAGE_CODES
from core.users import DeskUser
from images import permissions, uploads
from images.models import Image
from images.uploads import NormalisedImage, normalise_image


def _image_columns(*, editable: bool = False) -> list[str]:
    """Return the image's columns (only those a person edits, if `editable`).

    Not the translated fields' base columns (`caption`): they only mirror one
    language's column and are never written on their own.
    """
    return [
        field.attname
        for field in Image._meta.concrete_fields
        if not field.primary_key
        and field.name not in permissions.IMAGE_TRANSLATABLE_FIELDS
        and (field.editable or not editable)
    ]


def image_check_version(
    *,
    image: Image,
    loaded_version: int | None,
    changed_fields: Iterable[str],
    loaded_values: Mapping[str, Any] | None = None,
) -> Image:
    """Lock the stored `image` and return it, unless saving would overwrite a change.

    A picture is edited field by field (captions in three languages, by
    different people), so a form opened at an older version still saves if
    none of the fields it changes was changed since: `loaded_values` holds
    each changed field's value as the form showed it. A changed field without
    one (the file) counts as changed since. Otherwise raise EditConflict.
    """
    stored = Image.objects.select_for_update().get(pk=image.pk)
    _check_image_version(stored, loaded_version, changed_fields, loaded_values)
    return stored


def _check_image_version(
    stored: Image,
    loaded_version: int | None,
    changed_fields: Iterable[str],
    loaded_values: Mapping[str, Any] | None,
) -> None:
    require_version(stored, loaded_version)
    if stored.version == loaded_version:
        return
    loaded_values = loaded_values or {}
    overwritten = [
        name
        for name in changed_fields
        if name not in loaded_values or loaded_values[name] != getattr(stored, name)
    ]
    if overwritten:
        raise EditConflict(stored, overwritten)


@uploads.deleted_on_rollback()
@transaction.atomic
def image_save(
    *,
    image: Image,
    user: DeskUser,
    changed_fields: Iterable[str] | None = None,
    loaded_version: int | None = None,
    loaded_values: Mapping[str, Any] | None = None,
    minor_edit: bool = False,
) -> Image:
    """Save a library image; stories showing it learn their caption changed.

    For a stored image, `changed_fields` names the fields the user changed
    (None: whatever differs from the stored image), and only those are
    written: the rest stays as stored, whatever `image` holds. The version
    check is `image_check_version`'s. A new file is deleted again if the save
    rolls back (`uploads.deleted_on_rollback`).
    """
    fields = _image_columns(editable=True)
    if image._state.adding:
        if not user.has_perm("images.add_image"):
            raise PermissionDenied
        stored = None
        changed = set(fields)
        image.uploaded_by = user
        image.version = 1
    else:
        stored = Image.objects.select_for_update().get(pk=image.pk)
        allowed = permissions.image_editable_fields(user, stored)
        if allowed == set():
            raise PermissionDenied
        if changed_fields is None:
            changed_fields = [
                name for name in fields if getattr(stored, name) != getattr(image, name)
            ]
        changed = {name for name in changed_fields if name in fields}
        if allowed is not None and changed - allowed:
            raise PermissionDenied(
                gettext("You may not change: %(fields)s.")
                % {"fields": ", ".join(sorted(changed - allowed))}
            )
        _check_image_version(stored, loaded_version, changed, loaded_values)
        for name in set(_image_columns()) - changed:
            # Compared first: assigning a file reads its size from storage.
            if getattr(image, name) != getattr(stored, name):
                setattr(image, name, getattr(stored, name))
        image.version = stored.version + 1
    new_file = "file" in changed and image.file and not image.file._committed
    if new_file and not isinstance(image.file.file, NormalisedImage):
        # A file from anywhere but the admin form (which cleans its own) is
        # checked and stored re-encoded without metadata, like an upload.
        image.file = normalise_image(image.file.file)[0]
    image.full_clean()
    if new_file:
        # Its bytes are in hand: no need to ask the storage after.
        image.file_size = image.file.file.size
        image.upload_sha256 = getattr(image.file.file, "source_sha256", "")
        uploads.store_file(image.file)
    if stored is None:
        image.save()
    else:
        written = changed | {"version"}
        if "file" in written:
            written |= {"width", "height", "file_size", "upload_sha256"}
        image.save(update_fields=sorted(written))
        _image_shown_changed(image, stored, user=user, minor_edit=minor_edit)
    return image


def _image_shown_changed(
    image: Image,
    stored: Image,
    *,
    user: DeskUser | None,
    minor_edit: bool = False,
    machine: str = "",
) -> None:
    """Tell every story showing `image` that its text changed (`stored` before).

    The one place a picture's write reaches the stories showing it: through
    `article_texts_changed`, so translations refreshes each story's states.
    """
    for article in image.featured_in.all():
        # The story as it read before: the same text, the old picture.
        before = copy.copy(article)
        before.feature_image = stored
        article.feature_image = image
        article_texts_changed(
            article=article,
            stored=before,
            user=user,
            minor_edit=minor_edit,
            machine=machine,
        )


# The words of a picture: its alt text, caption and credit in every language.
# Written by people (the admin form, through `image_save`) and by
# imports and machines (through `image_texts_save`).
IMAGE_TEXT_FIELDS = frozenset(
    {
        f"{field}_{code}"
        for field in permissions.IMAGE_TRANSLATABLE_FIELDS
        for code in LANGUAGE_CODES
    }
)


@transaction.atomic
def image_texts_save(
    *,
    image: Image,
    user: DeskUser | None,
    texts: Mapping[str, str],
    minor_edit: bool = False,
    machine: str = "",
) -> Image:
    """Write some words of the stored `image`; every story showing it learns.

    `texts` maps fields of `IMAGE_TEXT_FIELDS` (`caption_ja`) to their new
    text; only those and the version are written, on the locked row, so a
    picture form opened before may not overwrite them (`image_save`'s
    version check). `user` is bound by `permissions.image_editable_fields`
    like the admin form (a PO import or machine translation by a translator
    writes their own languages only); None is a write by no person (the demo
    loader). `machine` names the machine translator that wrote the texts:
    the stories' translations of them are machine output. Return the image
    as stored now.
    """
    unknown = set(texts) - IMAGE_TEXT_FIELDS
    if unknown:
        raise ValueError(f"Not words of a picture: {', '.join(sorted(unknown))}")
    stored = Image.objects.select_for_update().get(pk=image.pk)
    if user is not None:
        allowed = permissions.image_editable_fields(user, stored)
        if allowed == set():
            raise PermissionDenied
        if allowed is not None and set(texts) - allowed:
            raise PermissionDenied(
                gettext("You may not change: %(fields)s.")
                % {"fields": ", ".join(sorted(set(texts) - allowed))}
            )
    saved = copy.copy(stored)
    for name, text in texts.items():
        setattr(saved, name, text)
    saved.version = stored.version + 1
    saved.full_clean(
        exclude=[field.name for field in Image._meta.fields if field.name not in texts],
        validate_constraints=False,
    )
    saved.save(update_fields=[*sorted(texts), "version"])
    _image_shown_changed(
        saved, stored, user=user, minor_edit=minor_edit, machine=machine
    )
    return saved


def image_same_file(digest: str, *, exclude: Image | None = None) -> Image | None:
    """Return the library's picture uploaded from the same file, if any."""
    if not digest:
        return None
    pictures = Image.objects.filter(upload_sha256=digest).order_by("pk")
    if exclude is not None and exclude.pk is not None:
        pictures = pictures.exclude(pk=exclude.pk)
    return pictures.first()
