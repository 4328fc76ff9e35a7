"""Who may export and import the catalogues of which language."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from articles import permissions
from core.languages import LANGUAGE_CODES, language_name


def can_exchange(user, language: str | None = None) -> bool:
    """Whether `user` may export and import catalogues (into `language`).

    Editors may for every language, translators for their own ones.
    """
    if not user.is_active:
        return False
    if permissions.is_editor(user):
        return language is None or language in LANGUAGE_CODES
    own = permissions.translator_languages(user)
    return bool(own) if language is None else language in own


def check_exchange(user, language: str) -> None:
    """Refuse (PermissionDenied) a catalogue of `language` that `user` may not touch."""
    if not can_exchange(user, language):
        raise PermissionDenied(
            gettext("You may not export or import translations into %(language)s.")
            % {"language": language_name(language)}
        )
