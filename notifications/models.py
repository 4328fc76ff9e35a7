"""What the desk tells a person, and how they want to be told."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationQuerySet":
        return self.filter(recipient=user)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One thing one person should know about a story.

    Stored as a kind and its arguments, never as a sentence: each person
    reads it in their own desk language, whoever caused it.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted for review")
        RETURNED = "returned", _("returned to the reporter")
        PUBLISHED = "published", _("published")
        OUTDATED = "outdated", _("translation outdated")
        ASSIGNED = "assigned", _("translation assigned")
        SENT_BACK = "sent_back", _("translation returned")

    class Email(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        OFF = "off", _("not sent (turned off or no address)")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Language codes, comma-separated: the translations that became outdated.
    languages = models.CharField(_("languages"), max_length=32, blank=True)
    # The editor's return note, as they wrote it.
    note = models.TextField(_("note"), blank=True)
    # When an assigned translation is due.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email = models.CharField(
        _("e-mail"), max_length=8, choices=Email.choices, default=Email.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header's unread count and the list, newest first.
            models.Index(
                fields=["recipient", "read_at", "-created_at"],
                name="notification_inbox",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id}"

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class Preference(models.Model):
    """How one person wants to be told: by e-mail or not, and in which language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    is_email_on = models.BooleanField(_("send me e-mail"), default=True)
    # The desk language they last chose (remembered at login and when they
    # switch); their e-mails are written in it.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
    )

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user_id)
