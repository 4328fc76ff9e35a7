from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: text fields, slugs, languages, environment parsing.

    It has no models, so the desk never shows its name.
    """

    name = "core"

    def ready(self) -> None:
        # Every text of every model of ours is stored composed (NFC); one
        # receiver for all senders, so a new model needs nothing of its own.
        from django.db.models.signals import pre_save

        from core import lookups
        from core.normalise import compose_on_save

        lookups.register()

        pre_save.connect(compose_on_save, dispatch_uid="core_compose_text")
