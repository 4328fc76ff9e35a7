"""Read replicas: readers' pages read a replica, everything else the primary.

A streaming replica is a little behind its primary. A reader cannot tell a
page a second old from a new one, but a person who has just saved a story and
opens it must see their change: so only a reader's GET (or HEAD) outside the
desk and previews reads a replica, a request that writes reads the primary
from then on, and a person with a session who wrote is pinned to the primary
for NEWSROOM_PRIMARY_PIN_SECONDS by a cookie. Anonymous readers never get that
cookie: their pages stay cacheable.

The replicas are DATABASES aliases listed in NEWSROOM_REPLICAS, made from
DATABASE_REPLICA_URLS by `replica_databases` (newsroom/settings/base.py).
Without replicas the router and the middleware change nothing.
"""

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import dj_database_url
from django.conf import settings

from core.env import ConfigurationError, env_list

if TYPE_CHECKING:
    # The settings import this module (replica_databases): it imports no
    # more of Django than they may.
    from django.db.models import Model
    from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
POSTGRESQL = "django.db.backends.postgresql"
PIN_COOKIE = "newsroom_primary"
# Signed, so that the cookie's own time says when the pin ends, whatever
# the browser keeps.
PIN_SALT = "newsroom.routers.pin"
# Reads that may go to a replica; every other method is meant to write.
READ_METHODS = frozenset({"GET", "HEAD"})
# The desk and previews show what was just saved: always the primary.
PRIMARY_PATHS = ("/admin/", "/preview/")
# Who a person is, their session and their user, is always read from the
# primary: a replica behind a new login or a changed password would log
# them out (a session it does not have yet is deleted, a password hash it
# does not have yet ends the session).
PRIMARY_APPS = frozenset({"sessions", "auth"})


@dataclass
class RequestReads:
    """What the current request may read: its replica, until it writes."""

    replica: str | None
    wrote: bool = False


_current: ContextVar[RequestReads | None] = ContextVar(
    "newsroom_request_reads", default=None
)


@contextmanager
def request_reads(*, replica_allowed: bool) -> Iterator[RequestReads]:
    """Route the reads of the code inside as one request's.

    With `replica_allowed`, one replica is chosen at random for the whole
    request, so that its queries see one moment of the primary's history.
    """
    replicas = settings.NEWSROOM_REPLICAS
    replica = None
    if replica_allowed and replicas:
        replica = random.choice(replicas)  # noqa: S311 - spreading load, not a secret
    state = RequestReads(replica=replica)
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)


class ReplicaRouter:
    """Send a request's reads to its replica, when allowed, and the rest to the primary.

    Outside a request (the worker, the scheduler, commands) everything reads
    the primary.
    """

    def db_for_read(self, model: "type[Model]", **hints: Any) -> str:
        state = _current.get()
        if (
            state is None
            or state.replica is None
            or state.wrote
            or model._meta.app_label in PRIMARY_APPS
        ):
            return PRIMARY
        return state.replica

    def db_for_write(self, model: "type[Model]", **hints: Any) -> str:
        state = _current.get()
        if state is not None:
            # Whatever it reads next must see what it is about to write.
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: "Model", obj2: "Model", **hints: Any) -> bool | None:
        # The replicas hold the primary's rows: an object read from one may
        # point at an object read from another.
        ours = {PRIMARY, *settings.NEWSROOM_REPLICAS}
        if obj1._state.db in ours and obj2._state.db in ours:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        # Replicas are read-only and get their schema by replication.
        return db == PRIMARY


class PrimaryPinMiddleware:
    """Let readers' GET requests read a replica; pin to the primary who just wrote.

    After a request that wrote, a person with a session (the desk's people)
    gets a signed cookie that sends their requests to the primary for
    NEWSROOM_PRIMARY_PIN_SECONDS, so that the page they open next shows what
    they saved. Readers without a session never get it. Placed inside the
    session middleware, so that saving a session (a desk person's last
    request time) pins no one. Without replicas it does nothing.
    """

    def __init__(self, get_response: Callable[["HttpRequest"], "HttpResponse"]) -> None:
        self.get_response = get_response

    def __call__(self, request: "HttpRequest") -> "HttpResponse":
        if not settings.NEWSROOM_REPLICAS:
            return self.get_response(request)
        with request_reads(replica_allowed=may_read_replica(request)) as reads:
            response = self.get_response(request)
        wrote = reads.wrote or (
            request.method not in READ_METHODS and response.status_code < 400
        )
        if wrote and holds_session(request):
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=settings.NEWSROOM_PRIMARY_PIN_SECONDS,
                domain=settings.SESSION_COOKIE_DOMAIN,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def may_read_replica(request: "HttpRequest") -> bool:
    """Whether the request is a reader's read that may be a moment behind."""
    return (
        request.method in READ_METHODS
        and not request.path_info.startswith(PRIMARY_PATHS)
        and not is_pinned(request)
    )


def is_pinned(request: "HttpRequest") -> bool:
    """Whether the person wrote within the last NEWSROOM_PRIMARY_PIN_SECONDS."""
    return (
        request.get_signed_cookie(
            PIN_COOKIE,
            default=None,
            salt=PIN_SALT,
            max_age=settings.NEWSROOM_PRIMARY_PIN_SECONDS,
        )
        is not None
    )


def holds_session(request: "HttpRequest") -> bool:
    """Whether the person has a session, or has just been given one (a login).

    Asking an unread session whether it is empty reads nothing, so a reader's
    request still gets no Vary: Cookie from this.
    """
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return session is not None and not session.is_empty()


def replica_databases(variable: str, primary: dict[str, Any]) -> dict[str, Any]:
    """Return DATABASES entries replica1, replica2… for the URLs in `variable`.

    Each URL (comma-separated) names a streaming replica of the primary's
    PostgreSQL server. Tests make no database for a replica: it mirrors the
    test database.
    """
    urls = env_list(variable, default=[])
    if urls and primary["ENGINE"] != POSTGRESQL:
        raise ConfigurationError(
            variable, "needs DATABASE_URL to name a PostgreSQL database."
        )
    databases = {}
    for number, url in enumerate(urls, start=1):
        try:
            config = dj_database_url.parse(
                url,
                conn_max_age=primary.get("CONN_MAX_AGE", 0),
                conn_health_checks=primary.get("CONN_HEALTH_CHECKS", False),
            )
        except Exception as exc:  # noqa: BLE001 - any parse failure is the same user error
            raise ConfigurationError(
                variable,
                f"has a URL that is not usable (number {number}: "
                f"{exc.__class__.__name__}).",
            ) from None
        if config.get("ENGINE") != POSTGRESQL or not config.get("NAME"):
            raise ConfigurationError(
                variable,
                f"must list postgres:// URLs naming a database (number {number}).",
            )
        config["TEST"] = {"MIRROR": PRIMARY}
        databases[f"replica{number}"] = config
    return databases
