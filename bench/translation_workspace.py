"""Time the translator's workspace and the translation memory at newsroom size.

    .venv/bin/python -m bench.translation_workspace [--segments 100000] [--runs 30]

Fills the translation memory (Korean → Japanese) up to --segments entries,
makes a Korean story of about 5 000 characters (headline, dek, key points and
a body of headings and paragraphs with bold and links) half translated into
Japanese, then prints, beside a reference measured in the same run (Django's
own password-change form: the machine is shared and its speed drifts): the
workspace page for that story, its save (every segment checked and the story
saved), and one close-match lookup in the memory. Runs on the configured
database (DATABASE_URL); close matches use pg_trgm there, so run it on
PostgreSQL.
"""

import argparse
import os
import random
import statistics
import time

WORDS = (
    "항만 물동량 태풍 북상 기준금리 동결 반도체 수출 지하철 심야 운행 폭염 경보 "
    "선거구 확대 사전투표 연장 인구 감소 지역 기금 아파트 가격 둔화 여객선 운항"
).split()


def sentence(rng: random.Random, words: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def fill_memory(total: int) -> None:
    from translations.models import MemoryEntry
    from translations.units import fingerprint

    have = MemoryEntry.objects.filter(source_language="ko", target_language="ja")
    rng = random.Random(7)
    batch = []
    for number in range(have.count(), total):
        text = f"{sentence(rng)} {number}"
        batch.append(
            MemoryEntry(
                source_language="ko",
                target_language="ja",
                source_text=text,
                source_key=fingerprint(text),
                target_text=f"訳文 {number}",
            )
        )
        if len(batch) == 5000:
            MemoryEntry.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    MemoryEntry.objects.bulk_create(batch, ignore_conflicts=True)


def long_story(editor):
    from articles.models import Article, Category
    from articles.services import article_save

    rng = random.Random(11)
    blocks = []
    while sum(len(block) for block in blocks) < 4600:
        blocks.append(f"<h2>{sentence(rng, 4)}</h2>")
        for _ in range(3):
            blocks.append(
                f"<p>{sentence(rng)} <strong>{sentence(rng, 3)}</strong> "
                f'<a href="https://example.org/{len(blocks)}">{sentence(rng, 2)}</a> '
                f"{sentence(rng)}</p>"
            )
    category = Category.objects.first() or Category.objects.create(
        name_ko="벤치", name_ja="ベンチ", name_en="Bench", slug_ko="bench"
    )
    story = Article(
        source_language="ko",
        category=category,
        headline_ko="벤치마크용 긴 기사 " + str(random.randrange(10**6)),
        dek_ko=sentence(rng),
        key_points_ko="\n".join(sentence(rng, 6) for _ in range(3)),
        body_ko="".join(blocks),
        status=Article.Status.DRAFT,
    )
    return article_save(
        article=story,
        user=editor,
        changed_fields=["headline_ko", "dek_ko", "key_points_ko", "body_ko"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    # The test client then hands back each page's context (the segments).
    setup_test_environment()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.timing import print_timings
    from translations.memory import close_matches
    from translations.models import MemoryEntry

    fill_memory(options.segments)
    editor, _created = get_user_model().objects.get_or_create(
        username="bench-desk",
        defaults={"is_staff": True, "is_superuser": True, "email": "b@n.example"},
    )
    story = long_story(editor)
    client = Client(HTTP_HOST="localhost")
    client.force_login(editor)
    url = reverse("admin:articles_article_translate", args=[story.pk, "ja"])
    print(
        f"{MemoryEntry.objects.count()} memory segments in {connection.vendor}; "
        f"story of {len(story.body_ko) + len(story.headline_ko)} characters"
    )
    print_timings(
        client,
        {"reference: password form": "/admin/password_change/", "workspace": url},
        options.runs,
        width=26,
    )
    page = client.get(url)
    data = {"version": str(story.version)}
    for part in page.context["parts"]:
        for row in part.rows:
            data[row.field_name] = row.target or f"訳 {row.segment.text}"
    started = time.perf_counter()
    response = client.post(url, data)
    saved = (time.perf_counter() - started) * 1000
    if response.status_code != 302:
        raise SystemExit(f"the save answered {response.status_code}")
    print(f"{'workspace save (once)':<26} {saved:>10.1f}")
    rng = random.Random(3)
    timings = []
    for _run in range(options.runs):
        query = sentence(rng) + " 0"
        started = time.perf_counter()
        close_matches("ko", "ja", query)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"{'memory close-match lookup':<26} {statistics.median(timings):>10.1f}")


if __name__ == "__main__":
    main()
