"""The desk's login: throttled per account and per address, failures logged."""

import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext, ngettext

from articles.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LOGIN = "/admin/login/"
PASSWORD = "the-right-password"
# The documented defaults: five failures, then fifteen minutes' wait.
FAILURE_LIMIT = 5
COOL_OFF = timedelta(minutes=15)


@pytest.fixture
def editor():
    return UserFactory(username="editor", password=PASSWORD)


def attempt(client, password, *, username="editor", address="203.0.113.7", **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **extra,
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_after_too_many_wrong_ones(client, editor):
    for _ in range(FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200
    assert attempt(client, "wrong").status_code == 429

    response = attempt(client, PASSWORD)

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_an_account_is_locked_whatever_address_the_guesses_come_from(client, editor):
    for number in range(FAILURE_LIMIT):
        attempt(client, "wrong", address=f"198.51.100.{number + 1}")

    assert attempt(client, PASSWORD, address="192.0.2.1").status_code == 429
    assert not is_logged_in(client)


def test_an_address_guessing_many_accounts_is_locked_and_others_are_not(client, editor):
    for number in range(FAILURE_LIMIT):
        attempt(client, "wrong", username=f"guess{number}", address="203.0.113.7")

    assert attempt(client, PASSWORD, address="203.0.113.7").status_code == 429
    assert not is_logged_in(client)
    assert attempt(client, PASSWORD, address="192.0.2.1").status_code == 302
    assert is_logged_in(client)


def test_the_lock_ends_after_the_cool_off(client, editor):
    for _ in range(FAILURE_LIMIT):
        attempt(client, "wrong")

    with time_machine.travel(COOL_OFF + timedelta(seconds=5)):
        assert attempt(client, PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_a_success_forgets_earlier_failures(client, editor):
    for _ in range(FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()

    for _ in range(FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302


def test_behind_our_proxy_each_reader_is_counted_at_their_own_address(
    client, editor, settings
):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    proxy = "10.0.0.1"
    for number in range(FAILURE_LIMIT):
        attempt(
            client,
            "wrong",
            username=f"guess{number}",
            address=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    locked = attempt(
        client, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert locked.status_code == 429
    other = attempt(client, PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert other.status_code == 302


def test_the_locked_out_page_speaks_the_desks_language(client, editor):
    client.cookies["django_language"] = "ja"
    for _ in range(FAILURE_LIMIT):
        attempt(client, "wrong")

    response = attempt(client, PASSWORD)

    minutes = int(COOL_OFF.total_seconds() // 60)
    with translation.override("ja"):
        expected = [
            ngettext(
                "Too many failed attempts to log in, to this account or from "
                "this address. Try again in %(minutes)s minute.",
                "Too many failed attempts to log in, to this account or from "
                "this address. Try again in %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes},
            gettext("Every further attempt starts the wait again."),
            "ニュースルーム編集局",
        ]
    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == str(int(COOL_OFF.total_seconds()))
    assert '<html lang="ja"' in html
    for text in expected:
        assert text in html
    assert 'id="login-form"' not in html


def test_every_failed_login_is_logged_with_user_address_and_path(
    client, editor, caplog
):
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        attempt(client, "wrong", address="203.0.113.7")

    [record] = [r for r in caplog.records if r.name == "newsroom.security"]
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert "'editor'" in message
    assert "'203.0.113.7'" in message
    assert f"'{LOGIN}'" in message
    assert "the-right-password" not in message
    assert "wrong" not in message


def test_a_lockout_is_logged(client, editor, caplog):
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        for _ in range(FAILURE_LIMIT):
            attempt(client, "wrong", address="203.0.113.7")

    messages = [r.getMessage() for r in caplog.records if r.name == "newsroom.security"]
    assert len(messages) == FAILURE_LIMIT + 1
    [lockout] = [message for message in messages if "locked out" in message]
    assert "'editor'" in lockout
    assert "'203.0.113.7'" in lockout


def settings_values(*names: str, **env: str) -> list[str]:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "NEWSROOM_"))
    }
    script = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(*(getattr(settings, name) for name in {names!r}), sep='|')"
    )
    result = subprocess.run(  # noqa: S603 - our own fixed script
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env={**clean_env, "DJANGO_SETTINGS_MODULE": "newsroom.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split("|")


def test_the_operator_sets_the_limits_through_the_environment():
    names = (
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
        "NEWSROOM_DESK_IDLE_TIMEOUT",
        "SESSION_COOKIE_AGE",
    )
    assert settings_values(*names) == ["5", "0:15:00", "28800", "1209600"]
    assert settings_values(
        *names,
        NEWSROOM_LOGIN_FAILURE_LIMIT="10",
        NEWSROOM_LOGIN_COOLOFF="3600",
        NEWSROOM_DESK_IDLE_TIMEOUT="0",
        NEWSROOM_SESSION_MAX_AGE="86400",
    ) == ["10", "1:00:00", "0", "86400"]


@pytest.mark.parametrize(
    "variable", ["NEWSROOM_LOGIN_FAILURE_LIMIT", "NEWSROOM_LOGIN_COOLOFF"]
)
def test_a_limit_below_one_stops_start_up(variable):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
            variable: "0",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"Configuration error: {variable} must be at least 1, not 0."
    ]
