"""Deployment checks of the notifications' settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


@checks.register(checks.Tags.compatibility, deploy=True)
def check_desk_url(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Warn when e-mails would link to this machine instead of the desk."""
    host = urlsplit(settings.NEWSROOM_DESK_URL).hostname or ""
    if host in LOCAL_HOSTS:
        return [
            checks.Warning(
                f"NEWSROOM_DESK_URL is {settings.NEWSROOM_DESK_URL!r}: links in "
                "notification e-mails would point to this machine.",
                hint="Set NEWSROOM_DESK_URL to the desk's address, "
                "e.g. https://desk.example.org.",
                id="notifications.W001",
            )
        ]
    return []
