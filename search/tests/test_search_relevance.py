"""Search relevance: recall and precision over the set in search_relevance.json.

Two parts. The demo part runs hand-judged queries over the demo newsroom:
each names the stories it must find and plausible confusions it must not.
The generated part runs queries over stories made from bench/generate.py's
words, judged by an oracle that reads the text itself.

Both are micro-averaged over every judgement:

- recall = relevant stories found / relevant stories;
- precision = relevant stories found / judged stories found. In the demo
  part a found story is judged only if the case names it (must_find or
  must_not_find), so precision = 1 - must_not_find hits / judged hits; other
  results (a story that also says the word, unjudged) count for nothing. In
  the generated part every story is judged: the oracle knows them all.

Each part and the whole set must keep recall >= 0.95 and precision >= 0.9.
"""

import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import CategoryFactory
from bench.generate import WORDS, body, sentence
from core.languages import LANGUAGE_CODES
from search import index, queries, tokens

pytestmark = pytest.mark.django_db

SET = json.loads(
    (Path(__file__).with_name("search_relevance.json")).read_text(encoding="utf-8")
)
# The demo loader's stories (demo/content/newsroom.json), read as it reads them.
DEMO_FILE = Path(apps.get_app_config("demo").path) / "content" / "newsroom.json"
DEMO = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
MIN_RECALL = 0.95
MIN_PRECISION = 0.9
# Enough for every live story of one language to come back on one page.
EVERYTHING = 10_000

CJK = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3]")


@dataclass
class Tally:
    """Judgements counted over a part of the set, and what went wrong."""

    relevant: int = 0
    found_relevant: int = 0
    found_judged: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, label: str, found: set, relevant: set, judged: set) -> None:
        hits = found & judged
        self.relevant += len(relevant)
        self.found_relevant += len(found & relevant)
        self.found_judged += len(hits)
        missed, wrong = relevant - found, hits - relevant
        if missed or wrong:
            self.failures.append(
                f"{label}: missed {len(missed)} {_sample(missed)}, "
                f"wrongly found {len(wrong)} {_sample(wrong)}"
            )

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.relevant + other.relevant,
            self.found_relevant + other.found_relevant,
            self.found_judged + other.found_judged,
            self.failures + other.failures,
        )

    @property
    def recall(self) -> float:
        return self.found_relevant / self.relevant if self.relevant else 1.0

    @property
    def precision(self) -> float:
        return self.found_relevant / self.found_judged if self.found_judged else 1.0

    def summary(self, name: str) -> str:
        return (
            f"{name}: recall {self.recall:.3f} "
            f"({self.found_relevant}/{self.relevant}), precision "
            f"{self.precision:.3f} ({self.found_relevant}/{self.found_judged})"
        )


def _sample(names: set) -> str:
    shown = sorted(names, key=str)[:5]
    return "[" + ", ".join(map(str, shown)) + (", …]" if len(names) > 5 else "]")


def found_ids(query: str, language: str) -> set[int]:
    ids, _total = queries.search_live(
        tokens.parse_query(query), language=language, limit=EVERYTHING
    )
    return set(ids)


# --- the demo newsroom -----------------------------------------------------


def load_demo(tmp_path) -> dict[int, str]:
    """Load and index the demo newsroom; return its story keys by id."""
    call_command("load_demo", login_file=str(tmp_path / "login"), stdout=StringIO())
    # The test's transaction never commits, so the on-commit indexing never runs.
    index.search_index_stories(Article.objects.values_list("pk", flat=True))
    by_headline = {story["ko"]["headline"]: story["key"] for story in DEMO["stories"]}
    return {
        pk: by_headline[headline]
        for pk, headline in Article.objects.values_list("pk", "headline_ko")
    }


def judge_demo(keys: dict[int, str]) -> Tally:
    tally = Tally()
    for case in SET["demo"]:
        found = {keys[pk] for pk in found_ids(case["query"], case["language"])}
        relevant = set(case["must_find"])
        tally.add(
            f"demo {case['language']} {case['query']!r}",
            found,
            relevant,
            relevant | set(case["must_not_find"]),
        )
    return tally


# --- generated stories -------------------------------------------------------


def generate_stories(seed: int, count: int) -> tuple[dict, dict[int, int]]:
    """Save and index `count` stories; return their live texts and numbers.

    Like bench/generate.py: some translations missing, a few drafts; here also
    a few scheduled for later. A third of the stories have a full body()
    (about a hundred words), the rest one sentence, so a word is in some
    stories and not in others.

    The texts are by language, then by story number (as in the slugs:
    relevance-en-7 is number 7); the numbers are by story id.
    """
    rng = random.Random(seed)
    now = timezone.now()
    section = CategoryFactory()
    rows = []
    for number in range(count):
        fields = {}
        for code in LANGUAGE_CODES:
            if code != "ko" and rng.random() < {"ja": 0.2, "en": 0.15}[code]:
                continue
            fields[f"headline_{code}"] = sentence(rng, code, 6)[:-1]
            fields[f"slug_{code}"] = f"relevance-{code}-{number}"
            fields[f"dek_{code}"] = sentence(rng, code, 12)
            fields[f"body_{code}"] = (
                body(rng, code)
                if rng.random() < 1 / 3
                else f"<p>{sentence(rng, code, rng.randint(6, 10))}</p>"
            )
        roll = rng.random()
        if roll < 0.04:
            status, published_at = Article.Status.DRAFT, None
        elif roll < 0.07:
            status, published_at = Article.Status.PUBLISHED, now + timedelta(days=1)
        else:
            status = Article.Status.PUBLISHED
            published_at = now - timedelta(minutes=rng.randint(5, 60 * 24 * 365))
        rows.append(
            Article(
                **fields, category=section, status=status, published_at=published_at
            )
        )
    articles = Article.objects.bulk_create(rows)
    index.search_index_stories([article.pk for article in articles])
    texts = {code: {} for code in LANGUAGE_CODES}
    for number, article in enumerate(articles):
        if article.status != Article.Status.PUBLISHED or article.published_at > now:
            continue
        for code in LANGUAGE_CODES:
            parts = [
                getattr(article, f"{name}_{code}")
                for name in ("headline", "dek", "body")
            ]
            if parts[0]:
                texts[code][number] = readable(" ".join(parts))
    return texts, {article.pk: number for number, article in enumerate(articles)}


def readable(html: str) -> str:
    """Return the text a reader sees, as the oracle compares it: tags read as spaces."""
    text = re.sub(r"<[^>]*>", " ", html)
    return unicodedata.normalize("NFKC", text).casefold()


def holds(text: str, term: str) -> bool:
    """Whether `text` holds `term`: CJK anywhere inside, other words whole."""
    term = unicodedata.normalize("NFKC", term).casefold()
    if CJK.search(term):
        return term in text
    return re.search(rf"(?<![^\W_]){re.escape(term)}(?![^\W_])", text) is not None


def judge_generated(texts: dict, numbers: dict[int, int]) -> Tally:
    tally = Tally()
    for case in SET["generated"]["cases"]:
        stories = texts[case["language"]]
        relevant = {
            number
            for number, text in stories.items()
            if all(holds(text, term) for term in case["terms"])
        }
        # Demo stories answer too; only the generated ones are judged here.
        found = {
            numbers[pk]
            for pk in found_ids(case["query"], case["language"])
            if pk in numbers
        }
        tally.add(
            f"generated {case['language']} {case['query']!r} "
            f"({len(relevant)} relevant)",
            found,
            relevant,
            set(stories),
        )
    return tally


# --- the tests -----------------------------------------------------------------


def test_the_relevance_set_is_well_formed():
    keys = {story["key"] for story in DEMO["stories"]}
    cases = SET["demo"]
    assert len(cases) >= 40
    assert {case["language"] for case in cases} == set(LANGUAGE_CODES)
    assert any(not case["must_find"] for case in cases)
    for case in cases:
        named = case["must_find"] + case["must_not_find"]
        assert set(named) <= keys, case
        assert not set(case["must_find"]) & set(case["must_not_find"]), case
        assert case["note"], case
    generated = SET["generated"]["cases"]
    assert len(generated) >= 15
    for case in generated:
        words = [word.casefold() for word in WORDS[case["language"]]]
        # A term is a word, part of one, or (Japanese has no spaces) two in a row.
        joined = {first + second for first in words for second in words}
        for term in case["terms"]:
            assert any(term in word for word in words) or term in joined, case


def test_search_keeps_recall_and_precision_over_the_relevance_set(tmp_path):
    demo = judge_demo(load_demo(tmp_path))
    generated = judge_generated(
        *generate_stories(SET["generated"]["seed"], SET["generated"]["stories"])
    )
    whole = demo + generated
    report = "\n".join(
        [
            demo.summary("demo"),
            generated.summary("generated"),
            whole.summary("whole set"),
            *whole.failures,
        ]
    )
    held = all(
        part.recall >= MIN_RECALL and part.precision >= MIN_PRECISION
        for part in (demo, generated, whole)
    )
    assert held, report
