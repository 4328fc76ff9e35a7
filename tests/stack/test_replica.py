"""Read replicas for real: a server on a primary and its streaming replica.

The replica's replay is paused to make it lag: readers are served the old
page from it, a desk person who has just logged in (a write) reads the
primary until the pin ends, and readers see the change once the replica
catches up. The clusters are the test's own (tests/stack/replica.py).
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest

from newsroom.routers import PIN_COOKIE
from tests.stack.conftest import BASE_DIR, fetch, free_port, run_python
from tests.stack.replica import (
    database_url,
    pause_replay,
    resume_replay,
    streaming_replica,
    wait_for_replay,
)

OLD = "복제 전의 제목"
NEW = "복제 후의 새 제목"
PIN_SECONDS = 8
# Made by the server's own settings: manage.py shell runs this.
MAKE_STORY = f"""
from articles.tests.factories import ArticleFactory, UserFactory
UserFactory(username="editor", superuser=True)
story = ArticleFactory(headline_ko={OLD!r})
print("story", story.pk, story.get_absolute_url("ko"))
"""


def manage(env: dict[str, str], *arguments: str) -> str:
    return run_python(env, "manage.py", *arguments)


def start_server(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - this interpreter, our manage.py
            [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    address = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while fetch_or_none(f"{address}/healthz") is None:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"the server did not start: {log.read_text()}")
        time.sleep(0.2)
    return server, address


def fetch_or_none(url: str):
    try:
        return fetch(url)
    except (urllib.error.URLError, ConnectionError):
        return None


class DeskPerson:
    """A browser of the desk: keeps its cookies, logs in with the login form."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def open(self, path: str, form: dict[str, str] | None = None) -> str:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        with self.opener.open(self.address + path, data=data, timeout=30) as answer:
            return answer.read().decode()

    def log_in(self, username: str, password: str) -> None:
        page = self.open("/admin/login/")
        [token] = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        self.open(
            "/admin/login/",
            {
                "csrfmiddlewaretoken": token,
                "username": username,
                "password": password,
                "next": "/admin/",
            },
        )

    @property
    def cookies(self) -> set[str]:
        return {cookie.name for cookie in self.jar}


def test_readers_read_the_lagging_replica_and_who_wrote_reads_the_primary(
    tmp_path,
):
    with streaming_replica() as (primary, replica):
        # Made on the primary, the database reaches the replica by replication.
        with psycopg.connect(primary, autocommit=True) as server:
            server.execute(
                "CREATE DATABASE newsroom ENCODING 'UTF8' TEMPLATE template0"
            )
        primary_db = database_url(primary, "newsroom")
        replica_db = database_url(replica, "newsroom")
        env = {
            **{
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
            },
            # The settings `make run` uses (debug on: plain HTTP, no secret key).
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
            "DATABASE_URL": primary_db,
            "DATABASE_REPLICA_URLS": replica_db,
            "NEWSROOM_PRIMARY_PIN_SECONDS": str(PIN_SECONDS),
        }
        manage(env, "migrate", "--noinput")
        made = manage(env, "shell", "-c", MAKE_STORY)
        [(story_id, story_path)] = re.findall(r"^story (\d+) (\S+)$", made, re.M)
        wait_for_replay(primary, replica)
        server, address = start_server(env, tmp_path / "server.log")
        try:
            page = fetch(address + story_path)
            assert page.status == 200
            assert OLD in page.text

            pause_replay(replica)
            with psycopg.connect(primary_db, autocommit=True) as newsroom:
                newsroom.execute(
                    "UPDATE articles_article SET headline_ko = %s WHERE id = %s",
                    [NEW, int(story_id)],
                )

            page = fetch(address + story_path)
            assert OLD in page.text, (
                "a reader's page read the primary: do the settings read "
                "DATABASE_REPLICA_URLS and install PrimaryPinMiddleware?"
            )
            assert NEW not in page.text
            assert "Set-Cookie" not in page.headers

            desk = DeskPerson(address)
            logged_in = time.monotonic()
            desk.log_in("editor", "pw")
            assert {"sessionid", PIN_COOKIE} <= desk.cookies
            # Logging in wrote: the next page reads the primary.
            assert NEW in desk.open(story_path)
            # The pin was theirs: readers still read the replica.
            assert OLD in fetch(address + story_path).text

            # Once the pin has ended the desk person reads the replica too,
            # still logged in: their session, which the replica has not
            # replayed yet, is read from the primary.
            time.sleep(max(0, logged_in + PIN_SECONDS + 1 - time.monotonic()))
            assert OLD in desk.open(story_path)
            assert PIN_COOKIE not in desk.cookies
            assert "sessionid" in desk.cookies

            resume_replay(replica)
            wait_for_replay(primary, replica)
            page = fetch(address + story_path)
            assert NEW in page.text
            assert OLD not in page.text
        finally:
            server.terminate()
            server.wait(timeout=10)
