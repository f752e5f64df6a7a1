"""What exactly of an audit event is sealed: its canonical leaf bytes (leaf format v2).

The leaf is built from the columns' *raw database text*, by the database itself, so that
verifying a million events costs one SQL query and one SHA-256 per row — no JSON parsing,
no datetime objects, no per-field Python. The sealer and the verifier render it with SQL
from one function (``_fields_sql``), hence the same bytes.

Leaf format v2, UTF-8::

    <seal position, decimal> LF <field 1><field 2>…<field 12>

Each field, in ``EVENT_COLUMNS`` order (id, occurred_at, actor_type, actor_id, pharmacy_id,
action, object_type, object_ids, request_id, client_ip, outcome, details), is written as
``<number of characters, decimal>:<text>`` (a netstring without the trailing comma); SQL
NULL is ``-1:`` (an impossible length, no text). Every field says where it ends, so the
encoding is injective: two different rows, or one row at two positions, never give the
same bytes. The seal position is inside the leaf, so a row moved, inserted or reordered
no longer matches the hash sealed at its new position.

A field's text is the column's canonical text in the database that holds the log:

* integers and strings: their decimal / stored text;
* ``occurred_at``: on PostgreSQL ``extract(epoch from occurred_at)::text``, seconds since
  the Unix epoch with exactly six decimals (``1704067200.500000``; ``Infinity`` for an
  infinite time), independent of the session's time zone and DateStyle and never an
  error, so one odd row cannot abort the verifying query; on SQLite the stored text
  (Django writes ``YYYY-MM-DD HH:MM:SS[.ffffff]`` in UTC);
* ``object_ids`` / ``details``: on PostgreSQL ``jsonb::text`` — jsonb normalises key
  order and spacing, and its output is deterministic for a given jsonb value; on SQLite
  the stored JSON text exactly as Django wrote it.

So the leaves of a log depend on the backend that holds it: a log is verified in the
database it was sealed in (moving it to another backend means resealing under a new log).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

# Column order of the leaf fields; alerts.py also indexes the sealer's rows in this order.
EVENT_COLUMNS = (
    "id",
    "occurred_at",
    "actor_type",
    "actor_id",
    "pharmacy_id",
    "action",
    "object_type",
    "object_ids",
    "request_id",
    "client_ip",
    "outcome",
    "details",
)
POSTGRESQL = "postgresql"


def _column_text(vendor: str, alias: str, column: str) -> str:
    """SQL for one column's canonical text (see the module docstring)."""
    qualified = f'{alias}."{column}"'
    if vendor != POSTGRESQL:
        return qualified
    if column == "occurred_at":
        return f"(extract(epoch from {qualified}))::text"
    return f"({qualified})::text"


def _field_sql(text: str) -> str:
    """PostgreSQL's ``<characters>:<text>``, ``-1:`` for NULL."""
    return f"coalesce(length({text}), -1)::text || ':' || coalesce({text}, '')"


def _fields_sql(vendor: str, alias: str, position_sql: str = "") -> str:
    """The twelve fields, after ``position LF`` if given; NULL if the row is absent.

    SQLite renders them with one ``format()`` call (a single allocation: twice as fast as
    chained ``||``); PostgreSQL concatenates, in its own process, beside the verifier.
    """
    if vendor == POSTGRESQL:
        rendered = " || ".join(
            _field_sql(_column_text(vendor, alias, column)) for column in EVENT_COLUMNS
        )
        if position_sql:
            rendered = f"({position_sql})::text || chr(10) || {rendered}"
    else:
        spec = "'" + "%d:%s" * len(EVENT_COLUMNS) + "'"
        args = [
            f'ifnull(length({alias}."{column}"), -1), {alias}."{column}"'
            for column in EVENT_COLUMNS
        ]
        if position_sql:
            spec, args = f"'%d' || char(10) || {spec}", [position_sql, *args]
        rendered = f"format({spec}, {', '.join(args)})"
    return f'CASE WHEN {alias}."id" IS NULL THEN NULL ELSE {rendered} END'


def event_text_sql(vendor: str, alias: str) -> str:
    """SQL text of an event's twelve fields; NULL when the row ``alias`` is absent (a LEFT
    JOIN that found no event), which is how a missing event shows."""
    return _fields_sql(vendor, alias)


def as_utf8_bytes(vendor: str, text_sql: str) -> str:
    """Have the database return ``text_sql`` as UTF-8 bytes (no decoding in Python)."""
    if vendor == POSTGRESQL:
        return f"convert_to({text_sql}, 'UTF8')"
    return f"CAST({text_sql} AS BLOB)"


def leaf_sql(vendor: str, position_sql: str, alias: str) -> str:
    """SQL for a whole leaf (position LF fields) as bytes, NULL if the event is absent."""
    return as_utf8_bytes(vendor, _fields_sql(vendor, alias, position_sql))


def for_django_cursor(sql: str) -> str:
    """Escape ``%`` (SQLite's ``format()`` specs) for Django's ``%s``-placeholder cursors."""
    return sql.replace("%", "%%")


def leaf_from_event_bytes(position: int, event_bytes: bytes) -> bytes:
    """The leaf of an event at ``position``, from :func:`event_text_sql`'s bytes."""
    return b"%d\n" % position + event_bytes


def event_bytes(event_id: int) -> bytes | None:
    """One event's field bytes as the database renders them (None if there is no such row)."""
    vendor = connection.vendor
    sql = for_django_cursor(as_utf8_bytes(vendor, event_text_sql(vendor, "e")))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql} FROM audit_auditevent e WHERE e.id = %s", [event_id])  # noqa: S608 - no user input in the SQL
        row: Any = cursor.fetchone()
    return None if row is None or row[0] is None else bytes(row[0])


def leaf_bytes(position: int, event_id: int) -> bytes | None:
    """Canonical leaf of the stored event ``event_id`` sealed at ``position``."""
    found = event_bytes(event_id)
    return None if found is None else leaf_from_event_bytes(position, found)
