from django.apps import AppConfig
from django.core import checks as django_checks
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "translations"
    verbose_name = _("translation")

    def ready(self) -> None:
        from articles.signals import article_text_changed
        from translations import checks, signal_handlers

        # The state of each language changes in the transaction that saves
        # the text, so it is never out of step with it.
        article_text_changed.connect(
            signal_handlers.refresh_states_on_text_change,
            dispatch_uid="translations_refresh_states_on_text_change",
        )
        django_checks.register(checks.check_machine_translator, "translations")
        django_checks.register(
            checks.check_machine_translator_deploy, "translations", deploy=True
        )
