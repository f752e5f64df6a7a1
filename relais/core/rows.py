"""The hot path's row access: inserting many new instances (COPY on PostgreSQL) and
loading instances by a WHERE clause without compiling a queryset.

Each API submission costs a few of these; through the ORM, building and compiling each
statement cost more CPU than PostgreSQL spent running it.

`insert_new`: a few rows go in one plain INSERT, several models' INSERTs in one round trip.
A 1,000-row `bulk_create` is one INSERT with ~15,000 placeholders, and psycopg spends ~30 ms
of CPU per such statement just locating them, before PostgreSQL parses it; so more rows are
streamed with COPY, which has no SQL to parse, while PostgreSQL still applies every
constraint, default and trigger. Values are prepared exactly as `save()` prepares them
(`pre_save` then `get_db_prep_save`), so encrypted fields are sealed the same way.

`select_where`: the queryset's own converters applied to a fixed SELECT of the model's
columns, so loaded instances are indistinguishable from the ORM's.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin

SMALL = 8  # rows up to which a plain INSERT beats COPY's extra round trip


def insert_new(*groups: Sequence[models.Model]) -> None:
    """Write each group (new instances of one model, never saved) as new rows, in order.

    The small groups travel together in one round trip; an auto-incremented key is read
    back for them (RETURNING), not for the groups streamed with COPY. Inside `together()`
    the small groups wait for the block's end, to travel with the others.
    """
    groups = tuple(group for group in groups if group)
    if connection.vendor != "postgresql":
        for group in groups:
            type(group[0])._default_manager.bulk_create(group)
        return
    pending = _pending.get()
    batch = _Batch() if pending is None else pending
    for group in groups:
        shape = _shape(type(group[0]))
        # Prepared before any COPY starts: sealing a value may query the key tables, which
        # the connection cannot do while it streams.
        rows = [
            [f.get_db_prep_save(f.pre_save(o, True), connection) for f in shape.fields]
            for o in group
        ]
        if len(rows) > SMALL:
            _copy(shape.table, shape.columns, rows)
            _mark_saved(group)
            continue
        batch.add(shape, group, rows)
    if pending is None:
        batch.send()


@contextlib.contextmanager
def together() -> Iterator[None]:
    """`insert_new` calls inside the block share one round trip, sent when it ends
    (PostgreSQL; elsewhere each call writes at once). Nothing inside may read them back."""
    if _pending.get() is not None or connection.vendor != "postgresql":
        yield
        return
    batch = _Batch()
    token = _pending.set(batch)
    try:
        yield
    finally:
        _pending.reset(token)
    batch.send()


class _Batch:
    """Small INSERTs waiting to be sent in one round trip."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.params: list[Any] = []
        self.groups: list[Sequence[models.Model]] = []
        self.returning: list[Sequence[models.Model]] = []

    def add(self, shape: _Shape, group: Sequence[models.Model], rows: list[list[Any]]) -> None:
        self.statements.append(shape.insert(len(rows)))
        self.params += [value for row in rows for value in row]
        self.groups.append(group)
        if shape.returns_pk:
            self.returning.append(group)

    def send(self) -> None:
        if self.statements:
            _execute_together(self.statements, self.params, self.returning)
        for group in self.groups:
            _mark_saved(group)


_pending: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar(
    "relais_rows_pending", default=None
)


def _mark_saved(group: Sequence[models.Model]) -> None:
    for obj in group:
        obj._state.adding = False
        obj._state.db = connection.alias


def _execute_together(
    statements: list[str], params: list[Any], returning: list[Sequence[models.Model]]
) -> None:
    """One round trip for several INSERTs (client-side binding allows it on PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("; ".join(statements), params)
        raw = cursor.cursor
        pending = list(returning)
        while True:
            if raw.description is not None and pending:
                for obj, (pk,) in zip(pending.pop(0), raw.fetchall(), strict=True):
                    obj.pk = pk
            if not raw.nextset():
                break


class _Shape:
    """A model's insert: its fields, quoted names and statement text, computed once."""

    def __init__(self, model: type[models.Model]) -> None:
        quote = connection.ops.quote_name
        self.fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
        self.columns = ", ".join(quote(str(f.column)) for f in self.fields)
        self.table = quote(model._meta.db_table)
        pk = model._meta.pk
        self.returns_pk = isinstance(pk, AutoFieldMixin)
        self.suffix = (
            f" RETURNING {quote(str(pk.column))}" if pk is not None and self.returns_pk else ""
        )
        self.row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"

    def insert(self, count: int) -> str:
        values = ", ".join([self.row] * count)
        return f"INSERT INTO {self.table} ({self.columns}) VALUES {values}{self.suffix}"  # noqa: S608


_shapes: dict[type[models.Model], _Shape] = {}


def _shape(model: type[models.Model]) -> _Shape:
    if model not in _shapes:
        _shapes[model] = _Shape(model)
    return _shapes[model]


def _copy(table: str, columns: str, rows: list[list[Any]]) -> None:
    with (
        connection.wrap_database_errors,  # a unique violation is Django's IntegrityError
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN"  # names from the model, not from input
        ) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def select_where[M: models.Model](model: type[M], where: str, params: Sequence[Any]) -> list[M]:
    """Instances of `model` whose row matches `where` (SQL over its own columns, with %s
    placeholders), loaded as a queryset loads them — the same field converters, so sealed
    values stay sealed until read — without building and compiling a query each time.
    For the few lookups every submission makes; anything else uses the ORM."""
    columns, names, converters = _loader(model)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE {where}", params)  # noqa: S608
        rows = cursor.fetchall()
    loaded = []
    for row in rows:
        values = list(row)
        for index, expression, convert in converters:
            values[index] = convert(values[index], expression, connection)
        loaded.append(model.from_db(connection.alias, names, values))
    return loaded


def placeholders(values: Sequence[object]) -> str:
    """`%s, %s, …` for an IN list of `values` (at least one)."""
    return ", ".join(["%s"] * len(values)) if values else "NULL"


_loaders: dict[tuple[type[models.Model], str], tuple[str, list[str], list[Any]]] = {}


def _loader(model: type[models.Model]) -> tuple[str, list[str], list[Any]]:
    key = (model, connection.vendor)
    if key not in _loaders:
        fields = list(model._meta.concrete_fields)
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        converters = []
        for index, field in enumerate(fields):
            expression = field.get_col(model._meta.db_table)
            for convert in connection.ops.get_db_converters(expression) + field.get_db_converters(
                connection
            ):
                converters.append((index, expression, convert))
        _loaders[key] = (columns, [f.attname for f in fields], converters)
    return _loaders[key]
