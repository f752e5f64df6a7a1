"""The pharmacy behind a public pre-registration link (no personal data, so no service)."""

from __future__ import annotations

from relais.pharmacies.models import PharmacyStatus
from relais.screening.models import PreRegistrationLink


def pharmacy_for_slug(slug: str) -> int | None:
    """The active pharmacy whose public slug this is, or None (unknown or suspended)."""
    return (
        PreRegistrationLink.objects.filter(slug=slug, pharmacy__status=PharmacyStatus.ACTIVE)
        .values_list("pharmacy_id", flat=True)
        .first()
    )
