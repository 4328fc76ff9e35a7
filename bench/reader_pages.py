"""Time the public reader pages against the configured database.

    .venv/bin/python -m bench.reader_pages [--runs 3] [--seed N]

For each language and page type (home, story, section, tag, author), requests
a sample of pages as an anonymous reader, once to warm up and then --runs
times, and prints the median and 95th-percentile response time and the
number of SQL queries per page. The samples change from run to run; the seed
is printed so that a run can be repeated. Run bench.generate first.
"""

import argparse
import os
import random
import statistics
import time

LANGUAGES = ("ko", "ja", "en")
PAGE_TYPES = ("home", "story", "section", "tag", "author")
STORY_SAMPLE = 50
TAG_SAMPLE = 50
AUTHOR_SAMPLE = 20
# One home page a language: asked this many times a run, or its median is
# one request's time and the machine's noise.
HOME_REPEATS = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the story, tag and author samples (a new one by default)",
    )
    options = parser.parse_args()
    seed = (
        options.seed
        if options.seed is not None
        else random.SystemRandom().getrandbits(32)
    )

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    # Time what readers get, without the template debug information.
    settings.DEBUG = False
    if "localhost" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = ["localhost"]
    from django.db import connection
    from django.db.models import Exists, OuterRef
    from django.template import engines
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from articles.models import Article, Author, Byline, Category
    from tags.models import Tag, TaggedArticle

    if engines["django"].engine.debug:
        raise SystemExit("Template debugging is still on: the figures would be off.")

    def url(language: str, name: str, **kwargs) -> str:
        with translation.override(language):
            return reverse(f"reader:{name}", kwargs=kwargs)

    def sample(rng: random.Random, items: list, size: int) -> list:
        return rng.sample(items, min(size, len(items)))

    rng = random.Random(seed)
    pages: dict[tuple[str, str], list[str]] = {}
    for language in LANGUAGES:
        slug = f"slug_{language}"
        live = Article.objects.live(language)
        pages["home", language] = [url(language, "home")] * HOME_REPEATS
        story_ids = list(live.order_by("id").values_list("id", flat=True))
        chosen = sample(rng, story_ids, STORY_SAMPLE)
        slugs = dict(Article.objects.filter(id__in=chosen).values_list("id", slug))
        pages["story", language] = [
            url(language, "detail", slug=slugs[pk]) for pk in chosen
        ]
        pages["section", language] = [
            url(language, "section", slug=value)
            for value in Category.objects.filter(**{f"{slug}__gt": ""})
            .order_by("position", "id")
            .values_list(slug, flat=True)
        ]
        tags = list(
            Tag.objects.filter(**{f"name_{language}__gt": "", f"{slug}__gt": ""})
            .filter(
                Exists(
                    TaggedArticle.objects.filter(
                        tag=OuterRef("pk"), content_object__in=live
                    )
                )
            )
            .order_by("id")
            .values_list(slug, flat=True)
        )
        pages["tag", language] = [
            url(language, "tag", slug=value) for value in sample(rng, tags, TAG_SAMPLE)
        ]
        authors = list(
            Author.objects.filter(
                Exists(Byline.objects.filter(author=OuterRef("pk"), article__in=live))
            )
            .order_by("id")
            .values_list("slug", flat=True)
        )
        pages["author", language] = [
            url(language, "author", slug=value)
            for value in sample(rng, authors, AUTHOR_SAMPLE)
        ]

    client = Client(HTTP_HOST="localhost")

    def request(address: str) -> tuple[float, int]:
        """Return the response time in ms and the number of queries of one GET."""
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            response = client.get(address)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{address} answered {response.status_code}")
        return elapsed, queries

    print(
        f"{Article.objects.count()} stories in {connection.vendor}; seed {seed}, "
        f"{options.runs} runs after one warm-up request per page"
    )
    # The floor, measured in the same run: a page through the same middleware
    # that reads nothing (this machine's speed drifts from run to run).
    request("/robots.txt")
    floor = statistics.median(request("/robots.txt")[0] for _ in range(50))
    print(f"reference: /robots.txt (no query, same middleware) median {floor:.1f} ms")
    results: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
    for page_type in PAGE_TYPES:
        for language in LANGUAGES:
            addresses = pages[page_type, language]
            if not addresses:
                raise SystemExit(
                    f"No {page_type} page in {language}: run bench.generate"
                )
            for address in addresses:
                request(address)
            results[page_type, language] = [
                (*request(address), address)
                for _run in range(options.runs)
                for address in addresses
            ]

    print(
        f"{'page':<8} {'lang':<4} {'requests':>8} {'median ms':>10} {'p95 ms':>8} "
        f"{'min q':>6} {'max q':>6}"
    )
    for page_type in PAGE_TYPES:
        for language in LANGUAGES:
            rows = results[page_type, language]
            timings = sorted(ms for ms, _queries, _address in rows)
            counts = [queries for _ms, queries, _address in rows]
            p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
            print(
                f"{page_type:<8} {language:<4} {len(rows):>8} "
                f"{statistics.median(timings):>10.1f} {p95:>8.1f} "
                f"{min(counts):>6} {max(counts):>6}"
            )
    for page_type in PAGE_TYPES:
        examples: dict[int, str] = {}
        for language in LANGUAGES:
            for _ms, queries, address in results[page_type, language]:
                examples.setdefault(queries, address)
        if len(examples) > 1:
            print(
                f"WARNING: {page_type} pages run a varying number of queries: "
                + ", ".join(
                    f"{queries} on {address}"
                    for queries, address in sorted(examples.items())
                )
            )


if __name__ == "__main__":
    main()
