"""Error pages: a refusal, a database out of reach, a locked-out login."""

import math
import sys

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views import defaults
from django.views.i18n import set_language as django_set_language

from newsroom.middleware import is_desk_path
from notifications.services import preference_save

# How soon a reader or the desk should try again while the database is down.
RETRY_AFTER_SECONDS = 30
# What psycopg raises when the server refuses connections, is gone, or drops
# one; the Django wrappers raise these for every backend.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def permission_denied(request, exception):
    """Answer 403 with the desk's page on the desk, the site's page elsewhere."""
    if is_desk_path(request.path):
        context = {
            **admin.site.each_context(request),
            "title": gettext("Permission denied"),
        }
        return render(request, "admin/403.html", context, status=403)
    return render(request, "403.html", status=403)


def server_error(request):
    """Answer 503 while the database cannot be reached, else the usual 500.

    Django calls this while handling the exception, wherever it was raised:
    in a view, or reading the session or the user in a middleware.
    """
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    return defaults.server_error(request)


def service_unavailable(request) -> HttpResponse:
    """Render the 503 page in the request's language without the database.

    No request context: context processors would read the user and the
    messages, and through them the session in the database.
    """
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        body = loader.render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def login_locked_out(request, original_response=None, credentials=None):
    """Answer a locked-out login with the desk's login page, saying when to retry.

    django-axes calls this (AXES_LOCKOUT_CALLABLE) instead of its English 403.
    """
    seconds = int(get_cool_off(request).total_seconds())
    context = {
        **admin.site.each_context(request),
        "title": gettext("Log in"),
        "minutes": math.ceil(seconds / 60),
    }
    response = render(request, "admin/login_locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def set_language(request):
    """Switch the desk's language (Django's view), and remember it for e-mails."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and request.user.is_staff
        and translation.check_for_language(language)
        and language in dict(settings.LANGUAGES)
    ):
        preference_save(user=request.user, language=language)
    return response
