"""Counting reads at scale: the counter, and the home page as reads pile up.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.reads [--reads 2000]

On the configured database (migrated, with live stories: bench.generate),
through the test client in this process:

- the read counter (POST /ko/reads/, each from another address): the median
  time per read when reads go to the database, and when they go to Redis
  (127.0.0.1:6379, database 14, a key of this run's own), with Django's
  password-change form timed beside them as the reference;
- the home page's median time with no hourly read rows, then after adding
  38 000 and 380 000 of them (each time the worker's flush works out the
  rankings): flat, since the page reads the precomputed rankings.

Rows it adds are removed at the end.
"""

import argparse
import os
import statistics
import time
import uuid
from datetime import timedelta


def median_ms(action, runs: int) -> float:
    times = []
    for number in range(runs):
        started = time.perf_counter()
        action(number)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client, override_settings
    from django.utils import timezone

    from articles.models import Article
    from reader.models import Ranking, StoryRead
    from reader.readership import reads_flush

    stories = list(Article.objects.live("ko").values_list("pk", flat=True)[:500])
    if len(stories) < 50:
        raise SystemExit("Needs live stories: run bench.generate first.")
    client = Client()
    browser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
    marker = StoryRead.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def read(number: int) -> None:
        client.post(
            "/ko/reads/",
            {"article": str(stories[number % len(stories)])},
            HTTP_USER_AGENT=browser,
            REMOTE_ADDR=f"10.{number // 65536 % 256}.{number // 256 % 256}."
            f"{number % 256}",
        )

    user = get_user_model().objects.create_user(f"bench-{uuid.uuid4().hex[:8]}")
    desk = Client()
    desk.force_login(user)

    def reference(_number: int) -> None:
        desk.get("/admin/password_change/")

    key = f"newsroom-bench:{uuid.uuid4().hex}"
    try:
        cache.clear()
        database_ms = median_ms(read, options.reads)
        cache.clear()
        with override_settings(
            NEWSROOM_READS_REDIS_URL="redis://127.0.0.1:6379/14", NEWSROOM_READS_KEY=key
        ):
            redis_ms = median_ms(lambda n: read(n + options.reads), options.reads)
            flushed = reads_flush()
        reference_ms = median_ms(reference, options.runs)
        print(f"read counter, {options.reads} reads each (median per read):")
        print(f"  to the database     {database_ms:6.2f} ms")
        print(
            f"  to Redis            {redis_ms:6.2f} ms   "
            f"(flush added {flushed['reads']} reads)"
        )
        print(f"  reference: password form {reference_ms:6.2f} ms")

        print("home page (median of runs) as hourly read rows grow:")
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        added = 0
        for target in (0, 38_000, 380_000):
            rows = []
            while added + len(rows) < target:
                index = added + len(rows)
                rows.append(
                    StoryRead(
                        article_id=stories[index % len(stories)],
                        language="ko",
                        hour=now - timedelta(hours=1 + index // len(stories)),
                        count=1 + index % 7,
                    )
                )
            StoryRead.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
            added = target
            reads_flush()
            client.get("/ko/")
            home_ms = median_ms(lambda _n: client.get("/ko/"), options.runs)
            ref_ms = median_ms(reference, options.runs)
            print(
                f"  {target:>7} rows: {home_ms:6.1f} ms "
                f"(reference {ref_ms:.1f} ms, ratio {home_ms / ref_ms:.1f})"
            )
    finally:
        StoryRead.objects.filter(pk__gt=marker).delete()
        Ranking.objects.all().delete()
        user.delete()


if __name__ == "__main__":
    main()
