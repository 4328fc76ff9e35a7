"""The languages the newsroom publishes in: one list, read from settings.LANGUAGES."""

from django.conf import settings

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def check_language(language: str) -> str:
    """Return `language` if the newsroom publishes in it; refuse anything else."""
    if language not in LANGUAGE_CODES:
        raise ValueError(f"Unknown language {language!r}")
    return language


def language_name(code: str) -> str:
    """Return the name of language `code` in the active language (else the code).

    Looked up on each call, never kept: a name read at import time would stay
    in the language the process started in.
    """
    return str(dict(settings.LANGUAGES).get(code, code))
