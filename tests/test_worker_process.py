"""The background worker as operators run it: `manage.py db_worker`, its own process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from articles.tests.factories import ArticleFactory, UserFactory
from notifications.models import Notification
from notifications.services import notify

BASE_DIR = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    """Return the URL of the database this test runs on, for another process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or ""
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def test_a_worker_process_sends_what_a_committed_change_left_for_it():
    editor = UserFactory(role="editor")
    (told,) = notify(
        kind=Notification.Kind.SUBMITTED,
        article=ArticleFactory(),
        recipients=[editor],
    )
    assert told.email == Notification.Email.PENDING
    finished = subprocess.run(  # noqa: S603 - this interpreter, our manage.py
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--queue-name",
            "*",
            "--interval",
            "0",
            "--no-startup-delay",
        ],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
            "DATABASE_URL": database_url(),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    told.refresh_from_db()
    assert told.email == Notification.Email.SENT
