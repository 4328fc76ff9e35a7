"""Receivers of the story and translation signals (NotificationsConfig.ready())."""

from django.contrib.auth import get_user_model
from django.db import transaction

from articles.models import Article, DeskNote
from core.users import DeskUser
from notifications.models import Notification
from notifications.services import (
    notify,
    preference_save,
    recipients_authors,
    recipients_editors,
)


def notify_submitted(sender, *, article: Article, user: DeskUser, **kwargs) -> None:
    """Tell the editors that `article` waits for their review."""
    notify(
        kind=Notification.Kind.SUBMITTED,
        article=article,
        recipients=recipients_editors(exclude=user),
        actor=user,
    )


def notify_returned(
    sender, *, article: Article, user: DeskUser, note: DeskNote, **kwargs
) -> None:
    """Tell the reporter that an editor sent `article` back, and why."""
    notify(
        kind=Notification.Kind.RETURNED,
        article=article,
        recipients=recipients_authors(article=article, exclude=user),
        actor=user,
        note=note.text,
    )


def notify_published(sender, *, article_id: int, **kwargs) -> None:
    """Tell the reporter that their story went live (now or at its scheduled time).

    Not the one who published it: an editor publishing their own story (or an
    archive of them) knows. The going-live hook runs after commit, so this
    makes its own transaction.
    """
    with transaction.atomic():
        article = Article.objects.select_related("created_by", "updated_by").get(
            pk=article_id
        )
        notify(
            kind=Notification.Kind.PUBLISHED,
            article=article,
            recipients=recipients_authors(article=article, exclude=article.updated_by),
            actor=article.updated_by,
        )


def notify_outdated(
    sender,
    *,
    article: Article,
    languages: list[str],
    user: DeskUser | None = None,
    **kwargs,
) -> None:
    """Tell the translators of each newly outdated language of `article`.

    Two queries whatever the number of translators: who translates these
    languages, and who of them holds the translator's permission.
    """
    from translations.models import TranslatorLanguage

    by_user: dict[int, list[str]] = {}
    rows = TranslatorLanguage.objects.filter(
        language__in=languages, user__is_active=True
    ).values_list("user_id", "language")
    for user_id, language in rows:
        if user is None or user_id != user.pk:
            by_user.setdefault(user_id, []).append(language)
    translators = (
        get_user_model()
        .objects.with_perm(
            "translations.translate_story",
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(pk__in=list(by_user))
    )
    # One notification per translator, grouped by the languages it names.
    groups: dict[tuple[str, ...], list[DeskUser]] = {}
    for translator in translators:
        codes = tuple(code for code in languages if code in by_user[translator.pk])
        groups.setdefault(codes, []).append(translator)
    for codes, recipients in groups.items():
        notify(
            kind=Notification.Kind.OUTDATED,
            article=article,
            recipients=recipients,
            actor=user,
            languages=codes,
        )


def notify_assigned(
    sender,
    *,
    article: Article,
    language: str,
    assignee: DeskUser,
    due_on=None,
    user: DeskUser | None = None,
    **kwargs,
) -> None:
    """Tell a translator a language of `article` is theirs now, and by when."""
    notify(
        kind=Notification.Kind.ASSIGNED,
        article=article,
        recipients=[assignee],
        actor=user,
        languages=[language],
        due_on=due_on,
    )


def notify_sent_back(
    sender,
    *,
    article: Article,
    language: str,
    translator: DeskUser | None,
    note: str,
    user: DeskUser | None = None,
    **kwargs,
) -> None:
    """Tell the translator their translation was returned, with the reviewer's note."""
    if translator is None or (user is not None and translator.pk == user.pk):
        return
    notify(
        kind=Notification.Kind.SENT_BACK,
        article=article,
        recipients=[translator],
        actor=user,
        languages=[language],
        note=note,
    )


def remember_desk_language(sender, *, request, user: DeskUser, **kwargs) -> None:
    """Keep the language someone logs in to the desk with, for their e-mails."""
    language = getattr(request, "LANGUAGE_CODE", "")
    if language:
        preference_save(user=user, language=language)
