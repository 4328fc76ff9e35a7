"""Read several lists of rows that belong to the same objects in one query.

Django's prefetch_related() asks one query for each list (a story's sources,
its corrections, its tags...), and builds each query through the ORM: about
a millisecond of Python apiece before the database sees it. `prefetch_rows()`
asks them all at once, each row as a JSON object named by its model's
columns, with SQL written from the models' metadata once per process, and
leaves what prefetch_related() would have left: `owner.sources.all()` reads
the rows without a query, and `owner.sources.filter(...)` still asks the
database. A QuerySet built on `RowsQuerySet` asks for them with
`.with_rows(*parts)`, as it would with prefetch_related().
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from itertools import islice
from typing import Any, Self

from django.conf import settings
from django.db import connections, models
from django.db.models import prefetch_related_objects
from django.db.models.query import ModelIterable

# PostgreSQL's functions take 100 arguments at most: a key and a value a column.
MAX_COLUMNS = 50
# Owners read in one query (prefetch_rows()), and in one chunk by iterator().
BATCH = 1000


@dataclass(frozen=True)
class Part:
    """One list of rows an owner has, read into the owner's prefetch cache.

    `name` is the owner's accessor for the list ("sources", "tags"). The rows
    are `model`'s, found by its foreign key `owner_field` to the owner, or
    through the model `through` whose foreign keys `owner_field` and
    `target_field` lead to the owner and to the row. `joined` names a foreign
    key of the row read with it (as select_related() would). Rows come in
    `order_by` (field names of the row, "-" for descending; the model's
    ordering by default), or through rows in the order they were made.
    """

    name: str
    model: type[models.Model]
    owner_field: str
    through: type[models.Model] | None = None
    target_field: str = ""
    joined: str = ""
    order_by: tuple[str, ...] = ()


def prefetch_rows(owners: Sequence[models.Model], parts: Sequence[Part]) -> None:
    """Fill each owner's prefetch cache with its rows of every part, in one query.

    One query for each BATCH owners: a query's parameters are each owner's
    id once a part, and SQLite takes 32 766 at most.
    """
    if not owners:
        return
    using = owners[0]._state.db or "default"
    if connections[using].vendor not in _JSON_OBJECT:
        prefetch_related_objects(list(owners), *(part.name for part in parts))
        return
    for start in range(0, len(owners), BATCH):
        _prefetch_batch(owners[start : start + BATCH], parts, using)


def _prefetch_batch(
    owners: Sequence[models.Model], parts: Sequence[Part], using: str
) -> None:
    connection = connections[using]
    sql = _sql(tuple(parts), using, len(owners))
    ids = [owner.pk for owner in owners]
    with connection.cursor() as cursor:
        cursor.execute(sql, ids * len(parts))
        found = cursor.fetchall()
    # Each part's foreign keys, looked up once, not once a row.
    joins = [
        part.model._meta.get_field(part.joined) if part.joined else None
        for part in parts
    ]
    backs = [
        part.model._meta.get_field(part.owner_field) if part.through is None else None
        for part in parts
    ]
    lists: dict[tuple[int, Any], list[models.Model]] = {}
    for index, owner_id, _rank, row, joined in found:
        instance = _instance(parts[index].model, row, using)
        if (field := joins[index]) is not None:
            related = (
                _instance(field.related_model, joined, using)
                if joined is not None
                else None
            )
            field.set_cached_value(instance, related)
        lists.setdefault((index, owner_id), []).append(instance)
    for owner in owners:
        for index, part in enumerate(parts):
            rows = lists.get((index, owner.pk), [])
            if (back := backs[index]) is not None:
                for row in rows:
                    back.set_cached_value(row, owner)  # type: ignore[union-attr]
            keep_prefetched(owner, part.name, rows)


def keep_prefetched(
    owner: models.Model, name: str, rows: Sequence[models.Model]
) -> None:
    """Keep `rows` as `owner`'s list `name`, as prefetch_related() would have.

    That is the manager's own queryset, already evaluated: `owner.name.all()`
    reads them without a query.
    """
    queryset = getattr(owner, name).get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    cache = owner.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = queryset


class RowsQuerySet(models.QuerySet):
    """A QuerySet whose results can bring their lists of rows (`with_rows()`)."""

    _row_parts: tuple[Part, ...] = ()

    def with_rows(self, *parts: Part) -> Self:
        """Read these lists of each result's rows in one query, once it is fetched."""
        names = {part.name for part in parts}
        clone = self._chain()  # type: ignore[attr-defined]
        clone._row_parts = (
            *(part for part in self._row_parts if part.name not in names),
            *parts,
        )
        return clone

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._row_parts = self._row_parts
        return clone

    def _iterator(self, use_chunked_fetch: bool, chunk_size: int | None) -> Iterator:
        """Read the lists of each chunk of results, as prefetch_related() does."""
        results = super()._iterator(use_chunked_fetch, chunk_size)  # type: ignore[misc]
        if not self._row_parts or not issubclass(self._iterable_class, ModelIterable):
            yield from results
            return
        while chunk := list(islice(results, chunk_size or BATCH)):
            prefetch_rows(chunk, self._row_parts)
            yield from chunk

    def _fetch_all(self) -> None:
        fetching = self._result_cache is None
        super()._fetch_all()
        if (
            fetching
            and self._row_parts
            and issubclass(self._iterable_class, ModelIterable)
        ):
            prefetch_rows(self._result_cache, self._row_parts)  # type: ignore[arg-type]


_JSON_OBJECT = {"postgresql": "json_build_object", "sqlite": "json_object"}


def _column(model: type[models.Model], name: str) -> str:
    """Return the column of `model`'s field `name` ("pk" for its key)."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    return str(field.column)  # type: ignore[union-attr]


@lru_cache(maxsize=64)
def _sql(parts: tuple[Part, ...], using: str, owners: int) -> str:
    """Return the query of `parts`' rows for `owners` owners.

    Its parameters are the owners' ids, once for each part. Table and column
    names come from the models, quoted; values are only ever parameters.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    function = _JSON_OBJECT[connection.vendor]
    marks = ", ".join(["%s"] * owners)

    def json_object(model: type[models.Model], alias: str) -> str:
        fields = model._meta.concrete_fields
        if len(fields) > MAX_COLUMNS:
            raise ValueError(f"{model.__name__} has too many columns to read as JSON.")
        pairs = ", ".join(f"'{f.attname}', {alias}.{quote(f.column)}" for f in fields)
        return f"{function}({pairs})"

    def ordering(model: type[models.Model], alias: str, names: Iterable[str]) -> str:
        return ", ".join(
            f"{alias}.{quote(_column(model, name.lstrip('-')))}"
            + (" DESC" if name.startswith("-") else "")
            for name in names
        )

    selects = []
    for index, part in enumerate(parts):
        model, table = part.model, quote(part.model._meta.db_table)
        joined, join = "NULL", ""
        if part.joined:
            other: type[models.Model] = model._meta.get_field(part.joined).related_model  # type: ignore[assignment]
            joined = json_object(other, "j")
            join = (
                f" LEFT JOIN {quote(other._meta.db_table)} j"
                f" ON j.{quote(_column(other, 'pk'))}"
                f" = r.{quote(_column(model, part.joined))}"
            )
        if part.through is None:
            owner = f"r.{quote(_column(model, part.owner_field))}"
            order = ordering(
                model, "r", part.order_by or model._meta.ordering or ["pk"]
            )
            source = f"{table} r{join}"
        else:
            through = part.through
            owner = f"t.{quote(_column(through, part.owner_field))}"
            order = f"t.{quote(_column(through, 'pk'))}"
            source = (
                f"{quote(through._meta.db_table)} t JOIN {table} r"
                f" ON r.{quote(_column(model, 'pk'))}"
                f" = t.{quote(_column(through, part.target_field))}{join}"
            )
        selects.append(
            f"SELECT {index} AS part_index, {owner} AS owner_id,"  # noqa: S608
            f" ROW_NUMBER() OVER (PARTITION BY {owner} ORDER BY {order}) AS place,"
            f" {json_object(model, 'r')} AS row_object, {joined} AS joined_object"
            f" FROM {source} WHERE {owner} IN ({marks})"
        )
    return " UNION ALL ".join(selects) + " ORDER BY 1, 2, 3"


def _instance(model: type[models.Model], row: Any, using: str) -> models.Model:
    if isinstance(row, str):
        row = json.loads(row)
    fields = model._meta.concrete_fields
    return model.from_db(
        using,
        [field.attname for field in fields],
        [_value(field, row[field.attname]) for field in fields],
    )


def _value(field: models.Field, value: Any) -> Any:
    """Return a column's JSON value as the field gives it from the database."""
    if value is None:
        return None
    value = field.to_python(value)
    if (
        isinstance(value, datetime)
        and value.tzinfo is None
        and isinstance(field, models.DateTimeField)
        and settings.USE_TZ
    ):
        # SQLite keeps UTC times without their offset.
        value = value.replace(tzinfo=UTC)
    return value
