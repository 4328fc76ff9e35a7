"""`|machine_time`: a datetime as HTML's `<time datetime>` wants it."""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_time(value: datetime | None) -> str:
    """Return `value` in the site's time zone to the second, with its offset.

    `date:'c'` keeps microseconds, which HTML does not allow (three digits at
    most), and readers' pages need no more than the second.
    """
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds")
