"""Lookups our querysets need that Django does not ship."""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Lookup, TextField
from django.db.models.sql.compiler import SQLCompiler


class NotEqual(Lookup[str]):
    """`field__ne=value`: the column differs from the value, NULL not included.

    `~Q(field=value)` on a nullable column lets NULL through, and `__gt=""`
    for "has text" makes PostgreSQL estimate the clause from the column's
    histogram: for a body column, a sort key of every long text it keeps,
    worked out each time it plans a query. `<> ''` reads the column's most
    common values instead, about a tenth of a millisecond less a column.
    """

    lookup_name = "ne"

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} <> {rhs}", (*lhs_params, *rhs_params)


def register() -> None:
    for field in (CharField, TextField):
        field.register_lookup(NotEqual)
