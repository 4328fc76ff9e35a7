"""Each person's unsaved changes to a story, kept while their form is open."""

import json

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from articles.models import Article, WorkingCopy
from core.users import DeskUser

# A form's text as the browser sends it; a story is far smaller than this.
MAX_BYTES = 512 * 1024
# What a working copy never keeps: the form's plumbing and its buttons.
LEFT_OUT = ("csrfmiddlewaretoken", "loaded_version", "_save", "_continue", "_workflow")


def form_fields(data) -> dict[str, list[str]]:
    """Return the fields of a posted story form worth keeping, as lists of values."""
    return {
        name: data.getlist(name)
        for name in data
        if name not in LEFT_OUT and not name.startswith(("initial-", "_"))
    }


def working_copy_keep(
    *,
    article: Article | None,
    user: DeskUser,
    fields: dict[str, list[str]],
    version: int,
) -> WorkingCopy:
    """Keep what `user` has typed into `article`'s form (one copy per person).

    `article` None: the story they are writing in the add form, not saved yet.
    """
    if len(json.dumps(fields, ensure_ascii=False).encode()) > MAX_BYTES:
        raise ValidationError(gettext("Too much to keep: save the story instead."))
    copy, _created = WorkingCopy.objects.update_or_create(
        article=article,
        user=user,
        defaults={"fields": fields, "version": version, "saved_at": timezone.now()},
    )
    return copy


def working_copy_for(*, article: Article | None, user: DeskUser) -> WorkingCopy | None:
    """Return `user`'s unsaved changes to `article`, if they kept any since saving."""
    return WorkingCopy.objects.filter(article=article, user=user).first()


def working_copy_drop(*, article: Article | None, user: DeskUser) -> None:
    WorkingCopy.objects.filter(article=article, user=user).delete()
