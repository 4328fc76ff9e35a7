"""Translation memory: segments people translated, offered where their source returns.

Learnt from every text a person writes into a language (the workspace, the
story form, PO imports: translation_refresh calls `memory_learn` in the
saving transaction); machine output is never learnt. A segment seen before
word for word is an exact match; a similar one a close match, with its
similarity. Close matches come from PostgreSQL's trigram index (pg_trgm);
SQLite, the demo's database, compares recent candidates of a similar length.
"""

import difflib
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from articles.models import Article
from core.users import DeskUser
from translations.models import MemoryEntry
from translations.segments import PLACEHOLDER, cut
from translations.units import Unit, fingerprint, normalise

# Below this, a "match" costs more to fix than to translate afresh.
CLOSE_ENOUGH = 0.7
MAX_CLOSE = 3
# SQLite: how many candidates of a similar length are compared.
SQLITE_CANDIDATES = 500


@dataclass(frozen=True)
class Match:
    source_text: str
    target_text: str
    similarity: float  # 1.0 for an exact match

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


def _worth_keeping(source: str, target: str) -> bool:
    words = PLACEHOLDER.sub("", source).strip()
    return bool(words) and bool(target.strip()) and source.strip() != target.strip()


def memory_learn(
    *,
    article: Article,
    language: str,
    units: list[Unit],
    user: DeskUser | None,
) -> int:
    """Remember the segments of `units` as `language` now reads them; return how many.

    A unit whose translation has another structure than its source teaches
    nothing (its segments cannot be paired).
    """
    return memory_learn_stories(stories=[(article, language, units)], user=user)


def memory_learn_stories(
    *,
    stories: list[tuple[Article, str, list[Unit]]],
    user: DeskUser | None,
) -> int:
    """Remember the segments of many stories at once, as `memory_learn` does each.

    `stories` holds a story, the language and the units to learn from, in
    the order they were written. The memory is read and written in a few
    statements for all of them, and ends as learning them one by one would
    leave it: a segment two stories translate differently keeps the later
    one's translation. Returns how many segments are new or changed.
    """
    pairs: dict[tuple[str, str], dict[str, tuple[str, str, Article]]] = {}
    for article, language, units in stories:
        source_language = article.source_language
        own: dict[str, tuple[str, str]] = {}
        for unit in units:
            source = cut(unit, unit.text(article, source_language))
            target = cut(unit, unit.text(article, language))
            if [s.kind for s in source.segments] != [s.kind for s in target.segments]:
                continue
            for one, other in zip(source.segments, target.segments, strict=True):
                if _worth_keeping(one.text, other.text):
                    own[fingerprint(one.text)] = (one.text, other.text)
        learnt = pairs.setdefault((source_language, language), {})
        for key, (source_text, target_text) in own.items():
            earlier = learnt.get(key)
            # As if learnt one story after the other: a story translating a
            # segment as an earlier one did changes nothing, another
            # translation replaces the earlier one's (its words, story, person).
            if earlier is None:
                learnt[key] = (source_text, target_text, article)
            elif earlier[1] != target_text:
                learnt[key] = (earlier[0], target_text, article)
    count = 0
    for (source_language, language), learnt in pairs.items():
        count += _remember(source_language, language, learnt, user)
    return count


# Segments looked up in one statement at most.
BATCH = 500


def _remember(
    source_language: str,
    language: str,
    pairs: dict[str, tuple[str, str, Article]],
    user: DeskUser | None,
) -> int:
    """Write `pairs` (by source key) to the memory of one pair of languages."""
    if not pairs:
        return 0
    keys = list(pairs)
    # The stored translation of each key: (source text, translation).
    known: dict[str, tuple[str, str]] = {}
    for start in range(0, len(keys), BATCH):
        rows = MemoryEntry.objects.filter(
            source_language=source_language,
            target_language=language,
            source_key__in=keys[start : start + BATCH],
        ).values_list("source_key", "source_text", "target_text")
        known.update({key: (source, target) for key, source, target in rows})
    changed: list[MemoryEntry] = []
    new: list[MemoryEntry] = []
    for key, (source_text, target_text, article) in pairs.items():
        stored = known.get(key)
        if stored is not None and stored[1] == target_text:
            continue
        (new if stored is None else changed).append(
            MemoryEntry(
                source_language=source_language,
                target_language=language,
                source_text=source_text if stored is None else stored[0],
                source_key=key,
                target_text=target_text,
                article_id=article.pk,
                translated_by_id=user.pk if user else None,
            )
        )
    MemoryEntry.objects.bulk_create(new, ignore_conflicts=True, batch_size=BATCH)
    # A changed entry takes the new translation, its story and its person,
    # in one statement for all (Django's bulk_update writes a CASE a row).
    MemoryEntry.objects.bulk_create(
        changed,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["source_language", "target_language", "source_key"],
        update_fields=["target_text", "article", "translated_by"],
    )
    return len(new) + len(changed)


def exact_matches(
    source_language: str, target_language: str, texts: list[str]
) -> dict[str, str]:
    """Return the remembered translation of each of `texts` seen word for word."""
    keys = {fingerprint(text): text for text in texts if text.strip()}
    if not keys:
        return {}
    found = MemoryEntry.objects.filter(
        source_language=source_language,
        target_language=target_language,
        source_key__in=list(keys),
    ).values_list("source_key", "target_text")
    return {keys[key]: target for key, target in found}


def close_matches(source_language: str, target_language: str, text: str) -> list[Match]:
    """Return up to three remembered segments like `text`, most similar first."""
    wanted = normalise(text).strip()
    if not PLACEHOLDER.sub("", wanted).strip():
        return []
    pair = Q(source_language=source_language, target_language=target_language)
    entries = MemoryEntry.objects.filter(pair).exclude(source_key=fingerprint(text))
    if connection.vendor == "postgresql":
        # The trigram index answers "%" (similar above pg_trgm's threshold).
        candidates = entries.extra(  # noqa: S610 - a fixed clause, the text a parameter
            where=["translations_memoryentry.source_text %% %s"], params=[wanted]
        ).only("source_text", "target_text")[:50]
    else:
        size = len(wanted)
        candidates = (
            entries.extra(  # noqa: S610 - fixed SQL, numbers as parameters
                where=["length(source_text) BETWEEN %s AND %s"],
                params=[int(size * 0.6), int(size / 0.6) + 1],
            )
            .order_by("-updated_at")
            .only("source_text", "target_text")[:SQLITE_CANDIDATES]
        )
    matches = []
    for entry in candidates:
        ratio = difflib.SequenceMatcher(
            None, wanted, normalise(entry.source_text).strip(), autojunk=False
        ).ratio()
        if ratio >= CLOSE_ENOUGH:
            matches.append(Match(entry.source_text, entry.target_text, ratio))
    matches.sort(key=lambda match: -match.similarity)
    return matches[:MAX_CLOSE]
