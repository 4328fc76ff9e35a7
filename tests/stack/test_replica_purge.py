"""A purge waits for the replicas to replay the change it follows.

Otherwise the front cache would fetch the old page again from a lagging one.

The clusters are the test's own (tests/stack/replica.py); the waiting runs in
the app's own settings, in a subprocess, with the replica named in
DATABASE_REPLICA_URLS.
"""

import os

import psycopg

from tests.stack.conftest import run_python
from tests.stack.replica import (
    pause_replay,
    resume_replay,
    streaming_replica,
)

# Writes on the primary (some WAL), then says where the primary stands and
# whether the replica has replayed that within a second.
WRITE_AND_WAIT = """
import django
django.setup()
from django.db import connection
from frontcache.purge import primary_position, replicas_caught_up
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS lag_probe (n int)")
    cursor.execute("INSERT INTO lag_probe VALUES (1)")
position = primary_position()
print(position, replicas_caught_up(position, timeout=1))
"""
WAIT = """
import sys
import django
django.setup()
from frontcache.purge import replicas_caught_up
print(replicas_caught_up(sys.argv[1], timeout=20))
"""


def run(env: dict[str, str], script: str, *arguments: str) -> str:
    """Run `script` in the app's settings; return the last line it printed."""
    return run_python(env, "-c", script, *arguments, timeout=120).splitlines()[-1]


def test_a_purge_waits_until_the_replica_has_the_change():
    with streaming_replica() as (primary, replica):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
            "DATABASE_URL": primary,
            "DATABASE_REPLICA_URLS": replica,
        }
        pause_replay(replica)
        position, caught_up = run(env, WRITE_AND_WAIT).split()
        assert caught_up == "False"
        with psycopg.connect(replica) as lagging:
            assert lagging.execute(
                "SELECT to_regclass('lag_probe') IS NULL"
            ).fetchone() == (True,)
        resume_replay(replica)
        assert run(env, WAIT, position) == "True"
