"""The correction form of a screening: prefilled from its current version, and only what
the pharmacist changed is sent, so an untouched field never becomes a new "change"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from relais.screening.readmodels import ScreeningView
from relais.web.forms import PARIS, local_time, typed_date

PATIENT_TEXT = ("last_name", "sex", "birth_date", "email", "phone")


def correction_values(view: ScreeningView) -> dict[str, str]:
    """Form values of the current version (the NIR stays blank: shown masked only)."""
    current, patient = view.current, view.patient
    return {
        "last_name": patient.last_name,
        "first_names": ", ".join(patient.first_names),
        "sex": patient.sex,
        "birth_date": patient.birth_date.isoformat(),
        "email": patient.email or "",
        "phone": patient.phone or "",
        "nir": "",
        "device_id": current.device_id,
        "sampled_at": current.sampled_at.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M"),
        "result": current.result,
        "symptoms": "on" if current.symptoms else "",
        "symptoms_onset": current.symptoms_onset.isoformat() if current.symptoms_onset else "",
        "consent": "on" if current.consent else "",
    }


def _posted(post: Mapping[str, Any], name: str) -> str:
    value = post.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def correction_changes(post: Mapping[str, Any], view: ScreeningView) -> dict[str, Any]:
    """The fields that differ from the current version, in `correct_screening`'s shape."""
    before = correction_values(view)
    changes: dict[str, Any] = {}
    for name in ("device_id", "result", "symptoms_onset"):
        if _posted(post, name) != before[name]:
            changes[name] = _posted(post, name) or None
    if _posted(post, "sampled_at") != before["sampled_at"]:
        changes["sampled_at"] = local_time(_posted(post, "sampled_at"))
    if (post.get("symptoms") == "on") != (before["symptoms"] == "on"):
        changes["symptoms"] = post.get("symptoms") == "on"
        changes.setdefault("symptoms_onset", _posted(post, "symptoms_onset") or None)
    patient = _patient_changes(post, before)
    if patient:
        changes["patient"] = patient
    changes["notes"] = _posted(post, "notes")
    return changes


def _patient_changes(post: Mapping[str, Any], before: Mapping[str, str]) -> dict[str, Any]:
    patient: dict[str, Any] = {}
    for name in PATIENT_TEXT:
        value = _posted(post, name)
        if name == "birth_date":
            value = typed_date(value) or ""
        if value != before[name]:
            patient[name] = value or None
    if _posted(post, "first_names") != before["first_names"]:
        patient["first_names"] = _posted(post, "first_names")
    if _posted(post, "nir"):
        patient["nir"] = _posted(post, "nir")
        patient["no_nir_reason"] = None
    return patient
