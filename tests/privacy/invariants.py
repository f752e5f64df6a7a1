"""Consistency checks shared by the purge tests: no orphan left by any state."""

from __future__ import annotations

from relais.privacy.forgetting import orphaned_patients
from relais.screening.models import Patient, Screening, ScreeningVersion
from relais.vault.fields import encrypted_fields


def orphans() -> list[str]:
    """What an interrupted purge must never leave behind."""
    found: list[str] = []
    emptied = Screening.objects.exclude(pk__in=ScreeningVersion.objects.values("screening_id"))
    if emptied.filter(dedup_key__isnull=False).exists():
        found.append("a blind index (dedup key) without its record")
    if orphaned_patients().exists():
        found.append("a patient identified although all its screenings were purged")
    holding = Patient.objects.filter(
        pk__in=ScreeningVersion.objects.values("screening__patient_id")
    )
    if holding.filter(identity_index__isnull=True).exists():
        found.append("a screening whose patient was cleared under it")
    for model in (Patient, ScreeningVersion):
        for row in model.objects.all():
            for field in encrypted_fields(model):
                getattr(row, field.name)  # raises if its key is gone
    return found
