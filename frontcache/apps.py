from django.apps import AppConfig
from django.core import checks as django_checks


class FrontCacheConfig(AppConfig):
    """The shared cache in front of the app: headers, surrogate keys, purges.

    It has no models and imports only `core`: the apps whose changes readers
    see name the keys to purge (reader/purges.py).
    """

    name = "frontcache"

    def ready(self) -> None:
        from frontcache import checks

        django_checks.register(checks.check_backend, "frontcache")
