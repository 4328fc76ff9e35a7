"""Time search against the configured database (PostgreSQL for real figures).

    .venv/bin/python -m bench.search [--runs 20]

Run bench.generate and `manage.py rebuild_search_index` first. Prints, per
kind of query, language and order, how many stories match and the median and
95th-percentile time of the database work (one page of ids and the count),
then the time to index one story.
"""

import argparse
import os
import random
import statistics
import time

TERMS = {
    # Words of bench.generate's vocabulary: in most generated stories.
    "frequent": {
        "ko": ["경제", "반도체", "서울"],
        "ja": ["経済", "半導体"],
        "en": ["economy"],
    },
    # Two-character CJK words, the most common queries.
    "two characters": {"ko": ["금리", "부산"], "ja": ["金利", "釜山"], "en": []},
    # Tag names (a word and a number written together): ~700 stories each.
    "rare": {"ko": ["항만7", "교육9"], "ja": ["輸出7", "選挙9"], "en": ["festival8"]},
    # Words no story has.
    "absent": {"ko": ["없는말"], "ja": ["存在しない"], "en": ["zyzzyva"]},
    # Two words that must both be there.
    "two words": {"ko": ["서울 금리"], "ja": ["釜山 金利"], "en": ["Seoul rates"]},
}


def percentile(values: list[float], share: float) -> float:
    values = sorted(values)
    return values[max(0, round(len(values) * share) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()
    from django.db import connection

    from articles.models import Article
    from search.index import search_index_stories
    from search.models import SearchDocument
    from search.queries import search_live
    from search.tokens import parse_query

    documents = SearchDocument.objects.count()
    print(
        f"{Article.objects.count()} stories, {documents} search documents "
        f"in {connection.vendor}"
    )
    print(
        f"{'kind':<16} {'lang':<4} {'query':<12} {'order':<10} {'matches':>8} "
        f"{'median ms':>10} {'p95 ms':>8}"
    )
    for kind, by_language in TERMS.items():
        for language, terms in by_language.items():
            for term in terms:
                query = parse_query(term)
                for order in ("newest", "relevance"):
                    timings = []
                    total = 0
                    for _run in range(options.runs):
                        started = time.perf_counter()
                        _ids, total = search_live(query, language=language, order=order)
                        timings.append((time.perf_counter() - started) * 1000)
                    print(
                        f"{kind:<16} {language:<4} {term:<12} {order:<10} {total:>8} "
                        f"{statistics.median(timings):>10.1f} "
                        f"{percentile(timings, 0.95):>8.1f}"
                    )

    ids = list(Article.objects.values_list("pk", flat=True)[:5000])
    sample = random.Random(2026).sample(ids, 50)
    timings = []
    for article_id in sample:
        started = time.perf_counter()
        search_index_stories([article_id])
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"index one story (3 languages): median {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms"
    )


if __name__ == "__main__":
    main()
