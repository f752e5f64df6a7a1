"""The hot path's row access: inserting many new instances (COPY on PostgreSQL) and
loading instances by a WHERE clause without compiling a queryset.

Each API submission costs a few of these; through the ORM, building and compiling each
statement cost more CPU than PostgreSQL spent running it.

`insert_new`: a few rows go in one plain INSERT, several models' INSERTs in one statement
(data-modifying CTEs, bound server-side with `$n` placeholders and prepared once it repeats).
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
import functools
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
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
        self.inserts: list[tuple[_Shape, int, Sequence[models.Model]]] = []
        self.params: list[Any] = []

    def add(self, shape: _Shape, group: Sequence[models.Model], rows: list[list[Any]]) -> None:
        self.inserts.append((shape, len(rows), group))
        self.params += [value for row in rows for value in row]

    def send(self) -> None:
        if self.inserts:
            _execute_together(self.inserts, self.params)
        for _, _, group in self.inserts:
            _mark_saved(group)


_pending: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar(
    "relais_rows_pending", default=None
)


def _mark_saved(group: Sequence[models.Model]) -> None:
    for obj in group:
        obj._state.adding = False
        obj._state.db = connection.alias


def _execute_together(
    inserts: list[tuple[_Shape, int, Sequence[models.Model]]], params: list[Any]
) -> None:
    """Several INSERTs as one statement (data-modifying CTEs), bound server-side with
    PostgreSQL's own `$n` placeholders, prepared once it repeats: psycopg neither quotes the
    values nor searches the text for placeholders, and PostgreSQL plans it once per
    connection. A submission's ~60 values made that work cost more CPU than PostgreSQL
    spent inserting the rows."""
    text = _statement(tuple((shape, count) for shape, count, _ in inserts))
    returning = [group for shape, _, group in inserts if shape.returns_pk]
    started = time.monotonic()
    with connection.cursor() as wrapper:  # connected, and not in a broken transaction
        cursor = _raw_cursor(wrapper.cursor.connection)
        with connection.wrap_database_errors:  # a unique violation is Django's IntegrityError
            cursor.execute(text, params)
            keys = cursor.fetchall() if returning else []
    by_group: list[list[Any]] = [[] for _ in returning]
    for index, pk in keys:
        by_group[index].append(pk)
    for group, pks in zip(returning, by_group, strict=True):
        for obj, pk in zip(group, pks, strict=True):
            obj.pk = pk
    _log(text, started)


@functools.lru_cache(maxsize=256)
def _statement(inserts: tuple[tuple[_Shape, int], ...]) -> str:
    """The one statement writing `inserts` ((shape, row count) each, values numbered in
    order); it returns (insert's index among the returning ones, key) rows."""
    parts: list[str] = []
    outputs: list[str] = []
    first = 1
    for position, (shape, count) in enumerate(inserts):
        parts.append(shape.insert(count, first))
        first += count * len(shape.fields)
        if shape.returns_pk:
            outputs.append(f"SELECT {len(outputs)}, pk FROM s{position}")  # noqa: S608
    if len(parts) == 1:
        return parts[0].replace(" RETURNING ", " RETURNING 0, ", 1)
    ctes = ", ".join(f"s{position} AS ({part})" for position, part in enumerate(parts))
    # Every data-modifying CTE runs to completion whether or not the query reads it.
    return f"WITH {ctes} " + (" UNION ALL ".join(outputs) or "SELECT 0, NULL")


def _raw_cursor(raw: psycopg.Connection[Any]) -> psycopg.RawCursor[Any]:
    """A `$n` cursor kept per connection (its adapters, once looked up, are reused)."""
    cached: tuple[psycopg.Connection[Any], psycopg.RawCursor[Any]] | None = getattr(
        _raw_cursors, "cached", None
    )
    if cached is None or cached[0] is not raw or cached[1].closed:
        cached = (raw, psycopg.RawCursor(raw))
        _raw_cursors.cached = cached  # a thread uses one connection at a time
    return cached[1]


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
            f" RETURNING {quote(str(pk.column))} AS pk"
            if pk is not None and self.returns_pk
            else ""
        )
        self.width = len(self.fields)

    def insert(self, count: int, first: int) -> str:
        """INSERT of `count` rows whose values are `$first`, `$first + 1`, …"""
        rows = (
            "(" + ", ".join(f"${first + r * self.width + c}" for c in range(self.width)) + ")"
            for r in range(count)
        )
        values = ", ".join(rows)
        return f"INSERT INTO {self.table} ({self.columns}) VALUES {values}{self.suffix}"  # noqa: S608


_shapes: dict[type[models.Model], _Shape] = {}


_raw_cursors = threading.local()


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


def execute_bound(text: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run one statement with its `%s` values bound server-side (PostgreSQL); its rows.

    For statements carrying whole columns as arrays (`unnest(%s::int8[])`): Django's
    client-side cursor quotes such arrays value by value into the text, which cost the
    relay worker more CPU than PostgreSQL spent running the statement."""
    started = time.monotonic()
    with (
        connection.cursor() as wrapper,
        connection.wrap_database_errors,
        psycopg.Cursor(wrapper.cursor.connection) as cursor,
    ):
        cursor.execute(text, params)
        rows = cursor.fetchall() if cursor.description else []
    _log(text, started)
    return rows


def _log(text: str, started: float) -> None:
    """Django's record of the statement, when it keeps one (DEBUG, CaptureQueriesContext)."""
    if connection.queries_logged:
        connection.queries_log.append({"sql": text, "time": f"{time.monotonic() - started:.3f}"})


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
