"""System checks for machine translation: a setting that cannot work says so.

Registered in `TranslationsConfig.ready()`.
"""

from django.core import checks

from translations import machine


def check_machine_translator(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Report a machine translator that is unknown or lacks its key or package."""
    return [
        checks.Error(message, hint=hint, id=check_id)
        for check_id, message, hint in machine.configuration_problems()
    ]


def check_machine_translator_deploy(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Warn that the offline translator's output is no translation at all."""
    if machine.backend_name() != "offline":
        return []
    return [
        checks.Warning(
            "NEWSROOM_MACHINE_TRANSLATOR is 'offline': its output is the source "
            "text marked with the language code, not a translation.",
            hint="Choose 'deepl' in production, or turn machine translation off.",
            id="translations.W001",
        )
    ]
