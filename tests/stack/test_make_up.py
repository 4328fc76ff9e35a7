"""`make up` as an operator runs it: the whole stack on PostgreSQL, then `make down`.

Runs in the PostgreSQL pass of the suite (it needs a server to make a database
of its own on); skipped on SQLite.
"""

import gzip
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import brotli
import psycopg
import pytest
from django.db import connection
from psycopg import sql

from tests.stack.conftest import BASE_DIR, fetch, free_port, need_varnish

pytestmark = pytest.mark.django_db


def server_url(name: str) -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@pytest.fixture
def stack_database():
    if connection.vendor != "postgresql":
        pytest.skip("skipped: make up needs PostgreSQL (run with DATABASE_URL)")
    need_varnish()
    name = f"newsroom_stack_test_{os.getpid()}"
    with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(name)
            )
        )
        try:
            yield server_url(name)
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )


def test_make_up_serves_readers_through_varnish_and_make_down_stops_it(
    stack_database, tmp_path
):
    ports = {name: str(free_port()) for name in ("HTTP", "APP", "MEDIA", "REDIS")}
    env = {
        **os.environ,
        "DATABASE_URL": stack_database,
        "NEWSROOM_STACK_DIR": str(tmp_path / "stack"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "NEWSROOM_APP_WORKERS": "2",
        **{f"NEWSROOM_{name}_PORT": port for name, port in ports.items()},
    }
    env.pop("REDIS_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    stack = [sys.executable, str(BASE_DIR / "deploy" / "stack.py")]
    subprocess.run([*stack, "up"], env=env, check=True, timeout=300)  # noqa: S603
    site = f"http://127.0.0.1:{ports['HTTP']}"
    try:
        ready = fetch(f"{site}/readyz")
        assert ready.status == 200, ready.text
        home = f"{site}/ko/"
        assert fetch(home).status == 200
        again = fetch(home)
        assert again.cache == "HIT"
        # The production settings: static files under hashed names, kept a year.
        stylesheet = next(
            part.split('"')[0]
            for part in again.text.split('href="')[1:]
            if part.startswith("/static/css/site.")
        )
        style = fetch(site + stylesheet)
        assert style.status == 200
        assert "immutable" in style.headers["Cache-Control"]
        # A browser that takes brotli gets the static files' brotli copies,
        # kept apart from the gzipped ones; pages stay gzipped for everyone.
        zipped = fetch(site + stylesheet, Accept_Encoding="gzip")
        assert zipped.headers["Content-Encoding"] == "gzip"
        for _ in range(2):
            squeezed = fetch(site + stylesheet, Accept_Encoding="gzip, deflate, br")
            assert squeezed.headers["Content-Encoding"] == "br"
        assert squeezed.cache == "HIT"
        assert brotli.decompress(squeezed.body) == gzip.decompress(zipped.body)
        assert len(squeezed.body) < len(zipped.body)
        refused = fetch(site + stylesheet, Accept_Encoding="gzip, br;q=0")
        assert refused.headers["Content-Encoding"] == "gzip"
        page = fetch(home, Accept_Encoding="gzip, deflate, br")
        assert page.headers["Content-Encoding"] == "gzip"
        assert page.cache == "HIT"
        assert (tmp_path / "stack" / "supervisor.pid").exists()
        # Metrics from the app server itself, added up across its workers;
        # never through Varnish.
        metrics = fetch(f"http://127.0.0.1:{ports['APP']}/metrics")
        assert metrics.status == 200
        assert 'newsroom_http_requests_total{method="GET"' in metrics.text
        assert fetch(f"{site}/metrics").status == 404
        # The app's logs as JSON lines (the worker says it started).
        worker_log = (tmp_path / "stack" / "log" / "worker.log").read_text()
        entries = [
            json.loads(line) for line in worker_log.splitlines() if line.startswith("{")
        ]
        assert entries, worker_log
        assert {"time", "level", "logger", "message"} <= set(entries[0])
    finally:
        subprocess.run([*stack, "down"], env=env, check=True, timeout=60)  # noqa: S603
    assert not (tmp_path / "stack" / "supervisor.pid").exists()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{site}/healthz", timeout=2)  # noqa: S310
    assert Path(tmp_path / "stack" / "log" / "gunicorn.log").exists()
