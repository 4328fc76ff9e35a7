"""Readers' reads go to a replica; whoever writes reads the primary, and stays on it.

The test database has no replica: these tests name one ("replica") and look
at the alias the router chooses without querying it. tests/stack/
test_replica.py runs the same code against a real streaming replica.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from articles.models import Article
from articles.tests.factories import ArticleFactory, UserFactory
from newsroom.routers import (
    PIN_COOKIE,
    PRIMARY,
    PrimaryPinMiddleware,
    ReplicaRouter,
    replica_databases,
    request_reads,
)

PIN_MIDDLEWARE = "newsroom.routers.PrimaryPinMiddleware"
SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"
ROUTER = ReplicaRouter()


def with_pin_middleware(middleware: list[str]) -> list[str]:
    """Return the settings' middleware with ours just inside the session's."""
    if PIN_MIDDLEWARE in middleware:
        return list(middleware)
    inside = middleware.index(SESSION_MIDDLEWARE) + 1
    return [*middleware[:inside], PIN_MIDDLEWARE, *middleware[inside:]]


@pytest.fixture
def replicas():
    """One replica named in the settings, with the router and middleware on."""
    with override_settings(
        NEWSROOM_REPLICAS=["replica"],
        NEWSROOM_PRIMARY_PIN_SECONDS=10,
        DATABASE_ROUTERS=["newsroom.routers.ReplicaRouter"],
        MIDDLEWARE=with_pin_middleware(settings.MIDDLEWARE),
    ):
        yield


class Seen:
    """A view that records where the request's reads would go."""

    def __init__(self, *, write: bool = False, status: int = 200) -> None:
        self.write = write
        self.status = status
        self.reads: list[str] = []

    def __call__(self, request) -> HttpResponse:
        self.reads.append(ROUTER.db_for_read(Article))
        if self.write:
            ROUTER.db_for_write(Article)
            self.reads.append(ROUTER.db_for_read(Article))
        return HttpResponse(status=self.status)


def through_middleware(request, view: Seen | None = None) -> tuple[Seen, HttpResponse]:
    view = view or Seen()
    response = PrimaryPinMiddleware(view)(request)
    return view, response


def with_session(request):
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session-key"
    return request


def pin_cookie_value() -> str:
    """A pin cookie as the middleware gives a session holder who wrote."""
    request = with_session(RequestFactory().post("/ko/reads/"))
    _, response = through_middleware(request)
    return response.cookies[PIN_COOKIE].value


# The router


def test_outside_a_request_everything_reads_and_writes_the_primary(replicas):
    assert ROUTER.db_for_read(Article) == PRIMARY
    assert ROUTER.db_for_write(Article) == PRIMARY


def test_a_request_allowed_replica_reads_reads_the_replica(replicas):
    with request_reads(replica_allowed=True):
        assert ROUTER.db_for_read(Article) == "replica"
    with request_reads(replica_allowed=False):
        assert ROUTER.db_for_read(Article) == PRIMARY
    assert ROUTER.db_for_read(Article) == PRIMARY


def test_a_request_reads_one_replica_throughout():
    with override_settings(NEWSROOM_REPLICAS=["replica1", "replica2", "replica3"]):
        chosen = set()
        for _ in range(30):
            with request_reads(replica_allowed=True):
                reads = {ROUTER.db_for_read(Article) for _ in range(10)}
            assert len(reads) == 1
            chosen |= reads
    # Each request draws one at random: thirty draws miss one of three
    # replicas about once in 10^5 runs.
    assert chosen == {"replica1", "replica2", "replica3"}


def test_a_write_sends_the_rest_of_the_request_to_the_primary(replicas):
    with request_reads(replica_allowed=True) as reads:
        assert ROUTER.db_for_read(Article) == "replica"
        assert ROUTER.db_for_write(Article) == PRIMARY
        assert reads.wrote
        assert ROUTER.db_for_read(Article) == PRIMARY


def test_sessions_and_users_are_always_read_from_the_primary(replicas):
    with request_reads(replica_allowed=True):
        assert ROUTER.db_for_read(Session) == PRIMARY
        assert ROUTER.db_for_read(User) == PRIMARY


def test_only_the_primary_is_migrated(replicas):
    assert ROUTER.allow_migrate(PRIMARY, "articles")
    assert not ROUTER.allow_migrate("replica", "articles")


def test_objects_from_the_primary_and_a_replica_may_be_related(replicas):
    story, section = Article(), Article()
    story._state.db, section._state.db = PRIMARY, "replica"
    assert ROUTER.allow_relation(story, section) is True
    section._state.db = "elsewhere"
    assert ROUTER.allow_relation(story, section) is None


# The middleware


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_readers_page_reads_the_replica(replicas, method):
    view, response = through_middleware(getattr(RequestFactory(), method)("/ko/"))
    assert view.reads == ["replica"]
    assert PIN_COOKIE not in response.cookies


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/ko/reads/"),
        ("put", "/ko/"),
        ("get", "/admin/"),
        ("get", "/admin/articles/article/"),
        ("get", "/preview/a-signed-token/"),
    ],
)
def test_writes_the_desk_and_previews_read_the_primary(replicas, method, path):
    view, _ = through_middleware(getattr(RequestFactory(), method)(path))
    assert view.reads == [PRIMARY]


def test_a_pinned_person_reads_the_primary_until_the_pin_ends(replicas):
    request = with_session(RequestFactory().get("/ko/"))
    request.COOKIES[PIN_COOKIE] = pin_cookie_value()
    view, _ = through_middleware(request)
    assert view.reads == [PRIMARY]

    with time_machine.travel(timedelta(seconds=11)):
        view, _ = through_middleware(request)
    assert view.reads == ["replica"]


def test_a_forged_pin_cookie_is_ignored(replicas):
    request = RequestFactory().get("/ko/")
    request.COOKIES[PIN_COOKIE] = "1"
    view, _ = through_middleware(request)
    assert view.reads == ["replica"]


def test_a_write_inside_a_get_reads_the_primary_after_it(replicas):
    view, response = through_middleware(RequestFactory().get("/ko/"), Seen(write=True))
    assert view.reads == ["replica", PRIMARY]
    # A reader's request that wrote (a content type made on first use) gets
    # no cookie.
    assert not response.cookies


def test_a_session_holder_who_wrote_is_pinned_for_the_set_time(replicas):
    with override_settings(NEWSROOM_PRIMARY_PIN_SECONDS=7):
        _, response = through_middleware(
            with_session(RequestFactory().get("/ko/")), Seen(write=True)
        )
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 7
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]
    assert cookie["path"] == "/"


def test_the_pin_cookie_is_secure_where_the_session_cookie_is(replicas):
    with override_settings(SESSION_COOKIE_SECURE=True):
        _, response = through_middleware(
            with_session(RequestFactory().post("/admin/articles/article/add/"))
        )
    assert response.cookies[PIN_COOKIE]["secure"]


@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_a_refused_post_pins_no_one(replicas, status):
    _, response = through_middleware(
        with_session(RequestFactory().post("/admin/")), Seen(status=status)
    )
    assert PIN_COOKIE not in response.cookies


def test_a_get_that_writes_nothing_pins_no_one(replicas):
    _, response = through_middleware(with_session(RequestFactory().get("/admin/")))
    assert PIN_COOKIE not in response.cookies


def test_without_replicas_the_middleware_does_nothing():
    with override_settings(NEWSROOM_REPLICAS=[], NEWSROOM_PRIMARY_PIN_SECONDS=10):
        view, response = through_middleware(
            with_session(RequestFactory().post("/admin/")), Seen(write=True)
        )
    assert view.reads == [PRIMARY, PRIMARY]
    assert not response.cookies


# Through the whole stack


@pytest.mark.django_db
def test_a_readers_read_count_sets_no_cookie(replicas, client):
    story = ArticleFactory()
    response = client.post("/ko/reads/", {"article": story.pk})
    assert response.status_code == 204
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
def test_a_desk_person_who_logs_in_reads_the_primary_next(replicas, client):
    UserFactory(username="editor", role="editor")
    story = ArticleFactory()

    response = client.post(
        "/admin/login/", {"username": "editor", "password": "pw", "next": "/admin/"}
    )

    assert response.status_code == 302
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert response.cookies[PIN_COOKIE]["max-age"] == 10
    # The router sends an unpinned reader's page to "replica", which does
    # not exist here: the page answers only because it read the primary.
    assert client.get(story.get_absolute_url("ko")).status_code == 200


@pytest.mark.django_db
def test_a_desk_person_who_posts_anywhere_is_pinned(replicas, client):
    client.force_login(UserFactory(username="reader-at-the-desk"))
    story = ArticleFactory()
    response = client.post("/ko/reads/", {"article": story.pk})
    assert response.status_code == 204
    assert PIN_COOKIE in response.cookies


# The settings


def test_replica_urls_become_aliases_that_mirror_the_test_database(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_REPLICA_URLS",
        "postgres://reader@replica-1:5432/newsroom, postgres://reader@replica-2/newsroom",
    )
    primary = {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 60}
    databases = replica_databases("DATABASE_REPLICA_URLS", primary)
    assert list(databases) == ["replica1", "replica2"]
    assert databases["replica2"]["HOST"] == "replica-2"
    assert databases["replica1"]["NAME"] == "newsroom"
    assert databases["replica1"]["CONN_MAX_AGE"] == 60
    assert databases["replica1"]["TEST"] == {"MIRROR": "default"}


def test_no_replica_urls_no_replicas(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URLS", raising=False)
    assert replica_databases("DATABASE_REPLICA_URLS", {"ENGINE": "sqlite"}) == {}


@pytest.mark.parametrize(
    ("primary_engine", "urls"),
    [
        ("django.db.backends.sqlite3", "postgres://replica/newsroom"),
        ("django.db.backends.postgresql", "sqlite:///replica.sqlite3"),
        ("django.db.backends.postgresql", "postgres://replica"),
        ("django.db.backends.postgresql", "not a url"),
    ],
)
def test_a_replica_url_that_cannot_work_stops_start_up_naming_it(
    monkeypatch, primary_engine, urls
):
    monkeypatch.setenv("DATABASE_REPLICA_URLS", urls)
    with pytest.raises(SystemExit, match="DATABASE_REPLICA_URLS"):
        replica_databases("DATABASE_REPLICA_URLS", {"ENGINE": primary_engine})
