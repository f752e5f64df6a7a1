"""Reading HL7 v2.5.1 ORU^R01 messages and BHS/BTS batches back, as the platform does.

A plain ER7 splitter, not hl7apy: hl7apy takes milliseconds per message, which would make
the simulator slower than the relay it measures. The builder is what is checked against
hl7apy; this reader only extracts the fields a receiver decides on, and reports a missing
value on the message (None) rather than failing the whole request.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

from relais.relay.messages import codes
from relais.relay.messages.parsed import MessageInvalid, ParsedMessage

Segment = list[str]

_UNESCAPES: Final = {"F": "|", "S": "^", "T": "&", "R": "~", "E": "\\"}
_ESCAPE_SEQUENCE: Final = re.compile(r"\\([FSTRE])\\")
RESULT_LOINCS: Final = frozenset(codes.LOINC_BY_KIND.values())


def unescape(text: str) -> str:
    """Undo HL7 escaping of the five delimiters (the only sequences Relais emits)."""
    return _ESCAPE_SEQUENCE.sub(lambda match: _UNESCAPES[match.group(1)], text)


def parse_hl7(text: str) -> list[ParsedMessage]:
    """Return one ParsedMessage per ORU^R01 in `text` (a message, or a BHS/BTS batch)."""
    segments = [line.split("|") for line in re.split(r"\r\n|\r|\n", text) if line.strip()]
    if not segments:
        raise MessageInvalid(["empty HL7 document"])
    messages = _split_messages(_unwrap_batch(segments))
    return [_parse_message(message) for message in messages]


def _unwrap_batch(segments: list[Segment]) -> list[Segment]:
    if segments[0][0] != "BHS":
        return segments
    if segments[-1][0] != "BTS":
        raise MessageInvalid(["a BHS batch must end with BTS"])
    body = segments[1:-1]
    declared = _field(segments[-1], 1)
    count = sum(1 for segment in body if segment[0] == "MSH")
    if declared and declared != str(count):
        raise MessageInvalid([f"BTS-1 says {declared} messages, the batch holds {count}"])
    return body


def _split_messages(segments: list[Segment]) -> list[list[Segment]]:
    if segments[0][0] != "MSH":
        raise MessageInvalid(["a message must start with MSH"])
    messages: list[list[Segment]] = []
    for segment in segments:
        if segment[0] == "MSH":
            messages.append([])
        messages[-1].append(segment)
    return messages


def _field(segment: Segment, index: int) -> str:
    # MSH-1 is the field separator itself, so MSH fields sit one place earlier.
    position = index - 1 if segment[0] == "MSH" else index
    return segment[position] if 0 <= position < len(segment) else ""


def _component(value: str, index: int) -> str:
    parts = value.split("^")
    return parts[index - 1] if index <= len(parts) else ""


def _first(message: list[Segment], name: str) -> Segment | None:
    return next((segment for segment in message if segment[0] == name), None)


def _timestamp(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S%z")
    except ValueError:
        return None


def _nir(pid: Segment | None) -> str | None:
    if pid is None:
        return None
    for identifier in _field(pid, 3).split("~"):
        if codes.OID_INS_NIR in _component(identifier, 4):
            return unescape(_component(identifier, 1)) or None
    return None


def _finess(orc: Segment | None) -> str | None:
    if orc is None:
        return None
    return unescape(_component(_field(orc, 21), 10)) or None


def _result_obx(message: list[Segment]) -> Segment | None:
    for segment in message:
        if segment[0] == "OBX" and _component(_field(segment, 3), 1) in RESULT_LOINCS:
            return segment
    return None


def _message_id(message: list[Segment]) -> str:
    for name in ("ORC", "OBR"):
        segment = _first(message, name)
        if segment is not None and _component(_field(segment, 2), 1):
            return unescape(_component(_field(segment, 2), 1))
    raise MessageInvalid(["a message has no placer order number (ORC-2/OBR-2)"])


def _parse_message(message: list[Segment]) -> ParsedMessage:
    msh = message[0]
    if _field(msh, 9).split("^")[:2] != ["ORU", "R01"]:
        raise MessageInvalid(["MSH-9 must be ORU^R01"])
    obx = _result_obx(message)
    if obx is None:
        return ParsedMessage(
            message_id=_message_id(message),
            action=None,
            result=None,
            nir=_nir(_first(message, "PID")),
            sampled_at=None,
            loinc=None,
            finess=_finess(_first(message, "ORC")),
            control_id=_field(msh, 10),
        )
    return ParsedMessage(
        message_id=_message_id(message),
        action=codes.ACTION_BY_HL7_STATUS.get(_field(obx, 11)),
        result=codes.RESULT_BY_SNOMED.get(_component(_field(obx, 5), 1)),
        nir=_nir(_first(message, "PID")),
        sampled_at=_timestamp(_field(obx, 14)),
        loinc=_component(_field(obx, 3), 1),
        finess=_finess(_first(message, "ORC")),
        control_id=_field(msh, 10),
    )
