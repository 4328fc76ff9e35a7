"""Log failed logins and lockouts; start each desk session's clocks at login."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model

from newsroom.middleware import LAST_SEEN_KEY, security_log
from reader.views_reads import client_address


def log_login_failure(sender, credentials, request=None, **kwargs):
    """Log a failed login with the name tried, the address and the path."""
    security_log.warning(
        "Login failed: user=%r address=%r path=%r",
        credentials.get(get_user_model().USERNAME_FIELD),
        client_address(request) if request is not None else None,
        request.path if request is not None else None,
    )


def log_lockout(sender, request, username, ip_address, **kwargs):
    """Log that django-axes refused a login because of earlier failures."""
    security_log.warning(
        "Login locked out: user=%r address=%r path=%r",
        username,
        ip_address,
        request.path,
    )


def start_session_clocks(sender, request, user, **kwargs):
    """Pin the session's end to login time plus SESSION_COOKIE_AGE.

    Noting activity writes the session, and every write would otherwise push
    its end back: the maximum age would become one more idle timeout.
    """
    request.session.set_expiry(timedelta(seconds=settings.SESSION_COOKIE_AGE))
    request.session[LAST_SEEN_KEY] = int(time.time())
