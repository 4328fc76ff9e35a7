"""Who translates, into which languages: the answer articles asks for.

articles/permissions.py asks `settings.NEWSROOM_TRANSLATOR_LANGUAGES` (this
module's `translator_languages`) which languages a person may write in other
people's stories; without this app, nobody translates.
"""

from core.users import AnyUser
from translations.models import TranslatorLanguage


def translator_languages(user: AnyUser) -> set[str]:
    """Return the languages `user` translates into (cached on the user object)."""
    if not user.is_authenticated or not user.has_perm("translations.translate_story"):
        return set()
    # Kept on the user object for the rest of its request, as Django's
    # ModelBackend keeps a user's permissions in `_perm_cache`: a change to
    # someone's languages shows from their next request on.
    languages: set[str] | None = getattr(user, "_translator_languages", None)
    if languages is None:
        languages = set(
            TranslatorLanguage.objects.filter(user=user).values_list(
                "language", flat=True
            )
        )
        user._translator_languages = languages  # type: ignore[attr-defined]
    return languages
