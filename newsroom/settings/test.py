"""Test runs: fast hashing, a fixed key, no debug."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-" + "x" * 50)
os.environ.setdefault("DJANGO_DEBUG", "0")

from newsroom.settings.base import *  # noqa: E402, F403

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory: with an in-memory database Django's live server
    # shares the test's connection, and a request the browser sends while the
    # next test sets up (a heartbeat, a beacon on leaving) runs on it at the
    # same time. One file per test process, removed after the run.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(
            Path(tempfile.gettempdir()) / f"newsroom-test-{os.getpid()}.sqlite3"
        )
    }
    # Two connections now write: a transaction takes the write lock when it
    # starts and waits for the other one, instead of failing to upgrade
    # ("database is locked").
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # The worker opens uploaded archives by their path: a disk of their own.
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": Path(tempfile.gettempdir()) / f"newsroom-imports-{os.getpid()}"
        },
    },
}
# Never the operator's Redis: tests clear the cache and must not share it.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Tests switch machine translation on where they need it, never the operator.
NEWSROOM_MACHINE_TRANSLATOR = ""
DEEPL_AUTH_KEY = ""
# Mail goes to django.core.mail.outbox; jobs wait in the test database until
# a test runs them (the run_tasks fixture in conftest.py).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
NEWSROOM_DESK_URL = "https://desk.example.org"
# Purges are recorded (frontcache.backends.recorded), never sent anywhere.
NEWSROOM_CACHE = {
    **NEWSROOM_CACHE,  # noqa: F405
    "PURGE_BACKEND": "frontcache.backends.RecordingBackend",
    "PURGE_OPTIONS": {},
}
# Reads go to the test database; tests that count in Redis say so.
NEWSROOM_READS_REDIS_URL = ""
# The suite runs on one database whatever the shell exports; the replicas are
# tried for real in tests/stack/test_replica.py.
DATABASES = {"default": DATABASES["default"]}  # noqa: F405
NEWSROOM_REPLICAS: list[str] = []
