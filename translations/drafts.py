"""Workspace drafts: a translation kept, not yet done, never shown to readers.

A translator saves a draft as often as they like, checks failing or not;
marking the translation done applies it to the story (the workspace's one
write path) and drops the draft. One draft per story and language, so two
translators of a language work on one text: a save made from an older
revision of the draft than the stored one is refused, never merged.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from articles import permissions
from articles.models import Article
from core.users import display_name
from translations.models import WorkspaceDraft


class DraftConflict(ValidationError):
    """Someone saved the draft since it was opened; the message says who and when."""


def can_draft(user, article: Article, language: str) -> bool:
    return permissions.is_editor(user) or (
        language in permissions.translation_languages_for(user, article)
    )


def _check_revision(draft: WorkspaceDraft | None, revision: int | None) -> None:
    stored = draft.revision if draft is not None else 0
    if (revision or 0) == stored:
        return
    if draft is None:
        raise DraftConflict(
            gettext(
                "The draft you opened was marked done or discarded meanwhile: "
                "reload the page to see the translation as it is now."
            )
        )
    raise DraftConflict(
        gettext(
            "%(name)s saved this draft at %(time)s, after you opened it: your "
            "changes were not saved over theirs. Copy what you typed, reload "
            "the page and add it again."
        )
        % {
            "name": display_name(draft.saved_by) if draft.saved_by else "?",
            "time": timezone.localtime(draft.saved_at).strftime("%H:%M"),
        }
    )


@transaction.atomic
def draft_save(
    *,
    article: Article,
    language: str,
    user,
    segments: dict[str, dict[str, str]],
    revision: int | None,
) -> WorkspaceDraft:
    """Keep `segments` ({key: {"source", "target"}}) as the language's draft.

    `revision` is the draft's revision the page was opened at (0 or None:
    there was none). Raises DraftConflict if it is not the stored one.
    """
    if not can_draft(user, article, language):
        raise PermissionDenied
    draft = (
        WorkspaceDraft.objects.select_for_update(of=("self",))
        .filter(article=article, language=language)
        .select_related("saved_by")
        .first()
    )
    _check_revision(draft, revision)
    now = timezone.now()
    if draft is None:
        draft = WorkspaceDraft(article=article, language=language, revision=0)
    draft.segments = segments
    draft.revision += 1
    draft.saved_by = user
    draft.saved_at = now
    draft.full_clean()
    draft.save()
    return draft


def draft_check(*, article: Article, language: str, revision: int | None) -> None:
    """Raise DraftConflict unless the draft is still at `revision`; lock it.

    Called in the transaction that marks the translation done, so the draft
    dropped after is the one the translator saw.
    """
    draft = (
        WorkspaceDraft.objects.select_for_update(of=("self",))
        .filter(article=article, language=language)
        .select_related("saved_by")
        .first()
    )
    _check_revision(draft, revision)


def draft_discard(*, article: Article, language: str, user) -> None:
    """Drop the language's draft (the story's texts stay as they are)."""
    if not can_draft(user, article, language):
        raise PermissionDenied
    WorkspaceDraft.objects.filter(article=article, language=language).delete()
