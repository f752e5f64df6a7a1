"""HL7 v2.5.1 ORU^R01 messages (one per screening) and BHS/BTS batches.

Built as ER7 text by hand, then validated with hl7apy (STRICT parse + structure check):
hand-building is ~100x faster than hl7apy's object tree, and hl7apy's own escaping leaves
a literal escape sequence such as `\\F\\` in a value unescaped, whereas `escape()` here
escapes every delimiter and the escape character itself (HL7 v2.5.1 §2.7), so any name
round-trips. Segments end with a carriage return, the message included.

Choices a reader needs:
- MSH-10 (message control id, ST 20 in v2.5.1) cannot hold a 36-character UUID; it carries
  the first 20 hex digits of the message id (80 bits, deterministic, so a retry has the
  same control id). The full message id travels in ORC-2 and OBR-2 (placer order number,
  EI.1 up to 199 characters, namespace RELAIS); receivers deduplicate on that.
- OBX-11 (observation result status, table 0085): F for a new result, C for a correction,
  D ("delete the result") for a cancellation; OBR-25 (table 0123) uses F, C and X.
- The result OBX is coded CE: LOINC in OBX-3, SNOMED CT (French CI-SIS value set) in OBX-5.
  Symptoms follow as OBX 2 (Y/N, table 0136) and OBX 3 (onset date) when known.
- PID-3 carries the NIR with assigning authority ASIP-SANTE-INS-NIR & the INS-NIR OID
  (identifier type INS) when known, else the screening id as a local identifier (PI),
  because PID-3 is required.
- A batch is BHS + messages + BTS(count), without FHS/FTS: one HTTP request is one batch,
  there is no file to describe.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Final, Literal

from relais.relay.messages import codes
from relais.relay.messages.canonical import CanonicalScreening, Patient
from relais.relay.messages.hl7_parse import parse_hl7
from relais.relay.messages.parsed import MessageBuildError

__all__ = ["build_hl7_batch", "build_hl7_oru", "control_id", "escape", "parse_hl7"]

SEGMENT_END: Final = "\r"
ENCODING: Final = "^~\\&"
SENDER: Final = "RELAIS"
RECEIVER: Final = "SIDEP"
NIR_AUTHORITY: Final = f"ASIP-SANTE-INS-NIR&{codes.OID_INS_NIR}&ISO"
RPPS_AUTHORITY: Final = f"ASIP-SANTE-PS&{codes.OID_RPPS}&ISO"
FINESS_AUTHORITY: Final = f"FINESS&{codes.OID_FINESS}&ISO"
OBR_STATUS_BY_ACTION: Final = {"create": "F", "correct": "C", "cancel": "X"}
_ESCAPES: Final = (("\\", "\\E\\"), ("|", "\\F\\"), ("^", "\\S\\"), ("&", "\\T\\"), ("~", "\\R\\"))


def escape(text: str) -> str:
    """Escape HL7 delimiters in a value; the escape character first, so nothing doubles."""
    for char, sequence in _ESCAPES:
        text = text.replace(char, sequence)
    return text


def control_id(message_id: str) -> str:
    """MSH-10 for a message id: the id itself if it fits in 20, else 20 hex digits of it."""
    if len(message_id) <= 20:  # noqa: PLR2004 - HL7 v2.5.1 length of MSH-10
        return message_id
    return message_id.replace("-", "")[:20]


def build_hl7_oru(
    item: CanonicalScreening, *, sent_at: datetime | None = None, validate: bool = True
) -> str:
    """One ORU^R01 for `item`. `sent_at` (MSH-7) defaults to now; `validate` runs hl7apy
    (about 20 ms a message, which is why batches validate a sample)."""
    segments = [
        _msh(item, sent_at or datetime.now(UTC)),
        _pid(item),
        _orc(item),
        _obr(item),
        *_obx(item),
        _spm(item),
    ]
    message = SEGMENT_END.join(segments) + SEGMENT_END
    if validate:
        validate_hl7(message)
    return message


def build_hl7_batch(
    items: Sequence[CanonicalScreening],
    *,
    batch_id: str,
    sent_at: datetime | None = None,
    validate: Literal["full", "sample", "none"] = "sample",
) -> str:
    """A BHS/BTS batch of one ORU^R01 per item (see module docstring).

    `validate` as for FHIR bundles: "sample" (default) runs hl7apy on the first message
    only, "full" on every message, "none" never.
    """
    if not items:
        raise MessageBuildError(["a batch needs at least one screening"])
    moment = sent_at or datetime.now(UTC)
    header = "|".join(
        ["BHS", ENCODING, SENDER, SENDER, RECEIVER, RECEIVER, _ts(moment), "", "", ""]
    )
    header += f"|{escape(batch_id)}"
    body = "".join(
        build_hl7_oru(
            item,
            sent_at=moment,
            validate=validate == "full" or (validate == "sample" and index == 0),
        )
        for index, item in enumerate(items)
    )
    return f"{header}{SEGMENT_END}{body}BTS|{len(items)}{SEGMENT_END}"


def validate_hl7(message: str) -> None:
    """Parse `message` with hl7apy at STRICT level and check its structure."""
    from hl7apy.consts import VALIDATION_LEVEL
    from hl7apy.exceptions import HL7apyException
    from hl7apy.parser import parse_message

    try:
        parsed = parse_message(
            message.replace(SEGMENT_END, "\r"),
            validation_level=VALIDATION_LEVEL.STRICT,
            find_groups=True,
        )
        parsed.validate()
    except (HL7apyException, ValueError) as error:  # hl7apy raises ValueError on bad values
        raise MessageBuildError([f"hl7apy: {error}"]) from error


def _ts(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S%z")


def _dt(day: date) -> str:
    return day.strftime("%Y%m%d")


def _msh(item: CanonicalScreening, sent_at: datetime) -> str:
    fields = [
        "MSH",
        ENCODING,
        SENDER,
        f"{SENDER}^{escape(item.pharmacy.finess)}",
        RECEIVER,
        RECEIVER,
        _ts(sent_at),
        "",
        "ORU^R01^ORU_R01",
        control_id(item.message_id),
        "P",
        "2.5.1",
        "",
        "",
        "AL",
        "NE",
        "FRA",
        "UNICODE UTF-8",
    ]
    return "|".join(fields)


def _patient_identifier(item: CanonicalScreening) -> str:
    if item.patient.nir is not None:
        return f"{item.patient.nir}^^^{NIR_AUTHORITY}^INS"
    return f"{escape(item.screening_id)}^^^{SENDER}^PI"


def _name(patient: Patient) -> str:
    first, *others = patient.first_names
    parts = [escape(patient.last_name), escape(first)]
    if others:
        parts.append(escape(" ".join(others)))
    return "^".join(parts)


def _address(patient: Patient) -> str:
    address = patient.address
    if address is None:
        return ""
    lines = address.lines
    street, other = (lines[0], ", ".join(lines[1:])) if lines else ("", "")
    parts = (street, other, address.city, "", address.postal_code, address.country)
    return "^".join(escape(part or "") for part in parts).rstrip("^")


def _telecom(patient: Patient) -> str:
    repetitions = []
    if patient.phone is not None:
        repetitions.append(f"^PRN^PH^^^^^^^^^{patient.phone}")
    if patient.email is not None:
        repetitions.append(f"^NET^Internet^{escape(patient.email)}")
    return "~".join(repetitions)


def _pid(item: CanonicalScreening) -> str:
    patient = item.patient
    fields = ["PID", "1", "", _patient_identifier(item), "", _name(patient), ""]
    fields += [_dt(patient.birth_date), patient.sex, "", "", _address(patient), ""]
    fields.append(_telecom(patient))
    return "|".join(fields).rstrip("|")


def _placer(item: CanonicalScreening) -> str:
    return f"{item.message_id}^{SENDER}"


def _provider(item: CanonicalScreening) -> str:
    practitioner = item.practitioner
    if practitioner.rpps is None:
        return f"^{escape(practitioner.name)}"
    return f"{practitioner.rpps}^{escape(practitioner.name)}^^^^^^^{RPPS_AUTHORITY}"


def _orc(item: CanonicalScreening) -> str:
    facility = (
        f"{escape(item.pharmacy.name)}^^^^^{FINESS_AUTHORITY}^FINESS^^^{item.pharmacy.finess}"
    )
    fields = ["ORC", "RE", _placer(item), "", "", "", "", "", "", _ts(item.sampled_at)]
    fields += ["", "", _provider(item)] + [""] * 8 + [facility]
    return "|".join(fields)


def _obr(item: CanonicalScreening) -> str:
    test = f"{item.loinc}^{escape(codes.LOINC_DISPLAY[item.loinc])}^LN"
    fields = ["OBR", "1", _placer(item), "", test, "", "", _ts(item.sampled_at)]
    fields += [""] * 17 + [OBR_STATUS_BY_ACTION[item.action]]
    return "|".join(fields)


def _obx_line(set_id: int, value_type: str, code: str, value: str, status: str) -> list[str]:
    return ["OBX", str(set_id), value_type, code, "", value, "", "", "", "", "", status]


def _result_obx(item: CanonicalScreening, status: str) -> str:
    test = f"{item.loinc}^{escape(codes.LOINC_DISPLAY[item.loinc])}^LN"
    result = f"{item.snomed_result}^{codes.SNOMED_DISPLAY[item.snomed_result]}^SCT"
    fields = _obx_line(1, "CE", test, result, status)
    device = f"^{escape(item.device_name)}"
    equipment = f"{escape(item.device_id)}^JRC" if item.device_id is not None else ""
    fields += ["", "", _ts(item.sampled_at), "", "", device, equipment]
    return "|".join(fields)


def _obx(item: CanonicalScreening) -> list[str]:
    status = codes.HL7_STATUS_BY_ACTION[item.action]
    symptoms = "Y^Yes^HL70136" if item.symptoms else "N^No^HL70136"
    segments = [
        _result_obx(item, status),
        "|".join(_obx_line(2, "CE", "75325-1^Symptom^LN", symptoms, status)),
    ]
    if item.symptoms_onset is not None:
        onset = _dt(item.symptoms_onset)
        segments.append("|".join(_obx_line(3, "DT", "65222-2^Symptom onset^LN", onset, status)))
    return segments


def _spm(item: CanonicalScreening) -> str:
    specimen = f"{codes.SNOMED_SPECIMEN_SWAB}^{codes.SNOMED_SPECIMEN_SWAB_DISPLAY}^SCT"
    fields = ["SPM", "1", "", "", specimen] + [""] * 12 + [_ts(item.sampled_at)]
    return "|".join(fields)
