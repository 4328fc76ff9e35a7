"""The people a function acts for, as types: the desk's users and anonymous readers."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

# Someone signed in to the desk. AUTH_USER_MODEL is Django's own User, which
# the stories' and states' user columns (created_by, translated_by…) hold.
DeskUser: TypeAlias = User
# `request.user`: a desk user, or an anonymous reader (every check answers no).
AnyUser: TypeAlias = User | AnonymousUser


def _is_latin(text: str) -> bool:
    return all(ord(char) < 0x2E80 for char in text)


def display_name(user: User | None) -> str:
    """Return how the desk names `user`: 김지우, 山田 太郎, Jiwoo Kim.

    Korean and Japanese names are written family name first (Korean without
    a space); names in Latin letters, given name first, whatever the desk's
    language. Without a name, the username.
    """
    if user is None:
        return ""
    given, family = user.first_name.strip(), user.last_name.strip()
    if not (given and family):
        return given or family or user.get_username()
    if _is_latin(given + family):
        return f"{given} {family}"
    hangul = any("\uac00" <= char <= "\ud7a3" for char in given + family)
    return f"{family}{given}" if hangul else f"{family} {given}"
