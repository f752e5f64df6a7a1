"""Inserting many new model instances at once: `bulk_create`, with COPY on PostgreSQL.

A 1,000-row `bulk_create` is one INSERT with ~15,000 placeholders, and psycopg spends ~30 ms
of CPU per such statement just locating them, before PostgreSQL parses it. COPY streams the
same rows with no SQL to parse, and PostgreSQL still applies every constraint, default and
trigger. Values are prepared exactly as `save()` prepares them (`pre_save` then
`get_db_prep_save`), so encrypted fields are sealed the same way.

Unlike `bulk_create`, auto-incremented primary keys are not read back: callers that need
them use `bulk_create` (the SQLite path keeps it, which sets them anyway).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin


def insert_new[M: models.Model](objs: Sequence[M]) -> None:
    """Write `objs` (instances of one model, never saved) as new rows."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs)
        return
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # Prepared before the COPY starts: sealing a value may query the key tables, which the
    # connection cannot do while it streams.
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    with (
        connection.wrap_database_errors,  # a unique violation is Django's IntegrityError
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN"  # names from the model, not from input
        ) as copy,
    ):
        for row in rows:
            copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
