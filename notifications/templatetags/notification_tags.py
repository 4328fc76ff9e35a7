"""The desk header's link to a person's notifications, with the unread count."""

from django import template
from django.urls import NoReverseMatch, reverse

from notifications.models import Notification

register = template.Library()


@register.inclusion_tag("notifications/includes/_header_link.html", takes_context=True)
def notifications_link(context) -> dict[str, object]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {"url": None}
    try:
        url = reverse("admin:notifications_notification_changelist")
    except NoReverseMatch:  # an admin site without the desk's notifications
        return {"url": None}
    return {
        "url": url,
        "unread": Notification.objects.for_user(user).unread().count(),
    }
