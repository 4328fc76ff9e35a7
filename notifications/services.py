"""Writes of notifications: who is told what, and the e-mail that follows."""

import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from core.retries import MAX_ATTEMPTS, GivenUp, retry_later
from core.users import DeskUser
from notifications.messages import describe, headline_for
from notifications.models import Notification, Preference

logger = logging.getLogger(__name__)

# Tries of one e-mail before it is given up (and logged as an error).
MAX_EMAIL_ATTEMPTS = MAX_ATTEMPTS


def recipients_editors(*, exclude: DeskUser | None = None) -> list[DeskUser]:
    """Return the people who review stories, but `exclude`."""
    editors = get_user_model().objects.with_perm(
        "articles.publish_article", backend="django.contrib.auth.backends.ModelBackend"
    )
    if exclude is not None:
        editors = editors.exclude(pk=exclude.pk)
    return list(editors)


def recipients_authors(
    *, article: Article, exclude: DeskUser | None = None
) -> list[DeskUser]:
    """Return the desk user who wrote `article`, unless it is `exclude`."""
    author = article.created_by
    if author is None or not author.is_active:
        return []
    if exclude is not None and author.pk == exclude.pk:
        return []
    return [author]


@transaction.atomic
def notify(
    *,
    kind: str,
    article: Article,
    recipients: Iterable[DeskUser],
    actor: DeskUser | None = None,
    languages: Iterable[str] = (),
    note: str = "",
    due_on: date | None = None,
) -> list[Notification]:
    """Tell each of `recipients` about `article`, in the desk and by e-mail.

    Runs in the transaction of the change it tells of: the notifications and
    their e-mail jobs commit with it or not at all. The e-mail is written and
    sent by the background worker, never in the request.
    """
    from notifications.tasks import send_notification_email

    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                article=article,
                actor=actor,
                languages=",".join(languages),
                note=note,
                due_on=due_on,
            )
        )
    created = Notification.objects.bulk_create(rows)
    for notification in created:
        send_notification_email.enqueue(notification.pk)
    return created


def email_for(notification: Notification, language: str) -> tuple[str, str]:
    """Return the subject and text of `notification`'s e-mail in `language`."""
    base = settings.NEWSROOM_DESK_URL.rstrip("/")
    story = reverse("admin:articles_article_change", args=[notification.article_id])
    inbox = reverse("admin:notifications_notification_changelist")
    with translation.override(language):
        context = {
            "message": describe(notification, language),
            "headline": headline_for(notification.article, language),
            "notification": notification,
            "story_url": base + story,
            "settings_url": base + inbox,
        }
        subject = render_to_string("notifications/email/subject.txt", context)
        body = render_to_string("notifications/email/body.txt", context)
    return " ".join(subject.split()), body


def notification_email_send(*, notification_id: int) -> str:
    """Send `notification`'s e-mail, or plan a retry; return what happened.

    Called by the background worker. The row is locked while it is sent, so
    two workers never send it twice; a failure is logged and tried again
    later, up to MAX_EMAIL_ATTEMPTS times, then the job fails (GivenUp) and
    the desk's page of background work shows it.
    """
    outcome = _email_send(notification_id)
    if outcome == "failed":
        raise GivenUp(
            f"Notification e-mail {notification_id} failed {MAX_EMAIL_ATTEMPTS} times."
        )
    return outcome


def _email_send(notification_id: int) -> str:
    from notifications.tasks import send_notification_email

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "article", "actor")
            .filter(pk=notification_id, email=Notification.Email.PENDING)
            .first()
        )
        if notification is None:
            return "nothing to send"
        recipient = notification.recipient
        preference = Preference.objects.filter(user=recipient).first()
        if (
            not recipient.is_active
            or not recipient.email
            or (preference is not None and not preference.is_email_on)
        ):
            notification.email = Notification.Email.OFF
            notification.save(update_fields=["email"])
            return "off"
        language = (preference.language if preference else "") or (
            settings.LANGUAGE_CODE
        )
        subject, body = email_for(notification, language)
        notification.email_attempts += 1
        try:
            send_mail(subject, body, None, [recipient.email])
        except Exception:
            delay = retry_later(
                send_notification_email,
                notification.pk,
                attempt=notification.email_attempts,
            )
            if delay is None:
                notification.email = Notification.Email.FAILED
                notification.save(update_fields=["email", "email_attempts"])
                logger.exception(
                    "Notification e-mail %s to user %s failed %s times; given up.",
                    notification.pk,
                    recipient.pk,
                    notification.email_attempts,
                )
                return "failed"
            notification.save(update_fields=["email_attempts"])
            logger.warning(
                "Notification e-mail %s to user %s failed (attempt %s); "
                "retrying in %s s.",
                notification.pk,
                recipient.pk,
                notification.email_attempts,
                delay,
                exc_info=True,
            )
            return "retry"
        notification.email = Notification.Email.SENT
        notification.save(update_fields=["email", "email_attempts"])
        return "sent"


def notification_open(*, notification: Notification, user: DeskUser) -> Notification:
    """Mark `notification` read by its recipient, `user`."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_read(*, user: DeskUser) -> int:
    """Mark every unread notification of `user` read; return how many."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def preference_save(
    *, user: DeskUser, is_email_on: bool | None = None, language: str | None = None
) -> Preference:
    """Change how `user` is told (their own settings only)."""
    preference, _created = Preference.objects.get_or_create(user=user)
    fields = []
    if is_email_on is not None and preference.is_email_on != is_email_on:
        preference.is_email_on = is_email_on
        fields.append("is_email_on")
    if language is not None and preference.language != language:
        preference.language = language
        fields.append("language")
    if fields:
        preference.full_clean()
        preference.save(update_fields=fields)
    return preference
