"""When failed background work is tried again."""

from core.retries import MAX_ATTEMPTS, retry_delay


def test_tries_wait_longer_each_time_then_stop():
    delays = [retry_delay(attempt) for attempt in range(1, MAX_ATTEMPTS + 1)]
    assert delays == [60, 300, 900, 3600, None]


def test_work_with_waits_of_its_own_stops_after_its_last_wait():
    delays = [retry_delay(attempt, (1, 5)) for attempt in range(1, 4)]
    assert delays == [1, 5, None]
