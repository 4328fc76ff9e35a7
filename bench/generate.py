"""Fill the configured database with a newsroom-sized dataset for benchmarks.

    .venv/bin/python -m bench.generate --stories 100000 [--tags 500 --authors 100]

Deterministic (seeded), written with bulk inserts; stories are marked by
slugs starting with "bench-" so a second run adds nothing. Uses whatever
DATABASE_URL points at (SQLite by default, PostgreSQL for real figures).
"""

import argparse
import os
import random
import time
from collections import defaultdict
from datetime import timedelta

WORDS = {
    "ko": (
        "정부 서울 부산 경제 지하철 반도체 수출 금리 물가 주택 청년 지역 의료 교육 "
        "기후 태풍 폭염 전력 항만 관광 축제 대학 입시 예산 국회 선거 외교 일본 "
        "중국 미국 시장 기업 투자 고용 임금 연금 인구 농업 어업 철도 공항 안전"
    ).split(),
    "ja": (
        "政府 ソウル 釜山 経済 地下鉄 半導体 輸出 金利 物価 住宅 若者 地域 医療 教育 "
        "気候 台風 猛暑 電力 港湾 観光 祭り 大学 入試 予算 国会 選挙 外交 日本 "
        "中国 米国 市場 企業 投資 雇用 賃金 年金 人口 農業 漁業 鉄道 空港 安全"
    ).split(),
    "en": (
        "government Seoul Busan economy subway chips exports rates prices housing "
        "youth region hospitals schools climate typhoon heat power port tourism "
        "festival university admissions budget parliament election diplomacy Japan "
        "China markets companies investment jobs wages pensions population farming "
        "fisheries railways airports safety"
    ).split(),
}
ENDINGS = {"ko": "다.", "ja": "た。", "en": "."}
SPACE = {"ko": " ", "ja": "", "en": " "}


def sentence(rng: random.Random, language: str, words: int) -> str:
    text = SPACE[language].join(rng.choice(WORDS[language]) for _ in range(words))
    return text[0].upper() + text[1:] + ENDINGS[language]


def body(rng: random.Random, language: str) -> str:
    # As long as a news story: 8 to 14 paragraphs, about 1 700 characters of
    # Korean (4 KB), 1 200 of Japanese or 500 English words. A few sentences
    # would leave out what carrying bodies a page does not show costs.
    paragraphs = [
        " ".join(
            sentence(rng, language, rng.randint(8, 14))
            for _ in range(rng.randint(3, 5))
        )
        for _ in range(rng.randint(8, 14))
    ]
    middle = len(paragraphs) // 2
    heading = f"<h2>{sentence(rng, language, 3)[:-1]}</h2>"
    html = [f"<p>{text}</p>" for text in paragraphs]
    return "".join([*html[:middle], heading, *html[middle:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--tags", type=int, default=500)
    parser.add_argument("--authors", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.dev")
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Author, Byline, Category, withheld_field
    from tags.models import Tag, TaggedArticle, normalize_key
    from translations.models import FieldTranslation, TranslationState
    from translations.units import fingerprint

    rng = random.Random(options.seed)
    started = time.perf_counter()
    existing = Article.objects.filter(slug_ko__startswith="bench-").count()
    if existing >= options.stories:
        print(f"{existing} bench stories already there; nothing to add.")
        return

    with transaction.atomic():
        sections = []
        for number in range(8):
            section, _created = Category.objects.get_or_create(
                slug_en=f"bench-section-{number}",
                defaults={
                    "name_ko": f"분야 {number}",
                    "name_ja": f"分野 {number}",
                    "name_en": f"Desk {number}",
                    "slug_ko": f"bench-분야-{number}",
                    "slug_ja": f"bench-分野-{number}",
                },
            )
            sections.append(section)
        Author.objects.bulk_create(
            [
                Author(
                    name_ko=f"기자{number}",
                    name_ja=f"記者{number}",
                    name_en=f"Reporter {number}",
                    email=f"bench-{number}@newsroom.example",
                    slug=f"bench-reporter-{number}",
                )
                for number in range(options.authors)
            ],
            ignore_conflicts=True,
        )
        authors = list(Author.objects.filter(email__startswith="bench-"))
        tag_rows = []
        for number in range(options.tags):
            names = {
                code: f"{rng.choice(WORDS[code])}{number}"
                for code in ("ko", "ja", "en")
            }
            tag_rows.append(
                Tag(
                    **{f"name_{code}": name for code, name in names.items()},
                    **{
                        f"key_{code}": normalize_key(name)
                        for code, name in names.items()
                    },
                    **{f"slug_{code}": f"bench-{code}-{number}" for code in names},
                )
            )
        Tag.objects.bulk_create(tag_rows, ignore_conflicts=True)
        tags = list(Tag.objects.filter(slug_en__startswith="bench-en-"))

    def language_states(articles) -> None:
        """Give each story its per-language state, a few outdated or withheld."""
        states, records = [], []
        for article in articles:
            for code in ("ko", "ja", "en"):
                state = TranslationState(
                    article=article, language=code, status="up_to_date"
                )
                states.append(state)
                if code == "ko":
                    continue
                if not getattr(article, f"headline_{code}"):
                    state.status = "missing"
                    continue
                roll = rng.random()
                if roll < 0.03:
                    state.status = "outdated"
                elif roll < 0.04:
                    state.status = "needs_review"
                elif roll < 0.05:
                    state.is_published = False
                for unit in ("headline", "dek", "body"):
                    source = getattr(article, f"{unit}_ko")
                    if state.status == "outdated" and unit == "dek":
                        source = sentence(rng, "ko", 12)
                    records.append((state, unit, source))
        TranslationState.objects.bulk_create(states)
        # What translations/services.py's state_save() writes for readers.
        withheld = defaultdict(list)
        for state in states:
            if state.is_withheld:
                withheld[state.language].append(state.article.pk)
        for language, ids in withheld.items():
            Article.objects.filter(pk__in=ids).update(
                **{withheld_field(language): True}
            )
        FieldTranslation.objects.bulk_create(
            FieldTranslation(
                state=state,
                unit=unit,
                source_fingerprint=fingerprint(text),
                source_text=text,
                is_machine=state.status == "needs_review",
                translated_at=now,
            )
            for state, unit, text in records
        )

    now = timezone.now()
    batch = 2_000
    for start in range(existing, options.stories, batch):
        with transaction.atomic():
            rows = []
            for number in range(start, min(start + batch, options.stories)):
                fields = {}
                for code in ("ko", "ja", "en"):
                    missing = (code == "ja" and rng.random() < 0.2) or (
                        code == "en" and rng.random() < 0.15
                    )
                    if code == "ko" or not missing:
                        fields[f"headline_{code}"] = sentence(rng, code, 6)[:-1]
                        fields[f"slug_{code}"] = f"bench-{code}-{number}"
                        fields[f"dek_{code}"] = sentence(rng, code, 12)
                        fields[f"body_{code}"] = body(rng, code)
                published = rng.random() > 0.03
                published_at = (
                    now - timedelta(minutes=rng.randint(5, 2 * 365 * 24 * 60))
                    if published
                    else None
                )
                rows.append(
                    Article(
                        **fields,
                        category=rng.choice(sections),
                        status="published" if published else "draft",
                        published_at=published_at,
                        # Live long ago: their going-live work (share cards,
                        # notices, purges) is not the scheduler's to do now.
                        live_effects_at=published_at,
                    )
                )
            articles = Article.objects.bulk_create(rows)
            Byline.objects.bulk_create(
                Byline(article=article, author=author, position=position)
                for article in articles
                for position, author in enumerate(
                    rng.sample(authors, rng.randint(1, 2))
                )
            )
            TaggedArticle.objects.bulk_create(
                TaggedArticle(content_object=article, tag=tag)
                for article in articles
                for tag in rng.sample(tags, rng.randint(2, 5))
            )
            language_states(articles)
        print(f"{min(start + batch, options.stories)} stories", flush=True)
    # What the worker keeps for the home page, as after the stories' changes.
    from reader.trending import trending_refresh

    trending_refresh()
    print(f"Generated in {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
