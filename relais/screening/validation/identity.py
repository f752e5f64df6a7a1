"""A patient's identity as submitted (counter form, API, pre-registration).

Every field is validated and *every* error is reported, so one round trip fixes them all.

Rules decided here:
- `nir` is optional; without it, `no_nir_reason` is required, from NO_NIR_REASONS:
  "foreign_resident" (lives abroad or not yet registered in France: tourist, cross-border
  worker), "newborn" (NIR not yet issued or not known to the parents), "undocumented"
  (no social-security cover, e.g. AME beneficiaries without a NIR), and
  "not_provided_by_patient" (has one but does not know it or declines to give it).
  Giving both a NIR and a reason is contradictory and refused.
- `sex` is F, M or U (unknown / not stated), as SI-DEP's administrative-gender values.
- At least one contact (e-mail or phone) is required: the patient is told that the
  result is available through one of them. When both are missing, the error is put on
  both `email` and `phone` so each form field shows it.
- `address` is optional: a patient may have no fixed address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from relais.core.fielderrors import FieldError, ValidationErrors
from relais.screening.validation.address import Address, validate_address
from relais.screening.validation.dates import validate_birth_date
from relais.screening.validation.email import normalize_email
from relais.screening.validation.names import (
    name_warnings,
    normalize_first_names,
    normalize_name,
)
from relais.screening.validation.nir import nir_coherence_warnings, validate_nir
from relais.screening.validation.phone import validate_phone

__all__ = ["NO_NIR_REASONS", "SEXES", "CleanPatient", "validate_patient"]

NO_NIR_REASONS = frozenset(
    {"foreign_resident", "newborn", "undocumented", "not_provided_by_patient"}
)
SEXES = frozenset({"F", "M", "U"})


@dataclass(frozen=True, slots=True, repr=False)
class CleanPatient:
    last_name: str
    first_names: tuple[str, ...]
    sex: str
    birth_date: date
    nir: str | None
    no_nir_reason: str | None
    email: str | None
    phone: str | None
    address: Address | None

    def __repr__(self) -> str:
        # Personal data never reaches a log or an error page through a repr.
        return "CleanPatient(<personal data hidden>)"


class _Collector:
    """Runs validators, keeping each one's value and gathering errors and warnings."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self.warnings: list[FieldError] = []

    def run[T](self, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except ValidationErrors as exc:
            self.errors.extend(exc.errors)
            return None

    def run_with_warnings[T](self, check: Callable[[], tuple[T, list[FieldError]]]) -> T | None:
        result = self.run(check)
        if result is None:
            return None
        value, warnings = result
        self.warnings.extend(warnings)
        return value


def validate_patient(
    data: Mapping[str, Any], *, today: date
) -> tuple[CleanPatient, list[FieldError]]:
    """(clean patient, warnings), or ValidationErrors listing every invalid field."""
    c = _Collector()
    last_name = c.run(lambda: normalize_name(data.get("last_name"), "last_name"))
    first_names = c.run(lambda: normalize_first_names(data.get("first_names")))
    sex = c.run(lambda: _sex(data.get("sex")))
    birth_date = c.run(lambda: validate_birth_date(data.get("birth_date"), today))
    nir, reason = _nir_and_reason(c, data.get("nir"), data.get("no_nir_reason"))
    email = c.run(lambda: _optional(data.get("email"), normalize_email))
    phone = c.run_with_warnings(lambda: _optional_phone(data.get("phone")))
    address = c.run(lambda: validate_address(data.get("address")))
    if _blank(data.get("email")) and _blank(data.get("phone")):
        c.errors += [
            FieldError("email", "contact.required"),
            FieldError("phone", "contact.required"),
        ]
    if c.errors or last_name is None or first_names is None or sex is None or birth_date is None:
        raise ValidationErrors(c.errors)
    c.warnings += _identity_warnings(last_name, first_names, nir, sex, birth_date)
    patient = CleanPatient(
        last_name, first_names, sex, birth_date, nir, reason, email, phone, address
    )
    return patient, c.warnings


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _sex(raw: object) -> str:
    if _blank(raw):
        raise ValidationErrors.single("sex", "sex.required")
    value = raw.strip().upper() if isinstance(raw, str) else ""
    if value not in SEXES:
        raise ValidationErrors.single("sex", "sex.invalid")
    return value


def _nir_and_reason(
    c: _Collector, raw_nir: object, raw_reason: object
) -> tuple[str | None, str | None]:
    if not _blank(raw_nir):
        if not _blank(raw_reason):
            c.errors.append(FieldError("no_nir_reason", "no_nir_reason.unexpected"))
        return c.run_with_warnings(lambda: validate_nir(raw_nir)), None
    if _blank(raw_reason):
        c.errors.append(FieldError("no_nir_reason", "no_nir_reason.required"))
        return None, None
    if not isinstance(raw_reason, str) or raw_reason not in NO_NIR_REASONS:
        c.errors.append(FieldError("no_nir_reason", "no_nir_reason.invalid"))
        return None, None
    return None, raw_reason


def _optional[T](raw: object, validate: Callable[[object], T]) -> T | None:
    return None if _blank(raw) else validate(raw)


def _optional_phone(raw: object) -> tuple[str | None, list[FieldError]]:
    return (None, []) if _blank(raw) else validate_phone(raw)


def _identity_warnings(
    last_name: str, first_names: tuple[str, ...], nir: str | None, sex: str, born: date
) -> list[FieldError]:
    found = name_warnings(last_name, "last_name")
    for index, name in enumerate(first_names):
        found += name_warnings(name, f"first_names.{index}")
    if nir is not None:
        found += nir_coherence_warnings(nir, sex, born)
    return found
