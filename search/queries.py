"""The reader's and the desk's searches: one language's live stories, or any."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from articles.models import Article, Byline
from search.index import postgres
from search.models import SearchDocument
from search.tokens import RANK_WEIGHTS, ParsedQuery


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
    if postgres():
        return _search_postgres(query, language, order, filters, limit, offset)
    return _search_sqlite(query, language, order, filters, limit, offset)


def _filter_sql(filters: Filters) -> tuple[str, list[Any]]:
    # Table names come from the models; every value is a parameter.
    article = Article._meta.db_table
    bylines = Byline._meta.db_table
    tagged = Article.tags.through._meta.db_table
    tagged_story = Article.tags.through._meta.get_field("content_object").column
    clauses: list[str] = []
    params: list[Any] = []
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


def _search_postgres(
    query: ParsedQuery,
    language: str,
    order: str,
    filters: Filters,
    limit: int,
    offset: int,
) -> tuple[list[int], ResultCount]:
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


def _matching_documents(query: ParsedQuery) -> QuerySet[SearchDocument]:
    condition = Q()
    for pattern in query.like_patterns():
        condition &= Q(tokens__like=pattern)
    return SearchDocument.objects.filter(condition)


def _search_sqlite(
    query: ParsedQuery,
    language: str,
    order: str,
    filters: Filters,
    limit: int,
    offset: int,
) -> tuple[list[int], ResultCount]:
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


def admin_matches(query: ParsedQuery) -> QuerySet[SearchDocument, int]:
    """Return the ids of stories matching in any language, for the desk's search."""
    if not postgres():
        return _matching_documents(query).values_list("article_id", flat=True)
    return SearchDocument.objects.filter(vector__matches=query.tsquery()).values_list(
        "article_id", flat=True
    )
