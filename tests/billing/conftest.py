"""Billing fixtures: transmissions settled at chosen instants, without any patient data."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from relais.access.actors import SYSTEM
from relais.billing.periods import PARIS
from relais.pharmacies.models import Pharmacy
from relais.relay.models import Transmission, TransmissionStatus

# A moment well after every month the tests bill (statements are issued once a month is over).
LATER = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def paris(*parts: int) -> dt.datetime:
    """A Paris wall-clock time: paris(2026, 3, 31, 23, 59)."""
    return dt.datetime(*parts, tzinfo=PARIS)  # type: ignore[misc]


def settle(
    pharmacy: Pharmacy,
    at: dt.datetime,
    *,
    version_number: int = 1,
    status: str = TransmissionStatus.ACKNOWLEDGED,
    created_at: dt.datetime | None = None,
) -> Transmission:
    """A transmission settled by the platform at ``at`` (acknowledged unless told)."""
    acknowledged = status == TransmissionStatus.ACKNOWLEDGED
    return Transmission.objects.create(
        pharmacy=pharmacy,
        version=None,
        screening_id=uuid.uuid4(),
        version_number=version_number,
        format="fhir",
        status=status,
        acknowledged_at=at if acknowledged else None,
        created_at=created_at or at,
        updated_at=at,
    )


@pytest.fixture
def pharmacy(db: None) -> Pharmacy:
    return Pharmacy.objects.create(name="Pharmacie du Marché", finess="690000013")


@pytest.fixture
def other_pharmacy(db: None) -> Pharmacy:
    return Pharmacy.objects.create(name="Pharmacie des Quais", finess="130000029")


__all__ = ["LATER", "SYSTEM", "paris", "settle"]
