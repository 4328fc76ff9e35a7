"""Search for Korean, Japanese and English stories, on PostgreSQL and SQLite.

PostgreSQL here has no Korean or Japanese word splitter, so words are made in
Python: runs of Hangul, kana and kanji become overlapping two-character
tokens (a one-character run stays one token), other text becomes NFKC,
case-folded words. A query is cut the same way and matches when all its
tokens are there, each run's tokens next to each other (a phrase). On
PostgreSQL the tokens of each story and language are a `tsvector` (the
`simple` configuration never touches them) behind one GIN index per
language; on SQLite (the demo) they are a line of text searched with LIKE.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article, Byline, SearchDocument
from core.languages import LANGUAGE_CODES

CJK = (
    "\u1100-\u11ff"  # Hangul jamo
    "\u3005\u3007"  # 々 〇
    "\u3040-\u30ff"  # hiragana, katakana (ー included)
    "\u3130-\u318f"  # Hangul compatibility jamo
    "\u31f0-\u31ff"  # katakana extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7a3"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
)
RUNS = re.compile(rf"([{CJK}]+)|([^\W_{CJK}]+)")
# Longer words are left out of documents and queries alike.
MAX_WORD = 60
# A query longer than this is refused with a message, not searched.
MAX_QUERY_LENGTH = 200
# Positions in a tsvector stop at 16383; later tokens share the last one.
MAX_POSITION = 16383
# Space left between fields and runs, so a phrase never spans two of them.
FIELD_GAP = 8
RUN_GAP = 1
WEIGHTS = {"headline": "A", "dek": "B", "key_points": "B", "names": "B", "body": "C"}
# Ranked search scores a word in a headline above one in a body.
RANK_WEIGHTS = "{0.1, 0.3, 0.6, 1.0}"  # D, C, B, A


def normalise(text: str) -> str:
    """Return `text` as searched: NFKC (full-width Latin, half-width kana), folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def pairs(run: str) -> list[str]:
    """Return a CJK run's overlapping two-character tokens (itself if one long)."""
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def chunks(text: str) -> list[list[tuple[str, bool]]]:
    """Cut `text` into chunks: what stands between spaces and punctuation.

    A chunk is a list of (piece, is_cjk): "7월에" is [("7", False),
    ("월에", True)]. A "word" longer than MAX_WORD characters (a pasted hash,
    a URL's tail) is no word anyone searches for: it is left out.
    """
    found: list[list[tuple[str, bool]]] = []
    last_end = None
    for match in RUNS.finditer(normalise(text)):
        cjk, word = match.groups()
        if word and len(word) > MAX_WORD:
            last_end = None
            continue
        if match.start() != last_end or not found:
            found.append([])
        found[-1].append((cjk or word, bool(cjk)))
        last_end = match.end()
    return found


def document_tokens(text: str):
    """Yield (token, offset) for a text's pairs and words.

    Each CJK run's last character comes too, at its last pair's offset, so a
    one-character query finds it. Offsets run on within a chunk and leave a
    gap between chunks: a phrase matches only text written together.
    """
    offset = 0
    for chunk in chunks(text):
        for piece, is_cjk in chunk:
            for token in pairs(piece) if is_cjk else [piece]:
                yield token, offset
                offset += 1
            if is_cjk and len(piece) > 1:
                yield piece[-1], offset - 1
        offset += RUN_GAP


@dataclass(frozen=True)
class ParsedQuery:
    """What a reader typed, cut into groups (phrases) that must all match.

    A group is a tuple of (token, is_prefix): a one-character CJK piece
    matches any token that starts with it.
    """

    text: str
    groups: tuple[tuple[tuple[str, bool], ...], ...]
    terms: tuple[str, ...]  # what to highlight

    def __bool__(self) -> bool:
        return bool(self.groups)

    def tsquery(self) -> str:
        """Return the query as a tsquery literal: groups ANDed, each a phrase."""
        return " & ".join(
            "("
            + " <-> ".join(
                _quote(token) + (":*" if prefix else "") for token, prefix in group
            )
            + ")"
            for group in self.groups
        )

    def like_patterns(self) -> list[str]:
        """Return one LIKE pattern per group, for SQLite's token lines."""
        return [
            "% "
            + " ".join(token + ("%" if prefix else "") for token, prefix in group)
            + ("" if group[-1][1] else " ")
            + "%"
            for group in self.groups
        ]


# Korean particles a query word may end with ("서울에서", "북한의"): the
# stories say "서울" in many forms, so the query looks for the stem.
# Stacked ones first: "서울에서는" looks for "서울", not "서울에서".
PARTICLE_LIST = (
    "에서는 에서도 에서의 에게는 으로는 으로도 까지는 부터는 과의 와의 "
    "에서 에게 까지 부터 으로 에는 에도 보다 처럼 "
    "의 에 은 는 을 를 이 가 와 과 도 로 만"
)
PARTICLES = sorted(PARTICLE_LIST.split(), key=len, reverse=True)
HANGUL = re.compile("^[\uac00-\ud7a3]+$")


def _stem(run: str) -> str:
    if HANGUL.match(run):
        for particle in PARTICLES:
            if run.endswith(particle) and len(run) - len(particle) >= 2:
                return run[: -len(particle)]
    return run


def parse_query(text: str) -> ParsedQuery:
    """Cut a query like a document. Operators, quotes and symbols are just text."""
    text = "".join(
        " " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text
    ).strip()
    groups, terms = [], []
    for chunk in chunks(text):
        last, is_cjk = chunk[-1]
        if is_cjk:
            chunk = [*chunk[:-1], (_stem(last), True)]
        group: list[tuple[str, bool]] = []
        for piece, piece_is_cjk in chunk:
            if not piece_is_cjk:
                group.append((piece, False))
            elif len(piece) == 1:
                group.append((piece, True))
            else:
                group.extend((token, False) for token in pairs(piece))
        groups.append(tuple(group))
        terms.append("".join(piece for piece, _cjk in chunk))
    return ParsedQuery(
        text=text,
        groups=tuple(dict.fromkeys(groups)),
        terms=tuple(dict.fromkeys(terms)),
    )


def _quote(token: str) -> str:
    # Tokens are letters and digits only; quoting keeps tsquery syntax out.
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


# --- documents ---------------------------------------------------------------


BLOCK_TAGS = re.compile(
    r"<(?:/?(?:p|h[1-6]|li|ul|ol|blockquote|div|table|tr|td|th|figure|figcaption)"
    r"|br|hr)\b",
    re.IGNORECASE,
)


def plain_text(html: str) -> str:
    """Return the text of `html`; blocks stay apart ("</h2><p>" is a space)."""
    return strip_tags(BLOCK_TAGS.sub(lambda match: " " + match.group(0), html))


def story_fields(article: Article, language: str) -> dict[str, str]:
    """Return the text indexed for `article` in `language`: its own fields only."""
    get = lambda name: getattr(article, f"{name}_{language}") or ""  # noqa: E731
    names = [
        *(tag.name_in(language) for tag in article.tags.all()),
        *(
            getattr(byline.author, f"name_{language}") or ""
            for byline in article.bylines.all()
        ),
    ]
    return {
        "headline": get("headline"),
        "dek": get("dek"),
        "key_points": get("key_points"),
        "names": "\n".join(name for name in names if name),
        "body": plain_text(get("body")),
    }


def tsvector_literal(fields: dict[str, str]) -> str:
    """Return the fields' tokens as a tsvector literal with positions and weights."""
    positions: dict[str, list[str]] = {}
    position = 1
    for name, text in fields.items():
        weight = WEIGHTS[name]
        last = 0
        for token, offset in document_tokens(text):
            place = min(position + offset, MAX_POSITION)
            positions.setdefault(token, []).append(f"{place}{weight}")
            last = offset
        position += last + FIELD_GAP
    return " ".join(
        f"{_quote(token)}:{','.join(places[:256])}"
        for token, places in positions.items()
    )


def token_line(fields: dict[str, str]) -> str:
    """Return the fields' tokens as one line of text (SQLite).

    Phrases stand as ' a b ', chunks apart by ' / ', fields by ' | '. Each
    field's run-ending characters follow it, after its phrases, so they never
    come between the tokens of one.
    """
    parts = []
    for text in fields.values():
        ends, previous = [], None
        for token, offset in document_tokens(text):
            if offset == previous:
                ends.append(token)
                continue
            if previous is not None and offset > previous + 1:
                parts.append("/")
            parts.append(token)
            previous = offset
        parts.extend(["/", *ends, "|"])
    return " " + " ".join(parts) + " "


def search_index_stories(article_ids) -> int:
    """Rebuild the search documents of these stories; return how many were written."""
    articles = list(
        Article.objects.filter(pk__in=list(article_ids))
        .prefetch_related("tags", "bylines__author")
        .with_withheld_languages()
    )
    documents = []
    for article in articles:
        for language in LANGUAGE_CODES:
            fields = story_fields(article, language)
            if not (fields["headline"] or fields["body"]):
                continue
            documents.append(
                SearchDocument(
                    article=article,
                    language=language,
                    # Derived from the one rule of visibility, time aside:
                    # queries compare published_at with the time they run.
                    is_listed=article.is_listed_in(language),
                    published_at=article.published_at,
                    vector=tsvector_literal(fields) if _postgres() else "",
                    tokens="" if _postgres() else token_line(fields),
                )
            )
    with transaction.atomic():
        SearchDocument.objects.filter(article__in=articles).delete()
        SearchDocument.objects.bulk_create(documents)
    return len(documents)


class _PendingIndex:
    """The stories a transaction changed, indexed once it commits."""

    def __init__(self) -> None:
        self.ids: set[int] = set()

    def __call__(self) -> None:
        if getattr(connection, "_search_pending", None) is self:
            connection._search_pending = None
        search_index_stories(self.ids)


def schedule_index(article_id: int) -> None:
    """Index a story once the current transaction commits (once per story)."""
    pending = getattr(connection, "_search_pending", None)
    # A rolled-back transaction drops its callbacks: start afresh then.
    if (
        pending is not None
        and connection.in_atomic_block
        and any(entry[1] is pending for entry in connection.run_on_commit)
    ):
        pending.ids.add(article_id)
        return
    pending = _PendingIndex()
    pending.ids.add(article_id)
    connection._search_pending = pending
    transaction.on_commit(pending)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


# --- queries -----------------------------------------------------------------


@dataclass
class Filters:
    section: int | None = None
    tag: int | None = None
    author: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def search_live(
    query: ParsedQuery,
    *,
    language: str,
    order: str = "relevance",
    filters: Filters | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[int], "ResultCount"]:
    """Return the ids of one page of live matching stories, and how many match."""
    filters = filters or Filters()
    if not query:
        return [], ResultCount(0)
    if _postgres():
        return _search_postgres(query, language, order, filters, limit, offset)
    return _search_sqlite(query, language, order, filters, limit, offset)


def _filter_sql(filters: Filters) -> tuple[str, list]:
    # Table names come from the models; every value is a parameter.
    article = Article._meta.db_table
    bylines = Byline._meta.db_table
    tagged = Article.tags.through._meta.db_table
    tagged_story = Article.tags.through._meta.get_field("content_object").column
    clauses, params = [], []
    if filters.section:
        clauses.append(
            f"EXISTS (SELECT 1 FROM {article} a WHERE a.id = d.article_id "  # noqa: S608
            "AND a.category_id = %s)"
        )
        params.append(filters.section)
    if filters.tag:
        clauses.append(
            f"EXISTS (SELECT 1 FROM {tagged} t WHERE t.{tagged_story} = d.article_id "  # noqa: S608
            "AND t.tag_id = %s)"
        )
        params.append(filters.tag)
    if filters.author:
        clauses.append(
            f"EXISTS (SELECT 1 FROM {bylines} b WHERE b.article_id = d.article_id "  # noqa: S608
            "AND b.author_id = %s)"
        )
        params.append(filters.author)
    if filters.since:
        clauses.append("d.published_at >= %s")
        params.append(filters.since)
    if filters.until:
        clauses.append("d.published_at < %s")
        params.append(filters.until)
    return "".join(f" AND {clause}" for clause in clauses), params


class ResultCount(int):
    """How many stories match; `exact` is False for "more than this many"."""

    exact = True


def _at_least(count: int) -> ResultCount:
    result = ResultCount(count)
    result.exact = False
    return result


# Up to this many matches, every one is collected, counted and ranked. A term
# that matches more (a word in most stories) is looked for among the newest
# WINDOW stories instead: the page of newest matches is exact, relevance
# ranks those stories, and the count says "more than EXACT_LIMIT".
EXACT_LIMIT = 1000
WINDOW = 3000


def _search_postgres(query, language, order, filters, limit, offset):
    documents = SearchDocument._meta.db_table
    extra, extra_params = _filter_sql(filters)
    # Which stories of this edition a reader may see, whatever the query.
    visible = f"""
        d.language = %s AND d.is_listed AND d.published_at <= %s{extra}
    """  # noqa: S608 - table names come from the models; values are parameters
    visible_params = [language, timezone.now(), *extra_params]
    tsquery = query.tsquery()
    ordering = (
        "rank DESC, published_at DESC, article_id DESC"
        if order == "relevance"
        else "published_at DESC, article_id DESC"
    )
    with connection.cursor() as cursor:
        # Counting stops at EXACT_LIMIT + 1: a frequent word costs no more.
        cursor.execute(
            f"""SELECT count(*) FROM (
                SELECT 1 FROM {documents} d
                WHERE d.vector @@ CAST(%s AS tsquery) AND {visible}
                LIMIT %s) AS found""",  # noqa: S608
            [tsquery, *visible_params, EXACT_LIMIT + 1],
        )
        (count,) = cursor.fetchone()
        if count == 0 or offset >= count:
            return [], ResultCount(count)
        if count <= EXACT_LIMIT:
            # MATERIALIZED: the planner must not walk the newest-first index
            # hoping to meet rare matches early; the GIN index finds them all.
            sql = f"""
                WITH matches AS MATERIALIZED (
                    SELECT d.article_id, d.published_at,
                           ts_rank(CAST(%s AS float4[]), d.vector, q.query) AS rank
                    FROM {documents} d, CAST(%s AS tsquery) AS q(query)
                    WHERE d.vector @@ q.query AND {visible}
                )
                SELECT article_id FROM matches
                ORDER BY {ordering} LIMIT %s OFFSET %s
            """  # noqa: S608
            total = ResultCount(count)
        else:
            sql = f"""
                WITH recent AS MATERIALIZED (
                    SELECT d.article_id, d.published_at, d.vector
                    FROM {documents} d
                    WHERE {visible}
                    ORDER BY d.published_at DESC, d.article_id DESC
                    LIMIT {WINDOW}
                ), matches AS (
                    SELECT r.article_id, r.published_at,
                           ts_rank(CAST(%s AS float4[]), r.vector, q.query) AS rank
                    FROM recent r, CAST(%s AS tsquery) AS q(query)
                    WHERE r.vector @@ q.query
                )
                SELECT article_id FROM matches
                ORDER BY {ordering} LIMIT %s OFFSET %s
            """  # noqa: S608
            total = _at_least(EXACT_LIMIT)
        params = (
            [RANK_WEIGHTS, tsquery, *visible_params, limit, offset]
            if count <= EXACT_LIMIT
            else [*visible_params, RANK_WEIGHTS, tsquery, limit, offset]
        )
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()], total


def _matching_documents(query: ParsedQuery):
    condition = Q()
    for pattern in query.like_patterns():
        condition &= Q(tokens__like=pattern)
    return SearchDocument.objects.filter(condition)


def _search_sqlite(query, language, order, filters, limit, offset):
    documents = _matching_documents(query).filter(
        language=language, is_listed=True, published_at__lte=timezone.now()
    )
    if filters.section:
        documents = documents.filter(article__category=filters.section)
    if filters.tag:
        documents = documents.filter(article__tagged_items__tag=filters.tag)
    if filters.author:
        documents = documents.filter(article__bylines__author=filters.author)
    if filters.since:
        documents = documents.filter(published_at__gte=filters.since)
    if filters.until:
        documents = documents.filter(published_at__lt=filters.until)
    rows = list(documents.values_list("article_id", "published_at", "tokens"))
    if order == "relevance":
        rows.sort(
            key=lambda row: (_line_score(row[2], query), row[1], row[0]), reverse=True
        )
    else:
        rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
    return [row[0] for row in rows[offset : offset + limit]], ResultCount(len(rows))


def _line_score(line: str, query: ParsedQuery) -> float:
    """Score a token line like ts_rank's weights: headline first, body last."""
    fields = line.split(" | ")
    weights = [1.0, 0.6, 0.6, 0.6, 0.3]
    score = 0.0
    for field, weight in zip(fields, weights, strict=False):
        for group in query.groups:
            score += weight * field.count(" " + group[0][0])
    return score


def admin_matches(query: ParsedQuery):
    """Return the ids of stories matching in any language, for the desk's search."""
    if not _postgres():
        return _matching_documents(query).values("article_id")
    return SearchDocument.objects.filter(vector__matches=query.tsquery()).values(
        "article_id"
    )


# --- keeping the index in step (connected in ArticlesConfig.ready) ---------


def on_story_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        schedule_index(instance.pk)


def on_story_part_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        schedule_index(instance.article_id)


def on_tags_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        schedule_index(instance.pk)
    else:
        for article_id in pk_set or ():
            schedule_index(article_id)


def on_name_changed(sender, instance, raw=False, created=False, **kwargs) -> None:
    """Reindex the stories that show a tag's or an author's renamed name."""
    if raw or created:
        return
    if isinstance(instance, Article.tags.through.tag.field.related_model):
        ids = Article.objects.filter(tagged_items__tag=instance).values_list(
            "pk", flat=True
        )
    else:
        ids = Article.objects.filter(bylines__author=instance).values_list(
            "pk", flat=True
        )
    for article_id in ids:
        schedule_index(article_id)
