"""System checks: a purge backend that cannot be made is an error at start-up."""

from django.conf import settings
from django.core import checks


def check_backend(
    app_configs: object = None, **kwargs: object
) -> list[checks.CheckMessage]:
    from frontcache.purge import backend

    try:
        backend()
    except Exception as error:  # noqa: BLE001 - any mistake in the settings
        return [
            checks.Error(
                f"The front cache's purge backend cannot be set up: {error}",
                hint="Check NEWSROOM_PURGE_BACKEND and NEWSROOM_VARNISH_URLS.",
                obj=settings.NEWSROOM_CACHE["PURGE_BACKEND"],
                id="frontcache.E001",
            )
        ]
    return []
