"""Response bodies of the simulator: FHIR transaction-response and HL7 ACKs.

Every delivery response also carries `acknowledgements`, a plain JSON list the relay can
read without knowing either format: one object per message, in request order,
{message_id, outcome: "accepted"|"rejected", reference, reasons, duplicate}.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from relais.relay.messages.hl7 import control_id, escape
from relais.relay.messages.parsed import ParsedMessage
from relais.sidep_sim.store import Acknowledgement


def fhir_response(acks: list[Acknowledgement]) -> dict[str, Any]:
    """A transaction-response Bundle (one entry per Observation) plus `acknowledgements`."""
    return {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [{"response": _fhir_entry_response(ack)} for ack in acks],
        "acknowledgements": [ack.as_json() for ack in acks],
    }


def _fhir_entry_response(ack: Acknowledgement) -> dict[str, Any]:
    if ack.outcome == "accepted":
        status = "200 OK" if ack.duplicate else "201 Created"
        return {"status": status, "location": f"Observation/{ack.reference}"}
    issues = [
        {"severity": "error", "code": "invalid", "diagnostics": reason} for reason in ack.reasons
    ]
    return {
        "status": "422 Unprocessable Entity",
        "outcome": {"resourceType": "OperationOutcome", "issue": issues},
    }


def hl7_acks(messages: list[ParsedMessage], acks: list[Acknowledgement]) -> str:
    """One ACK per message: MSA AA (accepted, MSA-3 = reference) or AE + one ERR per reason.

    MSA-2 echoes the message's MSH-10; ZAK-1/ZAK-2 carry the full message id and the
    reference, because MSH-10 holds only 20 characters of the id.
    """
    now = datetime.now(UTC).strftime("%Y%m%d%H%M%S%z")
    return "".join(_hl7_ack(message, ack, now) for message, ack in zip(messages, acks, strict=True))


def _hl7_ack(message: ParsedMessage, ack: Acknowledgement, now: str) -> str:
    original = message.control_id or control_id(message.message_id)
    msh = f"MSH|^~\\&|SIDEP|SIDEP|RELAIS|RELAIS|{now}||ACK^R01^ACK|A{original[:19]}|P|2.5.1"
    if ack.outcome == "accepted":
        segments = [msh, f"MSA|AA|{original}|{ack.reference}"]
    else:
        segments = [msh, f"MSA|AE|{original}|rejected"]
        segments += [f"ERR||||E||||{escape(reason)}" for reason in ack.reasons]
    segments.append(f"ZAK|{escape(ack.message_id)}|{ack.reference or ''}")
    return "\r".join(segments) + "\r"
