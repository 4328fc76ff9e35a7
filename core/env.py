"""Read configuration from environment variables.

Settings modules call these helpers; a value that cannot be used stops start-up
with one line naming the variable, rather than a traceback from deep inside Django.
"""

import os

import dj_database_url
from dj_database_url import DBConfig

SUPPORTED_DATABASE_ENGINES = {
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
}


class ConfigurationError(SystemExit):
    """Stop start-up with a one-line message (SystemExit prints it to stderr)."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"Configuration error: {variable} {problem}")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(name, f"must be true or false, not {raw!r}.")


def env_int(name: str, *, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(
            name, f"must be a whole number, not {raw!r}."
        ) from None
    if minimum is not None and value < minimum:
        raise ConfigurationError(name, f"must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, *, default_sqlite_path: str) -> DBConfig:
    """Return a DATABASES entry from a URL, or a local SQLite file when unset."""
    raw = env_str(name)
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite_path,
            # The server and the background worker write to one file: a
            # transaction takes the write lock when it starts, waiting for
            # the other's, instead of failing to upgrade ("database is locked").
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same user error
        raise ConfigurationError(
            name, f"is not a usable database URL ({exc.__class__.__name__})."
        ) from None
    if config.get("ENGINE") not in SUPPORTED_DATABASE_ENGINES:
        raise ConfigurationError(
            name, "must start with postgres://, postgresql:// or sqlite:///."
        )
    if not config.get("NAME"):
        raise ConfigurationError(name, "names no database.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config.pop("CONN_MAX_AGE", None)
        config.pop("CONN_HEALTH_CHECKS", None)
    return config
