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
    source_language = article.source_language
    pairs: dict[str, tuple[str, str]] = {}
    for unit in units:
        source = cut(unit, unit.text(article, source_language))
        target = cut(unit, unit.text(article, language))
        if [s.kind for s in source.segments] != [s.kind for s in target.segments]:
            continue
        for one, other in zip(source.segments, target.segments, strict=True):
            if _worth_keeping(one.text, other.text):
                pairs[fingerprint(one.text)] = (one.text, other.text)
    if not pairs:
        return 0
    entries = MemoryEntry.objects.filter(
        source_language=source_language,
        target_language=language,
        source_key__in=list(pairs),
    )
    known = {entry.source_key: entry for entry in entries}
    changed, new = [], []
    for key, (source_text, target_text) in pairs.items():
        entry = known.get(key)
        if entry is None:
            new.append(
                MemoryEntry(
                    source_language=source_language,
                    target_language=language,
                    source_text=source_text,
                    source_key=key,
                    target_text=target_text,
                    article=article,
                    translated_by=user,
                )
            )
        elif entry.target_text != target_text:
            entry.target_text, entry.article, entry.translated_by = (
                target_text,
                article,
                user,
            )
            changed.append(entry)
    MemoryEntry.objects.bulk_create(new, ignore_conflicts=True)
    MemoryEntry.objects.bulk_update(
        changed, ["target_text", "article", "translated_by", "updated_at"]
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
