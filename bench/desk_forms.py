"""Time the story form a desk opens all day, and the autosave it sends.

    .venv/bin/python -m bench.desk_forms [--runs 30]

A story with 30 tags and 20 related stories (added if missing): the change
form's median and 95th-percentile time and its SQL queries, and the autosave
request's. The reference, measured in the same run, is Django's own
password-change form: the machine is shared and its speed drifts, so read
the ratio. Run bench.generate first for a newsroom-sized database.
"""

import argparse
import os
import statistics
import time


def timed(client, method: str, url: str, runs: int, data=None) -> tuple[float, float]:
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        response = getattr(client, method)(url, data) if data else client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    timings.sort()
    return statistics.median(timings), timings[max(0, round(len(timings) * 0.95) - 1)]


def count_queries(connection, call) -> int:
    queries: list[str] = []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        call()
    return len(queries)


def row(name: str, median: float, p95: float, queries: int, ratio: float) -> None:
    print(f"{name:<28} {median:>10.1f} {p95:>8.1f} {queries:>8} {ratio:>6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    # The story carries 30 tags; the desk's default cap is 20.
    os.environ.setdefault("NEWSROOM_MAX_TAGS_PER_STORY", "30")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from articles.models import Article
    from core.tests.formdata import form_data
    from related.models import RelatedArticle
    from tags.models import Tag

    user, _created = get_user_model().objects.get_or_create(
        username="bench-desk",
        defaults={"is_staff": True, "is_superuser": True, "email": "b@n.example"},
    )
    story = Article.objects.order_by("-id").first()
    present = story.tags.values_list("pk", flat=True)
    missing = max(0, 30 - len(present))
    story.tags.add(*Tag.objects.exclude(pk__in=list(present)).order_by("id")[:missing])
    others = Article.objects.exclude(pk=story.pk).order_by("-id")[:20]
    for position, other in enumerate(others):
        RelatedArticle.objects.get_or_create(
            article=story, related=other, defaults={"position": position}
        )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    change = reverse("admin:articles_article_change", args=[story.pk])
    autosave = reverse("admin:articles_article_autosave", args=[story.pk])
    reference = reverse("admin:password_change")
    fields = form_data(client.get(change).content.decode(), "article_form")

    print(
        f"{Article.objects.count()} stories in {connection.vendor}; story "
        f"{story.pk}: {story.tags.count()} tags, "
        f"{story.related_articles.count()} related stories"
    )
    print(
        f"{'request':<28} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'ratio':>6}"
    )
    ref_median, ref_p95 = timed(client, "get", reference, options.runs)
    ref_queries = count_queries(connection, lambda: client.get(reference))
    row("reference: password form", ref_median, ref_p95, ref_queries, 1.0)
    rows = [
        ("story change form", "get", change, None),
        ("autosave", "post", autosave, fields),
    ]
    for name, method, url, data in rows:
        median, p95 = timed(client, method, url, options.runs, data)
        queries = count_queries(
            connection,
            lambda method=method, url=url, data=data: (
                getattr(client, method)(url, data) if data else client.get(url)
            ),
        )
        row(name, median, p95, queries, median / ref_median)
    client.post(autosave, {"_discard": "1"})


if __name__ == "__main__":
    main()
