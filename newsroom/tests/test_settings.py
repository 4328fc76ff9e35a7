import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def run_check(**env) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "mysql://root@localhost/newsroom",
        "postgres://h:notaport/db",
        "postgres://host",
    ],
)
def test_a_bad_database_url_stops_start_up_with_one_line_naming_it(url):
    result = run_check(DATABASE_URL=url, DJANGO_DEBUG="1")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "DATABASE_URL" in lines[0]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check(DJANGO_SETTINGS_MODULE="newsroom.settings.production")
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Configuration error: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
    )


def test_debug_off_without_a_secret_key_is_refused_in_any_settings():
    result = run_check(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_the_demo_starts_with_nothing_set():
    result = run_check()
    assert result.returncode == 0, result.stderr
