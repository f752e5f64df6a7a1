"""Oversight services: what the DPO, the auditor and pharmacy owners may see of the log.

Every call checks access, then writes its own audit event *before* returning data: looking
at the audit log is itself an audited access. The auditor (platform role) sees every
pharmacy but never patient data; an owner sees their own pharmacies, and only the owner —
the data controller — can export the list of persons affected by a breach.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from relais.access.actors import Actor
from relais.access.errors import AccessDeniedError
from relais.access.policy import Action, pharmacies_for, require
from relais.audit import reports, subjects
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.audit.models import AuditEvent
from relais.core.services import service


def _scope(actor: Actor, *, platform: bool) -> reports.Scope:
    """``None`` (every pharmacy) for the auditor; the owner's own pharmacies otherwise."""
    if platform:
        require(actor, Action.AUDIT_READ)
        return None
    pharmacies = pharmacies_for(actor, Action.PHARMACY_AUDIT_READ)
    if not pharmacies:
        raise AccessDeniedError(actor, Action.PHARMACY_AUDIT_READ, None)
    return pharmacies


def _period(start: dt.datetime, end: dt.datetime) -> dict[str, str]:
    return {"from": start.isoformat(), "to": end.isoformat()}


def _viewed(actor: Actor, scope: reports.Scope, view: str, **details: str | int) -> None:
    record_event(
        AuditAction.AUDIT_VIEWED,
        actor=actor,
        pharmacy_id=scope[0] if scope and len(scope) == 1 else None,
        details={"view": view, **details},
    )


@dataclass(frozen=True, slots=True)
class PatientAccesses:
    patients_found: int
    events: list[AuditEvent]


@service
def patient_accesses(
    actor: Actor, *, platform: bool, nir: str = "", email: str = ""
) -> PatientAccesses:
    """Who accessed this person's data: the person found by NIR or e-mail (blind index)."""
    scope = _scope(actor, platform=platform)
    if scope is None:
        from relais.pharmacies.models import Pharmacy

        searched = list(Pharmacy.objects.values_list("pk", flat=True))
    else:
        searched = scope
    patient_ids = subjects.find_patients(searched, nir=nir, email=email)
    record_event(
        AuditAction.AUDIT_PATIENT_LOOKUP,
        actor=actor,
        object_type="patient",
        object_ids=patient_ids,
        details={"by_nir": bool(nir), "by_email": bool(email), "platform": platform},
    )
    if not patient_ids:
        return PatientAccesses(0, [])
    events = reports.events_about(scope, subjects.object_ids_of_patients(patient_ids))
    return PatientAccesses(len(patient_ids), events)


@service
def account_activity(
    actor: Actor, *, platform: bool, account: str, start: dt.datetime, end: dt.datetime
) -> list[AuditEvent]:
    """Everything an account (``user:12``, ``api_key:…`` or a bare user id) did."""
    scope = _scope(actor, platform=platform)
    _viewed(actor, scope, "account_activity", account=account[:80], **_period(start, end))
    return reports.account_events(scope, account, start, end)


@service
def refusals_and_alerts(
    actor: Actor, *, platform: bool, start: dt.datetime, end: dt.datetime
) -> list[AuditEvent]:
    scope = _scope(actor, platform=platform)
    _viewed(actor, scope, "refusals_and_alerts", **_period(start, end))
    return reports.refusals_and_alerts(scope, start, end)


@service
def access_report(
    actor: Actor, *, platform: bool, start: dt.datetime, end: dt.datetime
) -> Iterator[list[str]]:
    """CSV rows of every event in the period, generated lazily (streamed, never on disk)."""
    scope = _scope(actor, platform=platform)
    record_event(
        AuditAction.AUDIT_EXPORTED,
        actor=actor,
        pharmacy_id=scope[0] if scope and len(scope) == 1 else None,
        details={"report": "access", **_period(start, end)},
    )
    return reports.access_report_rows(scope, start, end)


@service
def breach_report(
    actor: Actor,
    *,
    platform: bool,
    start: dt.datetime,
    end: dt.datetime,
    account: str = "",
    pharmacy_id: int | None = None,
) -> dict[int, reports.PharmacyImpact]:
    """Per pharmacy (controller): unique persons accessed in [start, end) and data categories."""
    scope = _scope(actor, platform=platform)
    if pharmacy_id is not None:
        if scope is not None and pharmacy_id not in scope:
            raise AccessDeniedError(actor, Action.PHARMACY_AUDIT_READ, pharmacy_id)
        scope = [pharmacy_id]
    impacts = reports.breach_impact(scope, start, end, account)
    record_event(
        AuditAction.BREACH_REPORTED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        details={
            "account": account[:80],
            "pharmacies": len(impacts),
            "persons": sum(impact.person_count for impact in impacts.values()),
            **_period(start, end),
        },
    )
    return impacts


@service
def breach_persons(
    actor: Actor, *, pharmacy_id: int, start: dt.datetime, end: dt.datetime, account: str = ""
) -> Iterator[list[str]]:
    """The controller's list of affected persons, decrypted, for its duty to notify.

    Only the pharmacy's owner (or the operator's shell) may call it; the export itself is
    audited with the ids of every person listed.
    """
    require(actor, Action.PHARMACY_AUDIT_READ, pharmacy_id)
    impact = reports.breach_impact([pharmacy_id], start, end, account).get(pharmacy_id)
    patient_ids = impact.patient_ids if impact else []
    record_event(
        AuditAction.BREACH_PERSONS_EXPORTED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="patient",
        object_ids=patient_ids,
        details={"persons": len(patient_ids), **_period(start, end)},
    )
    return _person_rows(pharmacy_id, patient_ids)


def _person_rows(pharmacy_id: int, patient_ids: list[str]) -> Iterator[list[str]]:
    yield ["patient_id", *subjects.PERSON_FIELDS]
    yield from subjects.describe_patients(pharmacy_id, patient_ids)
