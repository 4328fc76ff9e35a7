"""The people a function acts for, as types: the desk's users and anonymous readers."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

# Someone signed in to the desk. AUTH_USER_MODEL is Django's own User, which
# the stories' and states' user columns (created_by, translated_by…) hold.
DeskUser: TypeAlias = User
# `request.user`: a desk user, or an anonymous reader (every check answers no).
AnyUser: TypeAlias = User | AnonymousUser
