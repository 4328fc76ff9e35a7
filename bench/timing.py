"""Time desk pages through Django's test client and print them as a table."""

import statistics
import time


def print_timings(client, views: dict[str, str], runs: int, width: int = 24) -> None:
    """Print each view's median and p95 time, queries and ratio to the first view.

    The first view is the reference measured in the same run (the machine is
    shared and its speed drifts). A view that does not answer 200 stops the
    run.
    """
    from django.db import connection

    print(
        f"{'view':<{width}} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'ratio':>6}"
    )
    reference = None
    for name, url in views.items():
        queries: list[str] = []

        def count(execute, sql, *args, queries=queries):
            queries.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            status = client.get(url).status_code
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        timings = []
        for _run in range(runs):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
        median = statistics.median(timings)
        reference = reference or median
        print(
            f"{name:<{width}} {median:>10.1f} {p95:>8.1f} "
            f"{len(queries):>8} {median / reference:>6.1f}"
        )
