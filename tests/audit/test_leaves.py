"""The leaf format v2 is what ``leaves.py`` documents: the position, a line feed, then each
column as ``<characters>:<text>`` (``-1:`` for NULL), rendered by the database itself."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.audit.leaves import EVENT_COLUMNS, leaf_bytes
from relais.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2024, 1, 31, 12, 30, 5, 250000, tzinfo=dt.UTC)


def parse_leaf(leaf: bytes) -> tuple[int, list[str | None]]:
    """An independent reader of the documented format (what an auditor would write)."""
    text = leaf.decode("utf-8")
    position, _, rest = text.partition("\n")
    fields: list[str | None] = []
    while rest:
        length, _, rest = rest.partition(":")
        size = int(length)
        fields.append(None if size == -1 else rest[:size])
        rest = rest[max(size, 0) :]
    return int(position), fields


def make_event(**overrides: object) -> AuditEvent:
    values: dict[str, object] = {
        "occurred_at": WHEN,
        "actor_type": "user",
        "actor_id": "7",
        "pharmacy_id": 3,
        "action": "screening.viewed",
        "object_type": "screening",
        "object_ids": ["s-1"],
        "outcome": "success",
        "details": {"b": 1, "a": "x"},
    }
    values.update(overrides)
    return AuditEvent.objects.create(**values)


def stored_leaf(position: int, event: AuditEvent) -> bytes:
    leaf = leaf_bytes(position, event.pk)
    assert leaf is not None
    return leaf


def test_the_leaf_is_the_position_then_every_column_length_prefixed() -> None:
    event = make_event()
    position, fields = parse_leaf(stored_leaf(41, event))
    assert position == 41
    assert len(fields) == len(EVENT_COLUMNS)
    by_name = dict(zip(EVENT_COLUMNS, fields, strict=True))
    assert by_name["id"] == str(event.pk)
    assert (by_name["actor_id"], by_name["pharmacy_id"], by_name["outcome"]) == (
        "7",
        "3",
        "success",
    )
    assert json.loads(by_name["details"] or "") == {"b": 1, "a": "x"}
    assert json.loads(by_name["object_ids"] or "") == ["s-1"]


def test_the_time_is_canonical_text_of_the_backend() -> None:
    fields = parse_leaf(stored_leaf(0, make_event()))[1]
    expected = (
        "1706704205.250000" if connection.vendor == "postgresql" else "2024-01-31 12:30:05.250000"
    )
    assert fields[EVENT_COLUMNS.index("occurred_at")] == expected


def test_a_null_pharmacy_is_told_apart_from_an_empty_text() -> None:
    fields = parse_leaf(stored_leaf(0, make_event(pharmacy_id=None)))[1]
    assert fields[EVENT_COLUMNS.index("pharmacy_id")] is None


def _after_the_id(event: AuditEvent) -> bytes:
    """The leaf without position and id: what two rows with the same id would share."""
    rest = stored_leaf(0, event).split(b"\n", 1)[1]
    identifier = str(event.pk).encode()
    return rest.removeprefix(b"%d:%s" % (len(identifier), identifier))


def test_moving_text_between_neighbouring_columns_changes_the_leaf() -> None:
    moved = _after_the_id(make_event(actor_type="ab", actor_id="c"))
    assert moved != _after_the_id(make_event(actor_type="a", actor_id="bc"))
    assert moved == _after_the_id(make_event(actor_type="ab", actor_id="c"))


def test_the_same_event_at_another_position_has_another_leaf() -> None:
    event = make_event()
    assert stored_leaf(5, event) != stored_leaf(6, event)


def test_a_missing_event_has_no_leaf() -> None:
    assert leaf_bytes(0, 987_654_321) is None


printable = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actor_id=printable, object_type=printable, request_id=printable, ids=st.lists(printable))
def test_any_unicode_text_reads_back_from_the_leaf_exactly(
    actor_id: str, object_type: str, request_id: str, ids: list[str]
) -> None:
    event = make_event(
        actor_id=actor_id, object_type=object_type, request_id=request_id, object_ids=ids
    )
    fields = dict(zip(EVENT_COLUMNS, parse_leaf(stored_leaf(3, event))[1], strict=True))
    assert (fields["actor_id"], fields["object_type"]) == (actor_id, object_type)
    assert fields["request_id"] == request_id
    assert json.loads(fields["object_ids"] or "") == ids
