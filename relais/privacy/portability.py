"""What Relais holds about one patient, as a plain structure, JSON and PDF (in memory).

Built inside the audited ``export_subject`` service only. The export is the person's own
data, so the NIR is shown in full; it holds nothing about anyone else: one patient row of
one pharmacy (each pharmacy is the controller of its own patients), its screenings, their
versions and transmissions. Pre-registrations are not linked to a person and live 48 hours.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from fpdf import FPDF

from relais.core.pdf import as_bytes, latin1, new_document
from relais.privacy import schedule
from relais.relay.models import Transmission
from relais.screening.models import Patient, Screening, ScreeningVersion
from relais.vault.fields import encrypted_fields

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True, repr=False)
class SubjectData:
    patient_id: str
    pharmacy: dict[str, str]
    patient: dict[str, Any]
    screenings: list[dict[str, Any]] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"SubjectData({self.patient_id}, <personal data hidden>)"

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": f"relais-subject-access/{FORMAT_VERSION}",
            "generated_at": dt.datetime.now(tz=dt.UTC).isoformat(),
            "controller": self.pharmacy,
            "processor": "Relais",
            "patient_id": self.patient_id,
            "patient": self.patient,
            "screenings": self.screenings,
            "retention": {rule.key: rule.retention for rule in schedule.schedule()},
        }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _patient(record: Patient) -> dict[str, Any]:
    data = {f.name: _plain(getattr(record, f.name)) for f in encrypted_fields(Patient)}
    data["recorded_at"] = record.created_at.isoformat()
    return data


def _version(version: ScreeningVersion) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": version.number,
        "action": version.action,
        "created_at": version.created_at.isoformat(),
        "device_id": version.device_id,
        "device_label": version.device_label,
    }
    data.update(
        {f.name: _plain(getattr(version, f.name)) for f in encrypted_fields(ScreeningVersion)}
    )
    return data


def _transmission(row: Transmission) -> dict[str, Any]:
    return {
        "version_number": row.version_number,
        "message_id": str(row.message_id),
        "destination": row.destination,
        "status": row.status,
        "acknowledged_at": _plain(row.acknowledged_at),
        "platform_reference": row.platform_reference,
        "reasons": list(row.reasons or []),
    }


def _screening(screening: Screening) -> dict[str, Any]:
    sent = Transmission.objects.filter(screening_id=screening.pk).order_by("version_number", "id")
    return {
        "id": str(screening.pk),
        "kind": screening.kind,
        "status": screening.status,
        "recorded_at": screening.created_at.isoformat(),
        "external_ref": screening.external_ref,
        "versions": [_version(v) for v in screening.versions.order_by("number")],
        "transmissions": [_transmission(t) for t in sent],
    }


def collect(patient: Patient) -> SubjectData:
    pharmacy = patient.pharmacy
    screenings = Screening.objects.filter(patient=patient).order_by("created_at", "pk")
    return SubjectData(
        patient_id=str(patient.pk),
        pharmacy={"name": pharmacy.name, "finess": pharmacy.finess},
        patient=_patient(patient),
        screenings=[_screening(s) for s in screenings],
    )


def as_json(data: SubjectData) -> bytes:
    return json.dumps(data.as_dict(), ensure_ascii=False, indent=2).encode("utf-8")


def _lines(prefix: str, mapping: dict[str, Any]) -> list[str]:
    return [f"{prefix}{key}: {'' if value is None else value}" for key, value in mapping.items()]


def as_pdf(data: SubjectData) -> bytes:
    """A readable copy: the same content as the JSON, one line per field."""
    pdf: FPDF = new_document("Relais - droit d'accès")
    pdf.set_font("Helvetica", "B", 13)
    title = f"Données détenues par Relais pour {data.pharmacy['name']} ({data.pharmacy['finess']})"
    pdf.multi_cell(0, 7, latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    lines = [f"Patient {data.patient_id}", *_lines("  ", data.patient)]
    for screening in data.screenings:
        head = {k: v for k, v in screening.items() if k not in {"versions", "transmissions"}}
        lines += ["", f"Dépistage {screening['id']}", *_lines("  ", head)]
        for version in screening["versions"]:
            lines += [f"  Version {version['number']}", *_lines("    ", version)]
        for sent in screening["transmissions"]:
            lines += [f"  Transmission {sent['message_id']}", *_lines("    ", sent)]
    for line in lines:
        pdf.multi_cell(0, 5, latin1(str(line)), new_x="LMARGIN", new_y="NEXT")
    return as_bytes(pdf)
