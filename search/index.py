"""Keep each story's search documents in step with the story."""

from collections.abc import Iterable

from asgiref.local import Local
from django.db import connection, transaction

from articles.models import Article
from core.languages import LANGUAGE_CODES
from search.models import SearchDocument
from search.tokens import plain_text, token_line, tsvector_literal


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


def search_index_stories(article_ids: Iterable[int]) -> int:
    """Rebuild the search documents of these stories; return how many were written."""
    articles = list(
        # The plugin cannot see that taggit's "tags" may be prefetched.
        Article.objects.filter(pk__in=list(article_ids)).prefetch_related(
            "tags", "bylines__author"
        )  # type: ignore[misc]
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
                    vector=tsvector_literal(fields) if postgres() else "",
                    tokens="" if postgres() else token_line(fields),
                )
            )
    with transaction.atomic():
        SearchDocument.objects.filter(article__in=articles).delete()
        SearchDocument.objects.bulk_create(documents)
    return len(documents)


# Stories saved in this thread since the last index run. Every save asks for a
# run on commit; the first run indexes them all and the rest find nothing to
# do. Stories of a rolled-back transaction stay here and are indexed by the
# next run: indexing reads the database, so that only costs a little work.
_pending = Local()


def _index_pending() -> None:
    ids: set[int] = getattr(_pending, "ids", set())
    _pending.ids = set()
    if ids:
        search_index_stories(ids)


def schedule_index(article_id: int) -> None:
    """Index a story once the current transaction commits (once per transaction)."""
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(article_id)
    transaction.on_commit(_index_pending)


def postgres() -> bool:
    return connection.vendor == "postgresql"
