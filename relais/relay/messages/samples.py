"""Deterministic sample screenings: golden files, the demo, benchmarks.

Identifiers are valid (FINESS Luhn key, NIR key), so a sample is accepted by the simulator;
`number` varies the message id so samples never collide.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any, Final

from relais.relay.messages.canonical import (
    Address,
    CanonicalScreening,
    Patient,
    Pharmacy,
    Practitioner,
)

PARIS_WINTER: Final = timezone(timedelta(hours=1))
SAMPLE_NAMESPACE: Final = uuid.UUID("0b5e7c52-1f0e-4d0e-8f6a-6d3c1e9b2a10")
SAMPLE_PHARMACY: Final = Pharmacy(finess="130000128", name="Pharmacie de l'Église")
SAMPLE_NIR: Final = "180017512345660"
CORSICAN_NIR: Final = "269052A00401228"


def sample_message_id(number: int) -> str:
    """A stable UUID for sample `number`."""
    return str(uuid.uuid5(SAMPLE_NAMESPACE, f"sample-{number}"))


def sample_screening(number: int = 0, **changes: Any) -> CanonicalScreening:
    """A complete, valid screening; `changes` replace top-level fields."""
    screening = CanonicalScreening(
        message_id=sample_message_id(number),
        screening_id=f"scr-{number:06d}",
        version=1,
        action="create",
        pharmacy=SAMPLE_PHARMACY,
        practitioner=Practitioner(name="Anne Dupré", rpps="10001234567"),
        patient=Patient(
            last_name="Le Goff-N'Diaye",
            first_names=("Jean-Luc", "Émile"),
            sex="M",
            birth_date=date(1980, 1, 17),
            nir=SAMPLE_NIR,
            email="patient@example.org",
            phone="+33612345678",
            address=Address(
                lines=("12 rue de la Paix", "Bât. B"), postal_code="75002", city="Paris"
            ),
        ),
        test_kind="rapid_antigen",
        device_name="Panbio COVID-19 Ag Rapid Test Device",
        device_id="1232",
        sampled_at=datetime(2021, 3, 1, 10, 30, tzinfo=PARIS_WINTER),
        result="negative",
        symptoms=True,
        symptoms_onset=date(2021, 2, 27),
    )
    return replace(screening, **changes) if changes else screening
