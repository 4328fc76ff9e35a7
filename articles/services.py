"""Writes with side effects: the admin, commands and imports all come through here."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from reversion.models import Version

from articles import permissions, revisions
from articles.models import (
    Article,
    DeskNote,
    FormerSlug,
    LanguageEdition,
    withheld_field,
    withheld_fields,
)
from articles.revisions import NOT_RESTORED
from articles.signals import (
    article_returned,
    article_submitted,
    article_text_changed,
    article_went_live,
    article_withholding_changed,
)
from core.languages import LANGUAGE_CODES, check_language
from core.users import DeskUser


class Versioned(Protocol):
    """A story or a picture: saved with a version that every save raises."""

    pk: Any
    version: int


class EditConflict(Exception):
    """The story or picture was saved by someone else after this person loaded it.

    `current` is what is stored now; `fields` names the fields both changed
    (empty when the whole object was at stake).
    """

    def __init__(self, current: Versioned, fields: Iterable[str] = ()) -> None:
        super().__init__(
            f"{type(current).__name__} {current.pk} is at version {current.version}"
        )
        self.current = current
        self.fields = sorted(fields)


def require_version(obj: Versioned, loaded_version: int | None) -> None:
    """Refuse a save of a stored story or picture that names no loaded version."""
    # A form or caller that cannot say which version it changed could
    # overwrite any save made since: refuse it outright.
    if loaded_version is None:
        raise ValueError(
            f"Saving an existing {type(obj).__name__} needs the loaded_version "
            "it was read at."
        )


def article_texts_changed(
    *,
    article: Article,
    stored: Article | None,
    user: DeskUser | None = None,
    minor_edit: bool = False,
    machine: str = "",
) -> None:
    """Send `article_text_changed`: `article`'s text was saved.

    The one sender of that signal. Call it inside the saving transaction, with
    the story as stored before (None for a new story): the receivers write in
    it. Writes that bypass `article_save` (the demo loader, imports,
    factories) call it too. `machine` names the machine translator that wrote
    the texts that changed ("" for a person).
    """
    article_text_changed.send(
        sender=Article,
        article=article,
        stored=stored,
        user=user,
        minor_edit=minor_edit,
        machine=machine,
    )


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def article_check_version(*, article: Article, loaded_version: int | None) -> Article:
    """Lock the stored `article` and return it, if it is still at `loaded_version`.

    Raise EditConflict if someone saved it since. Call it inside a transaction:
    the row stays locked until that transaction ends, so nobody slips in
    between (the admin form checks first, to show the conflict as its error).
    """
    require_version(article, loaded_version)
    stored = _locked(article)
    if stored.version != loaded_version:
        raise EditConflict(stored)
    return stored


def _check_changes(
    user: DeskUser, stored: Article | None, article: Article, changed: set[str]
) -> None:
    allowed = permissions.editable_fields(user, stored)
    if allowed is not None and changed - allowed:
        raise PermissionDenied(
            gettext("You may not change: %(fields)s.")
            % {"fields": ", ".join(sorted(changed - allowed))}
        )
    if article.status not in permissions.allowed_statuses(user, stored):
        raise PermissionDenied(gettext("You may not publish or unpublish stories."))
    if changed & set(permissions.PLACEMENT_FIELDS) and not permissions.can_place(user):
        raise PermissionDenied(gettext("You may not place stories."))


def article_save_version(
    article: Article,
    user: DeskUser,
    comment: str,
    *,
    update_fields: Iterable[str] | None = None,
) -> None:
    """Save `article` as a new version by `user`, with a revision saying why.

    For writes already checked and locked by their service (workflow steps,
    imports, machine translation). `update_fields`, when given, are the only
    fields written (the version's own are added).
    """
    article.updated_by = user
    article.version += 1
    if update_fields is not None:
        update_fields = {*update_fields, "version", "updated_by", "updated_at"}
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        article.save(update_fields=update_fields)


def article_save_versions(
    articles: list[Article],
    user: DeskUser,
    comment: str,
    *,
    texts: Iterable[str] | None = None,
) -> None:
    """Save each of `articles` as `article_save_version` does, each with its revision.

    For writes of many stories at once (imports), already checked and locked:
    each story is saved (what search and the picture records hear), the
    revisions recorded together (`revisions.revisions_save`). `texts`, when
    given, names the only text fields the caller changed: a save then writes
    those, the slugs (saving fills the empty ones) and the version, not every
    column of the story in every language.
    """
    fields = None
    if texts is not None:
        fields = {
            *texts,
            *(f"slug_{code}" for code in LANGUAGE_CODES),
            "version",
            "updated_by",
            "updated_at",
        }
    if reversion.is_active():
        # A revision block around this write takes in every save: leave it so.
        for article in articles:
            article_save_version(article, user, comment, update_fields=fields)
        return
    for article in articles:
        article.updated_by = user
        article.version += 1
        article.save(update_fields=fields)
    revisions.revisions_save(articles, user=user, comment=comment)


def _after_save(article: Article) -> None:
    """Send the going-live hook on commit if the story is live now.

    A story scheduled for later gets it from the publish_scheduled command.
    """
    if (
        article.status == Article.Status.PUBLISHED
        and article.published_at is not None
        and article.published_at <= timezone.now()
    ):
        transaction.on_commit(lambda: article_run_live_effects(article_id=article.pk))


@transaction.atomic
def article_save(
    *,
    article: Article,
    user: DeskUser,
    changed_fields: Iterable[str],
    loaded_version: int | None = None,
    minor_edit: bool = False,
) -> Article:
    """Save `article` as `user` changed it, checking rights, workflow and version.

    `changed_fields` names the model fields the user changed; `loaded_version`
    is the version their form showed, required for a stored story: a save over
    a version someone saved since raises EditConflict. `minor_edit` says a
    change to the source text (a typo fixed) leaves its translations as fresh
    as they were.
    """
    if article._state.adding:
        if not user.has_perm("articles.add_article"):
            raise PermissionDenied
        stored = None
        article.created_by = user
    else:
        stored = article_check_version(article=article, loaded_version=loaded_version)
        if not permissions.can_edit(user, stored):
            raise PermissionDenied
    changed = set(changed_fields)
    if stored is not None and stored.status != article.status:
        changed.add("status")
    _check_changes(user, stored, article, changed)
    article.updated_by = user
    article.version = stored.version + 1 if stored else 1
    article.full_clean()
    with reversion.create_revision():
        reversion.set_user(user)
        article.save()
    if stored is not None:
        _keep_former_slugs(stored, article)
    article_texts_changed(
        article=article, stored=stored, user=user, minor_edit=minor_edit
    )
    if article.status == Article.Status.IN_REVIEW and (
        stored is None or stored.status != Article.Status.IN_REVIEW
    ):
        article_submitted.send(sender=Article, article=article, user=user)
    _after_save(article)
    return article


def _keep_former_slugs(stored: Article, article: Article) -> None:
    """Remember each published address whose slug changed, so it redirects."""
    for code in LANGUAGE_CODES:
        old, new = getattr(stored, f"slug_{code}"), getattr(article, f"slug_{code}")
        if old and old != new and stored.published_at is not None:
            FormerSlug.objects.update_or_create(
                language=code, slug=old, defaults={"article": article}
            )
        # A slug taken back into use is current again, not a redirect.
        FormerSlug.objects.filter(language=code, slug=new).delete()


@transaction.atomic
def article_publish(
    *, article: Article, user: DeskUser, at: datetime | None = None
) -> Article:
    """Publish `article` now, or from `at` on (a scheduled story)."""
    if not permissions.can_publish(user):
        raise PermissionDenied(gettext("You may not publish or unpublish stories."))
    stored = _locked(article)
    stored.status = Article.Status.PUBLISHED
    if at is not None:
        stored.published_at = at
    elif stored.published_at is None or stored.published_at > timezone.now():
        stored.published_at = timezone.now()
    stored.full_clean()
    article_save_version(stored, user, revisions.note("published"))
    _after_save(stored)
    return stored


@transaction.atomic
def article_unpublish(*, article: Article, user: DeskUser) -> Article:
    """Take `article` off the public site in every language."""
    if not permissions.can_publish(user):
        raise PermissionDenied(gettext("You may not publish or unpublish stories."))
    stored = _locked(article)
    stored.status = Article.Status.UNPUBLISHED
    article_save_version(stored, user, revisions.note("unpublished"))
    return stored


@transaction.atomic
def article_restore(*, article: Article, user: DeskUser, version: Version) -> Article:
    """Bring back the text, parts and tags `article` had in `version`.

    Publication state (status, times, placement) stays as it is now: restoring
    an old draft's wording must not unpublish a live story.
    """
    current = _locked(article)
    if not permissions.can_edit_content(user, current):
        raise PermissionDenied
    if (
        version.object_id != str(current.pk)
        or version.content_type.model_class() is not Article
    ):
        raise PermissionDenied
    kept = {name: getattr(current, name) for name in NOT_RESTORED}
    with reversion.create_revision():
        version.revision.revert(delete=True)
        # The revert wrote the whole row, the withheld flags it does not
        # record as False: they stay as they are now.
        Article.objects.filter(pk=current.pk).update(
            **{field: getattr(current, field) for field in withheld_fields()}
        )
        restored = Article.objects.get(pk=current.pk)
        for name, value in kept.items():
            setattr(restored, name, value)
        restored.version = current.version
        restored.full_clean()
        article_save_version(
            restored,
            user,
            revisions.note("restored", date=version.revision.date_created.isoformat()),
        )
        article_texts_changed(article=restored, stored=current, user=user)
    return restored


# A desk note longer than this is refused: notes are for the desk, not essays.
MAX_NOTE_LENGTH = 4000


def _note_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(gettext("Write the note first."))
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError(
            gettext("A note may be %(limit)s characters at most.")
            % {"limit": MAX_NOTE_LENGTH}
        )
    return text


@transaction.atomic
def desk_note_add(*, article: Article, user: DeskUser, text: str) -> DeskNote:
    """Add an internal note to `article`, for whoever works on it in the desk."""
    if not (permissions.can_edit(user, article) or permissions.is_editor(user)):
        raise PermissionDenied
    note = DeskNote(article=article, author=user, text=_note_text(text))
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def article_return(*, article: Article, user: DeskUser, note: str) -> Article:
    """Send a story in review back to its reporter as a draft, saying why."""
    if not permissions.can_publish(user):
        raise PermissionDenied(gettext("Only editors return stories."))
    text = _note_text(note)
    stored = _locked(article)
    if stored.status != Article.Status.IN_REVIEW:
        message = gettext(
            "Only a story waiting for review can be returned; this one is %(status)s."
        )
        raise ValidationError(message % {"status": stored.get_status_display()})
    stored.status = Article.Status.DRAFT
    article_save_version(stored, user, revisions.note("returned"))
    desk_note = DeskNote.objects.create(
        article=stored, author=user, kind=DeskNote.Kind.RETURN, text=text
    )
    article_returned.send(sender=Article, article=stored, user=user, note=desk_note)
    return stored


def article_withhold(*, article: Article, language: str, withheld: bool) -> bool:
    """Withhold `article` from readers of `language`, or stop; say if it changed.

    For apps that decide a language is not fit for readers whatever its text
    (translations: unpublished, or unreviewed machine output); they check the
    user's rights. One conditional UPDATE of the story's flag, so that two
    writers never undo each other; a change is what search and purges hear
    (`article_withholding_changed`).
    """
    field = withheld_field(language)
    changed = bool(
        Article.objects.filter(pk=article.pk)
        .exclude(**{field: withheld})
        .update(**{field: withheld})
    )
    setattr(article, field, withheld)
    if changed:
        article_withholding_changed.send(
            sender=Article, article=article, language=language
        )
    return changed


def article_edition_save(
    *,
    article: Article,
    language: str,
    text_changed_at: datetime | None,
    behind_since: datetime | None,
) -> None:
    """Record when `language` of `article` last changed and since when it is behind.

    For the translations app, which knows both (translation_refresh), inside
    the saving transaction.
    """
    check_language(language)
    LanguageEdition.objects.update_or_create(
        article=article,
        language=language,
        defaults={"text_changed_at": text_changed_at, "behind_since": behind_since},
    )


def article_editions_save(
    *,
    editions: Iterable[tuple[Article, str, datetime | None, datetime | None]],
) -> None:
    """Record what `article_edition_save` records, for many stories at once.

    Each of `editions` names the story, the language, when its text last
    changed and since when it is behind. In the saving transaction, in one
    statement: a row for each, inserted or updated where one is stored.
    """
    rows = {}
    for article, language, text_changed_at, behind_since in editions:
        check_language(language)
        rows[(article.pk, language)] = LanguageEdition(
            article=article,
            language=language,
            text_changed_at=text_changed_at,
            behind_since=behind_since,
        )
    LanguageEdition.objects.bulk_create(
        list(rows.values()),
        batch_size=500,
        update_conflicts=True,
        unique_fields=["article", "language"],
        update_fields=["text_changed_at", "behind_since"],
    )


def article_run_live_effects(*, article_id: int) -> bool:
    """Send `article_went_live` for `article`, once per publication, after commit.

    The going-live hook: issue 16's cache purge will listen here. A story
    published for now gets it on commit of the publishing transaction
    (`_after_save`); a scheduled story when publish_scheduled first runs after
    its time. Returns whether it was sent; a second call for the same
    publication does nothing, so the scheduler may run twice or late. The
    mark is committed before the signal goes out, so a receiver sees the
    story live.
    """
    with transaction.atomic():
        article = (
            Article.objects.select_for_update()
            .filter(
                pk=article_id,
                status=Article.Status.PUBLISHED,
                published_at__lte=timezone.now(),
            )
            .first()
        )
        if article is None or (
            article.live_effects_at is not None
            and article.published_at is not None
            and article.live_effects_at >= article.published_at
        ):
            return False
        Article.objects.filter(pk=article.pk).update(live_effects_at=timezone.now())
    article_went_live.send(sender=Article, article_id=article.pk)
    return True


def articles_due_for_live_effects() -> QuerySet[Article, int]:
    """Return the ids of live stories whose going-live effects have not run."""
    return Article.objects.filter(
        Q(live_effects_at__isnull=True) | Q(live_effects_at__lt=F("published_at")),
        status=Article.Status.PUBLISHED,
        published_at__lte=timezone.now(),
    ).values_list("pk", flat=True)
