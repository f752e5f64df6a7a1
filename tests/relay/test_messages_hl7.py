"""HL7 v2.5.1 ORU^R01: escaping, statuses, control ids, batches and reading back."""

from __future__ import annotations

from dataclasses import replace

import pytest

from relais.relay.messages import MessageBuildError, MessageInvalid, build_hl7_batch, parse_hl7
from relais.relay.messages.hl7 import build_hl7_oru, control_id, escape, validate_hl7
from relais.relay.messages.hl7_parse import unescape
from relais.relay.messages.samples import sample_screening


def _segment(message: str, name: str) -> list[str]:
    return next(s for s in message.split("\r") if s.startswith(f"{name}|")).split("|")


def test_every_delimiter_and_the_escape_character_are_escaped() -> None:
    assert escape("a|b^c&d~e\\f") == "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f"
    assert escape("\\F\\") == "\\E\\F\\E\\"


def test_a_name_made_of_delimiters_round_trips_through_a_message() -> None:
    name = "|^&~\\ O'Brien-\\F\\"
    item = sample_screening(1, patient=replace(sample_screening(1).patient, last_name=name))

    message = build_hl7_oru(item)

    assert unescape(_segment(message, "PID")[5].split("^")[0]) == name
    assert len(_segment(message, "PID")) == 14


@pytest.mark.parametrize(("action", "obx11"), [("create", "F"), ("correct", "C"), ("cancel", "D")])
def test_the_result_status_follows_the_action(action: str, obx11: str) -> None:
    message = build_hl7_oru(sample_screening(1, action=action))

    assert _segment(message, "OBX")[11] == obx11
    assert parse_hl7(message)[0].action == action


def test_the_control_id_is_twenty_characters_of_the_message_id() -> None:
    item = sample_screening(1)

    message = build_hl7_oru(item)

    assert _segment(message, "MSH")[9] == item.message_id.replace("-", "")[:20]
    assert control_id("short-id") == "short-id"
    assert _segment(message, "ORC")[2] == f"{item.message_id}^RELAIS"


def test_segments_are_separated_by_carriage_returns() -> None:
    message = build_hl7_oru(sample_screening(1))

    assert "\n" not in message
    assert message.endswith("\r")
    assert [s[:3] for s in message.rstrip("\r").split("\r")][:4] == ["MSH", "PID", "ORC", "OBR"]


def test_a_batch_wraps_messages_in_bhs_and_bts_with_the_count() -> None:
    items = [sample_screening(n) for n in range(3)]

    batch = build_hl7_batch(items, batch_id="batch-1")

    assert batch.startswith("BHS|^~\\&|")
    assert batch.endswith("BTS|3\r")
    assert [p.message_id for p in parse_hl7(batch)] == [i.message_id for i in items]


def test_a_batch_whose_count_is_wrong_is_refused_whole() -> None:
    batch = build_hl7_batch([sample_screening(1)], batch_id="b").replace("BTS|1", "BTS|2")

    with pytest.raises(MessageInvalid, match="BTS-1"):
        parse_hl7(batch)


def test_a_message_without_placer_order_number_is_refused_whole() -> None:
    message = build_hl7_oru(sample_screening(1))
    broken = "\r".join(s for s in message.split("\r") if not s.startswith(("ORC", "OBR")))

    with pytest.raises(MessageInvalid, match="placer order"):
        parse_hl7(broken)


def test_hl7apy_refuses_a_message_without_its_required_obr() -> None:
    message = build_hl7_oru(sample_screening(1))
    broken = "\r".join(s for s in message.split("\r") if not s.startswith("OBR"))

    with pytest.raises(MessageBuildError, match="OBR"):
        validate_hl7(broken)


def test_hl7apy_refuses_a_malformed_birth_date() -> None:
    broken = build_hl7_oru(sample_screening(1)).replace("|19800117|", "|1980x117|")

    with pytest.raises(MessageBuildError, match="1980x117"):
        validate_hl7(broken)


def test_a_missing_result_is_read_as_none_not_as_an_error() -> None:
    message = build_hl7_oru(sample_screening(1)).replace("260385009^Negative^SCT", "")

    (parsed,) = parse_hl7(message)

    assert parsed.result is None
