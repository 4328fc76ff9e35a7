from django.apps import AppConfig
from django.core import checks as django_checks
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "translations"
    verbose_name = _("translation")

    def ready(self) -> None:
        from articles import services as article_services
        from translations import checks, services

        # The state of each language changes in the transaction that saves
        # the text, so it is never out of step with it.
        article_services.register_text_hook(services.translation_texts_saved)
        django_checks.register(checks.check_machine_translator, "translations")
        django_checks.register(
            checks.check_machine_translator_deploy, "translations", deploy=True
        )
