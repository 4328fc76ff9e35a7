"""Local development and the demo (`make run`): debug on unless told otherwise."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from newsroom.settings.base import *  # noqa: E402, F403
