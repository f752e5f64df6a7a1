"""The one canonical screening message from which every wire format is built.

The relay worker decrypts a screening version once into a `CanonicalScreening` and hands it
to a builder; builders never read the database. The dataclasses check their own shape in
`__post_init__` so a builder can trust every value (and so a FHIR/HL7 build cannot fail on
data that was accepted here). Semantic checks (NIR key, FINESS Luhn key...) belong to the
screening app's validation and to the receiving platform, not to this shape check.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from relais.relay.messages.codes import (
    ACTIONS,
    LOINC_BY_KIND,
    RESULTS,
    SEXES,
    SNOMED_BY_RESULT,
    TEST_KINDS,
    Action,
    Result,
    Sex,
    TestKind,
)

NIR_SHAPE: Final = re.compile(r"[12378][0-9]{2}[0-9]{2}(?:[0-9]{2}|2A|2B)[0-9]{6}[0-9]{2}")
E164_SHAPE: Final = re.compile(r"\+[1-9][0-9]{6,14}")
FINESS_SHAPE: Final = re.compile(r"(?:[0-9]{2}|2A|2B)[0-9]{7}")
RPPS_SHAPE: Final = re.compile(r"[0-9]{11}")


class CanonicalError(ValueError):
    """A canonical screening was constructed with a value of the wrong shape."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CanonicalError(message)


CONTROL_CHARACTERS: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _require_text(value: str, name: str) -> None:
    # FHIR strings may not be blank; HL7 fields would silently vanish; a control character
    # (a CR above all) would split an HL7 segment, and no name or address needs one.
    _require(bool(value.strip()), f"{name} must not be blank")
    _require(CONTROL_CHARACTERS.search(value) is None, f"{name} has a control character")


@dataclass(frozen=True, slots=True)
class Pharmacy:
    """The reporting pharmacy, identified by its FINESS number."""

    finess: str
    name: str

    def __post_init__(self) -> None:
        _require(FINESS_SHAPE.fullmatch(self.finess) is not None, "finess must be 9 characters")
        _require_text(self.name, "pharmacy name")


@dataclass(frozen=True, slots=True)
class Practitioner:
    """The pharmacist who performed or validated the test; RPPS when known."""

    name: str
    rpps: str | None = None

    def __post_init__(self) -> None:
        _require_text(self.name, "practitioner name")
        _require(
            self.rpps is None or RPPS_SHAPE.fullmatch(self.rpps) is not None,
            "rpps must be 11 digits",
        )


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address; every part optional, as patients often give only a city."""

    lines: tuple[str, ...] = ()
    postal_code: str | None = None
    city: str | None = None
    country: str | None = "FR"

    def __post_init__(self) -> None:
        for line in self.lines:
            _require_text(line, "address line")
        for part in (self.postal_code, self.city, self.country):
            if part is not None:
                _require_text(part, "address part")


@dataclass(frozen=True, slots=True)
class Patient:
    """The tested person. `nir` is the canonical 15-character NIR (13 + key) or None."""

    last_name: str
    first_names: tuple[str, ...]
    sex: Sex
    birth_date: date
    nir: str | None = None
    email: str | None = None
    phone: str | None = None
    address: Address | None = None

    def __post_init__(self) -> None:
        _require_text(self.last_name, "last name")
        _require(len(self.first_names) > 0, "at least one first name")
        for name in self.first_names:
            _require_text(name, "first name")
        _require(self.sex in SEXES, "sex must be F, M or U")
        _require(
            self.nir is None or NIR_SHAPE.fullmatch(self.nir) is not None,
            "nir must be 15 characters (13 + key), 2A/2B allowed",
        )
        if self.email is not None:
            _require_text(self.email, "email")
            _require("@" in self.email, "email must contain @")
        _require(
            self.phone is None or E164_SHAPE.fullmatch(self.phone) is not None,
            "phone must be E.164",
        )


@dataclass(frozen=True, slots=True)
class CanonicalScreening:
    """One transmission of one screening version to SI-DEP.

    `message_id` is the idempotency key: the same transmission retried keeps it, a new
    version (correction, cancellation) gets a new one. Receivers deduplicate on it.
    """

    message_id: str
    screening_id: str
    version: int
    action: Action
    pharmacy: Pharmacy
    practitioner: Practitioner
    patient: Patient
    test_kind: TestKind
    device_name: str
    sampled_at: datetime
    result: Result
    symptoms: bool
    symptoms_onset: date | None = None
    device_id: str | None = None
    loinc: str = field(init=False)

    def __post_init__(self) -> None:
        try:
            canonical_id = str(uuid.UUID(self.message_id))
        except ValueError as error:
            raise CanonicalError("message_id must be a UUID") from error
        _require(canonical_id == self.message_id, "message_id must be lower-case UUID text")
        _require_text(self.screening_id, "screening_id")
        _require(self.version >= 1, "version starts at 1")
        _require(self.action in ACTIONS, "unknown action")
        _require(self.test_kind in TEST_KINDS, "unknown test kind")
        _require(self.result in RESULTS, "unknown result")
        _require(self.sampled_at.utcoffset() is not None, "sampled_at must be timezone-aware")
        _require_text(self.device_name, "device name")
        if self.device_id is not None:
            _require_text(self.device_id, "device id")
        _require(
            self.symptoms or self.symptoms_onset is None,
            "symptoms_onset requires symptoms",
        )
        object.__setattr__(self, "loinc", LOINC_BY_KIND[self.test_kind])

    @property
    def snomed_result(self) -> str:
        """The SNOMED CT code of the qualitative result (French CI-SIS value set)."""
        return SNOMED_BY_RESULT[self.result]
