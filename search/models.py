"""The search document: one story's words in one language, and how they are found."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TokenVectorField(models.TextField):
    """A `tsvector` on PostgreSQL, plain text elsewhere (where it stays empty)."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value, compiler, connection):
        return "CAST(%s AS tsvector)" if connection.vendor == "postgresql" else "%s"


class OperatorLookup(models.Lookup):
    """A lookup written as an SQL `template` of the field and the value."""

    template = ""

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return self.template.format(lhs=lhs, rhs=rhs), [*lhs_params, *rhs_params]


@TokenVectorField.register_lookup
class TokensMatch(OperatorLookup):
    """`vector__matches=<tsquery literal>`: the document holds the query's tokens."""

    lookup_name = "matches"
    template = "{lhs} @@ CAST({rhs} AS tsquery)"


class TokenLineField(models.TextField):
    """Tokens as one line of text: SQLite's search documents."""


@TokenLineField.register_lookup
class TokenLineLike(OperatorLookup):
    """`tokens__like=<pattern>`: SQL LIKE with the pattern as given (% wildcards).

    Tokens hold lower-case letters and digits only: no `_` and no case.
    """

    lookup_name = "like"
    template = "{lhs} LIKE {rhs}"


class SearchDocument(models.Model):
    """One story's searchable words in one language (see search/index.py).

    Rebuilt from the story after every save; never edited by hand.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="search_documents"
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    # What the reader's search reads without touching the story row: whether
    # this language is published (status and text) and since when.
    is_listed = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # PostgreSQL: the tokens with positions and weights, behind a GIN index
    # per language (created by migration 0013, on PostgreSQL only).
    vector = TokenVectorField(blank=True, default="")
    # SQLite: the tokens as one line of text, ' a b | c d '.
    tokens = TokenLineField(blank=True, default="")

    class Meta:
        # Made by articles' migrations, before this app had its own.
        db_table = "articles_searchdocument"
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            # A word in most stories is looked for among the newest ones.
            models.Index(
                fields=["language", "-published_at", "-article"],
                condition=Q(is_listed=True),
                name="search_document_newest",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="search_document_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.language}"
