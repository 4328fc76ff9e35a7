"""Environment variables read into settings."""

from core.env import env_database


def test_postgres_urls_use_psycopg(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://newsroom:s3cret@db.internal:5433/news"
    )
    config = env_database("DATABASE_URL", default_sqlite_path="unused")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == (
        "db.internal",
        5433,
        "news",
    )
    assert config["PASSWORD"] == "s3cret"


def test_no_database_url_means_a_local_sqlite_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = env_database("DATABASE_URL", default_sqlite_path="newsroom-test.sqlite3")
    assert config == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "newsroom-test.sqlite3",
        # The server and the worker write to it both, waiting for each other.
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
