"""Log every refusal; end desk sessions left idle."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext

from reader.views_reads import client_address

security_log = logging.getLogger("newsroom.security")

# When the session's user last made a request, in seconds since the epoch.
LAST_SEEN_KEY = "newsroom_last_seen"
# Noted at most this often: a session write on every request would cost a
# database write and a Set-Cookie each time.
LAST_SEEN_RESOLUTION = 60


def username_of(request) -> str | None:
    """Return the name of the request's logged-in user, or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.get_username()


def is_desk_path(path: str) -> bool:
    return path.startswith(reverse("admin:index"))


class RefusalLogMiddleware:
    """Log each 403 with who was refused what, and from where.

    PermissionDenied raised by a view or by any middleware inside this one
    reaches it as a 403 response, as do CSRF failures and the admin's refusals.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            security_log.warning(
                "Permission denied: user=%r address=%r path=%r",
                username_of(request),
                client_address(request),
                request.path,
            )
        return response


class DeskIdleTimeoutMiddleware:
    """Log out a user idle for longer than NEWSROOM_DESK_IDLE_TIMEOUT seconds.

    On the desk the user is sent to the login page, told why; elsewhere the
    request goes on as an anonymous reader's. A request without a session
    cookie is left alone before its session is read, so readers get no
    cookie and no Vary: Cookie from this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.NEWSROOM_DESK_IDLE_TIMEOUT
        if (
            timeout
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
        ):
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > timeout:
                return self.end_idle_session(request, idle=now - last_seen)
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    def end_idle_session(self, request, *, idle: int):
        security_log.info(
            "Idle session ended: user=%r address=%r idle=%ss",
            username_of(request),
            client_address(request),
            idle,
        )
        logout(request)
        if not is_desk_path(request.path):
            return self.get_response(request)
        messages.warning(
            request,
            gettext(
                "You were logged out after a long time without activity. "
                "Log in again to continue."
            ),
        )
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
