"""From a stored screening version to the relay's `CanonicalScreening`, in one place.

The relay worker calls `to_canonical(version, message_id)` (decrypting once, in memory) and
hands the result to the FHIR or HL7 builder; nothing else reads versions for the relay.
For a batch, `practitioner_names(versions)` reads every staff name in one query and is
passed as `names`, instead of one user query per message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from relais.relay.messages import canonical as c
from relais.relay.messages.codes import Action, Result, Sex, TestKind
from relais.screening.kinds import KIND_LABEL_EN
from relais.screening.models import Patient, ScreeningVersion


def to_canonical(
    version: ScreeningVersion, message_id: str, names: Mapping[int, str] | None = None
) -> c.CanonicalScreening:
    """The message content of `version`; `message_id` stays the same across retries.

    `names` (from `practitioner_names`) replaces the per-version user lookup.
    """
    screening = version.screening
    pharmacy = screening.pharmacy
    if names is None:
        names = practitioner_names([version])
    return c.CanonicalScreening(
        message_id=message_id,
        screening_id=str(screening.pk),
        version=version.number,
        action=cast(Action, version.action),
        pharmacy=c.Pharmacy(finess=pharmacy.finess, name=pharmacy.name),
        practitioner=c.Practitioner(
            name=_practitioner_name(version.performed_by, pharmacy.name, names)
        ),
        patient=canonical_patient(screening.patient),
        test_kind=cast(TestKind, screening.kind),
        device_name=version.device_label or KIND_LABEL_EN[screening.kind],
        device_id=version.device_id or None,
        sampled_at=version.sampled_at,
        result=cast(Result, version.result),
        symptoms=bool(version.symptoms),
        symptoms_onset=version.symptoms_onset,
    )


def canonical_patient(record: Patient) -> c.Patient:
    return c.Patient(
        last_name=record.last_name,
        first_names=tuple(record.first_names or ()),
        sex=cast(Sex, record.sex),
        birth_date=record.birth_date,
        nir=record.nir,
        email=record.email,
        phone=record.phone,
        address=_address(record.address),
    )


def _address(raw: dict[str, Any] | None) -> c.Address | None:
    if not raw:
        return None
    line = raw.get("line")
    return c.Address(
        lines=(line,) if line else (),
        postal_code=raw.get("postal_code") or None,
        city=raw.get("city") or None,
        country=raw.get("country") or "FR",
    )


def _user_id(performed_by: str) -> int | None:
    kind, _, ident = performed_by.partition(":")
    return int(ident) if kind == "user" and ident.isdigit() else None


def practitioner_names(versions: Iterable[ScreeningVersion]) -> dict[int, str]:
    """The full names of the staff who performed `versions`, by user id, in one query."""
    found = (_user_id(version.performed_by) for version in versions)
    ids = {user_id for user_id in found if user_id is not None}
    if not ids:
        return {}
    from relais.accounts.models import User

    return dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))


def _practitioner_name(performed_by: str, pharmacy_name: str, names: Mapping[int, str]) -> str:
    """The staff member's name; for an API key or the system, the pharmacy's own name."""
    user_id = _user_id(performed_by)
    name = names.get(user_id) if user_id is not None else None
    if name and name.strip():
        return str(name)
    return pharmacy_name
