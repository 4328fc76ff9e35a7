"""When background work that failed is tried again, and when it is given up.

django-tasks has no retries of its own: a task that failed plans its next try
itself (`.using(run_after=…).enqueue(…)`), asking `retry_delay`. Five tries
over about 1 h 20 min: a mail server or object store down for an hour loses
nothing.
"""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks.base import Task

RETRY_DELAYS = (60, 300, 900, 3600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def retry_delay(attempt: int, delays: Sequence[int] = RETRY_DELAYS) -> int | None:
    """Return the seconds to wait after try number `attempt` failed, or None.

    None: that was the last try (one more than `delays` has waits); the work
    is given up (and must be reported).
    """
    if attempt > len(delays):
        return None
    return delays[max(attempt, 1) - 1]


class GivenUp(Exception):
    """Raised by a task after its last try, once what failed is recorded.

    The worker then marks the job failed, with this traceback, and the
    desk's page of background work lists it: nothing fails unseen.
    """


def retry_later(
    task: Task, *args: Any, attempt: int, delays: Sequence[int] = RETRY_DELAYS
) -> int | None:
    """Enqueue `task(*args)` to run after the wait that follows try `attempt`.

    Return the wait in seconds, or None (nothing enqueued) when `attempt` was
    the last try: the caller records what failed and raises GivenUp.
    """
    delay = retry_delay(attempt, delays)
    if delay is not None:
        task.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(*args)
    return delay
