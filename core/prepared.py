"""Build a queryset's SQL once a process and run it again with other values.

A story page's queries are the same every time but for a few values (the
slug, the time, the story's id). Django builds each of them again on every
request: resolving the filters and compiling the SQL was about half of a
story page's time, more than the database took to answer. A function
decorated with `@prepared` builds its queryset with `Param("name", field)`
where those values go; the first call compiles it for the database it reads
from, and every later call runs that SQL with the values it is given, each
turned into the database's form by its field as Django would.

On PostgreSQL the statement is also prepared on the server, once a
connection (PREPARE, then EXECUTE with the values): planning these queries
took the database longer than running them. Only the values given by name
are the statement's parameters; the query's constants stay in its text, so
that a plan may still use the partial indexes they match.
NEWSROOM_PREPARED_STATEMENTS = False (DATABASE_PREPARED_STATEMENTS=false in
the environment) turns that off, for a connection
pooler that does not keep a session's prepared statements (PgBouncer in
transaction mode).

The queryset it returns behaves as any other for reading (iteration, len,
its prefetches and `with_rows()` lists), but cannot be changed: filter it,
slice it or order it and it says so. The function runs once for each of its
positional arguments, which key the compiled SQL: all that may change from
one run to the next (the time above all, in the queryset or in a prefetch's)
must be a Param.
"""

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler

Q = TypeVar("Q", bound=models.QuerySet)


@dataclass(frozen=True)
class _Slot:
    """Where a parameter's value goes in compiled SQL's parameters."""

    name: str
    field: models.Field


class Param(Expression):
    """A value the query is given each time it runs, turned into SQL by `field`."""

    def __init__(self, name: str, field: models.Field) -> None:
        super().__init__(output_field=field)
        self.name = name

    def __repr__(self) -> str:
        return f"Param({self.name!r})"

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        return "%s", [_Slot(self.name, self.output_field)]


class PreparedQueryError(TypeError):
    """A prepared query was changed, or run without one of its values."""


class _BoundQuery(Query):
    """A query whose compiler is the prepared one, with this run's values."""

    _compiled: "_Compiled"
    _values: dict[str, Any]

    def get_compiler(
        self,
        using: str | None = None,
        connection: BaseDatabaseWrapper | None = None,
        elide_empty: bool = True,
    ) -> SQLCompiler:
        return self._compiled.compiler(using, self._values)

    def chain(self, klass: type[Query] | None = None) -> Query:
        raise PreparedQueryError(
            "A prepared query cannot be changed: change the function that builds it."
        )

    clone = chain


class _Compiled:
    """One prepared query compiled for one database."""

    def __init__(self, queryset: models.QuerySet, using: str) -> None:
        self.queryset = queryset
        self.template = queryset.query.get_compiler(using)
        # Compiling sets up what the results are read with (select,
        # klass_info...): kept on the template, copied to every run.
        self.sql, self.params = self.template.as_sql()
        self.slots = {p.name for p in self.params if isinstance(p, _Slot)}
        self.statement: _Statement | None = None
        connection = connections[using]
        if connection.vendor == "postgresql" and getattr(
            settings, "NEWSROOM_PREPARED_STATEMENTS", True
        ):
            self.statement = _Statement(self.sql, self.params, connection)

    def compiler(self, using: str | None, values: dict[str, Any]) -> SQLCompiler:
        connection = connections[using or self.template.using]
        if self.statement is not None:
            sql, params = self.statement.execute(connection, values)
        else:
            sql, params = self.sql, _values(self.params, values, connection)
        compiler = self.template.__class__.__new__(self.template.__class__)
        compiler.__dict__ = self.template.__dict__.copy()
        # The template's connection may be another thread's.
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return compiler

    def bind(self, using: str, values: dict[str, Any]) -> models.QuerySet:
        if missing := self.slots - values.keys():
            raise PreparedQueryError(
                f"No value given for {', '.join(sorted(missing))}."
            )
        template = self.queryset
        query = _BoundQuery.__new__(_BoundQuery)
        query.__dict__ = template.query.__dict__.copy()
        query._compiled = self
        query._values = values
        queryset: Any = template.__class__.__new__(template.__class__)
        queryset.__dict__ = template.__dict__.copy()
        queryset._query = query
        queryset._db = using
        queryset._result_cache = None
        queryset._prefetch_done = False
        return queryset


def _values(
    params: Sequence[Any], values: dict[str, Any], connection: BaseDatabaseWrapper
) -> tuple[Any, ...]:
    """Return `params` with each slot's value, in the database's form."""
    return tuple(
        p.field.get_db_prep_value(values[p.name], connection, prepared=False)
        if isinstance(p, _Slot)
        else p
        for p in params
    )


# A parameter's place in Django's SQL, or a percent sign written twice.
_PLACEHOLDER = re.compile(r"%(s|%)")


class _Statement:
    """A prepared query as a statement PREPAREd on a PostgreSQL server."""

    def __init__(
        self, sql: str, params: Sequence[Any], connection: BaseDatabaseWrapper
    ) -> None:
        self.slots = [p for p in params if isinstance(p, _Slot)]
        given = iter(params)
        numbers = iter(range(1, len(self.slots) + 1))

        def replace(match: re.Match) -> str:
            if match.group(1) == "%":
                return "%"
            param = next(given)
            if isinstance(param, _Slot):
                return f"${next(numbers)}"
            return connection.ops.compose_sql("%s", [param])  # type: ignore[attr-defined]

        text = _PLACEHOLDER.sub(replace, sql)
        digest = hashlib.sha256(text.encode()).hexdigest()[:20]
        self.name = f"newsroom_{digest}"
        types = ", ".join(str(slot.field.db_type(connection)) for slot in self.slots)
        self.prepare = f"PREPARE {self.name}{f' ({types})' if types else ''} AS {text}"
        marks = ", ".join(["%s"] * len(self.slots))
        self.run = (
            f"EXECUTE {self.name}({marks})" if self.slots else f"EXECUTE {self.name}"
        )

    def execute(
        self, connection: BaseDatabaseWrapper, values: dict[str, Any]
    ) -> tuple[str, tuple]:
        """Return the statement's EXECUTE, prepared on `connection` first if need be."""
        connection.ensure_connection()
        session = connection.connection
        known: tuple[Any, set[str]] | None = getattr(
            connection, "newsroom_prepared", None
        )
        # A new session (after a reconnection) has none of the old one's.
        if known is None or known[0] is not session:
            known = (session, set())
            connection.newsroom_prepared = known  # type: ignore[attr-defined]
        if self.name not in known[1]:
            with connection.cursor() as cursor:
                cursor.execute(self.prepare)
            known[1].add(self.name)
        return self.run, _values(self.slots, values, connection)


def prepared(build: Callable[..., Q]) -> Callable[..., Q]:
    """Compile `build`'s queryset once for each of its arguments and database.

    Call the result with `build`'s positional arguments and each `Param`'s
    value by name: it returns the queryset, not yet run.
    """
    built: dict[tuple, models.QuerySet] = {}
    compiled: dict[tuple, _Compiled] = {}

    @wraps(build)
    def run(*args: Any, **values: Any) -> Q:
        queryset = built.get(args)
        if queryset is None:
            queryset = built[args] = build(*args)
        # Asked every time: the router may send this read elsewhere.
        using = queryset.db
        found = compiled.get((args, using))
        if found is None:
            found = compiled[args, using] = _Compiled(queryset, using)
        return found.bind(using, values)  # type: ignore[return-value]

    return run
