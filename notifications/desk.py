"""What the desk's front page shows of a person's notifications."""

from django.utils.translation import get_language

from core.users import DeskUser
from notifications.messages import describe
from notifications.models import Notification

# Unread notifications shown on the front page; the rest are a click away.
FRONT_PAGE_COUNT = 5


def latest_unread(user: DeskUser) -> list[tuple[Notification, str]]:
    """Return `user`'s newest unread notifications, each with its sentence."""
    language = get_language()
    rows = (
        Notification.objects.for_user(user)
        .unread()
        .select_related("article", "actor")[:FRONT_PAGE_COUNT]
    )
    return [
        (notification, describe(notification, language, html=True))
        for notification in rows
    ]
