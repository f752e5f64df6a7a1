"""Reading the imported EU value sets (reference data: no access check, no audit)."""

from __future__ import annotations

from relais.screening.models.valuesets import DEVICE_VALUE_SET, ValueSetEntry
from relais.screening.submission import Device


def device_lookup(code: str) -> Device | None:
    """The device with JRC id `code`, active or not, or None if the list never named it."""
    row = (
        ValueSetEntry.objects.filter(value_set=DEVICE_VALUE_SET, code=code)
        .values_list("label", "active")
        .first()
    )
    return None if row is None else Device(jrc_id=code, label=row[0], active=row[1])


def active_devices() -> list[Device]:
    """Every active device, by label: the choices of a counter form or of the API."""
    rows = ValueSetEntry.objects.filter(value_set=DEVICE_VALUE_SET, active=True).order_by("label")
    return [Device(jrc_id=r.code, label=r.label, active=True) for r in rows]
