"""The test settings with the translations app left out (test_standalone.py)."""

from newsroom.settings.test import *  # noqa: F403
from newsroom.settings.test import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [app for app in INSTALLED_APPS if not app.startswith("translations")]
NEWSROOM_TRANSLATOR_LANGUAGES = ""
# Beside the main run's test database, never over it.
DATABASES["default"].setdefault("TEST", {})["NAME"] = (
    None
    if DATABASES["default"]["ENGINE"].endswith("sqlite3")
    else "test_newsroom_without_translations"
)
