"""Error pages: a database out of reach answers 503; refusals answer a 403 page."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.translation import gettext

from articles.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def refuse_connection(*args, **kwargs):
    raise OperationalError(
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
    )


@pytest.fixture
def database_down(monkeypatch):
    """Make every query fail as a server refusing connections would."""
    monkeypatch.setattr(connection, "ensure_connection", refuse_connection)


def unavailable_texts(language: str) -> list[str]:
    with translation.override(language):
        return [
            gettext("The newsroom is briefly unavailable"),
            gettext(
                "We cannot reach our database at the moment. "
                "Please try again in a minute."
            ),
        ]


def assert_unavailable(response, language: str) -> None:
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert f'<html lang="{language}">' in html
    # The site's stylesheet (static, no database): Korean wraps between words.
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    for text in unavailable_texts(language):
        assert text in html


@pytest.mark.parametrize("language", ["ko", "ja", "en"])
def test_a_reader_page_answers_503_while_the_database_is_down(database_down, language):
    client = Client(raise_request_exception=False)
    response = client.get(f"/{language}/")
    assert_unavailable(response, language)


def test_the_desk_answers_503_in_its_language_while_the_database_is_down(
    desk, database_down
):
    desk.cookies["django_language"] = "ja"
    desk.raise_request_exception = False
    # Logged in: reading the session and the user is what fails first.
    response = desk.get("/admin/articles/article/")
    assert_unavailable(response, "ja")


def test_the_desk_login_answers_503_while_the_database_is_down(database_down):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": "pw"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert_unavailable(response, "en")


def test_a_closed_connection_also_answers_503(monkeypatch):
    def closed(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(connection, "ensure_connection", closed)
    response = Client(raise_request_exception=False).get("/ja/")
    assert_unavailable(response, "ja")


def test_any_other_error_is_still_a_500():
    from newsroom.views import server_error

    request = RequestFactory().get("/ja/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_refused_desk_page_is_a_translated_desk_page(client):
    client.force_login(UserFactory(username="reporter"))
    client.cookies["django_language"] = "ja"

    response = client.get("/admin/articles/article/")

    html = response.content.decode()
    with translation.override("ja"):
        expected = [
            gettext("You do not have permission to see this page."),
            "ニュースルーム編集局",
        ]
    assert response.status_code == 403
    assert '<html lang="ja"' in html
    for text in expected:
        assert text in html


def test_a_refused_reader_page_is_a_translated_site_page(client, settings):
    settings.ROOT_URLCONF = "newsroom.tests.urls_refused"

    response = client.get("/ja/refused/")

    with translation.override("ja"):
        expected = gettext("You do not have permission to see this page.")
    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="ja">' in html
    assert expected in html
    assert 'class="site-header"' in html


def test_a_server_refusing_connections_answers_503_end_to_end():
    # A port nobody listens on: bound, then released.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = (
        "import django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "client = Client(raise_request_exception=False)\n"
        "client.cookies['sessionid'] = 'a' * 32\n"
        "client.cookies['django_language'] = 'ja'\n"
        "for url in ('/en/', '/admin/'):\n"
        "    response = client.get(url)\n"
        "    print(url, response.status_code, response['Retry-After'])\n"
    )
    result = subprocess.run(  # noqa: S603 - our own fixed script
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
            "DATABASE_URL": f"postgres://newsroom@127.0.0.1:{port}/newsroom",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.splitlines() == ["/en/ 503 30", "/admin/ 503 30"], (
        result.stderr
    )


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("ko", "문제가 생겼습니다"),
        ("ja", "問題が発生しました"),
        ("en", "Something went wrong"),
    ],
)
def test_the_server_error_page_speaks_each_language(language, heading):
    with translation.override(language):
        html = render_to_string("500.html")
    assert f'<html lang="{language}">' in html
    assert heading in html


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("ko", "페이지를 찾을 수 없습니다"),
        ("ja", "ページが見つかりません"),
        ("en", "Page not found"),
    ],
)
def test_the_not_found_page_speaks_each_language(client, language, heading):
    response = client.get(f"/{language}/stories/no-such-story/")
    assert response.status_code == 404
    assert heading in response.content.decode()
