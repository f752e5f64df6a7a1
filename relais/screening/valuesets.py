"""Reading the imported EU value sets (reference data: no access check, no audit).

Every submission names a device, so lookups are cached in process memory for
`DEVICE_CACHE_SECONDS`: an import clears this process's cache at once, and other processes
see a withdrawn device refused at most that long after the import (the value set itself is
published days apart).
"""

from __future__ import annotations

from relais.screening.models.valuesets import DEVICE_VALUE_SET, ValueSetEntry
from relais.screening.submission import Device
from relais.vault.cache import TtlLru

DEVICE_CACHE_SECONDS = 60
_MISSING = Device(jrc_id="", label="", active=False)
_devices: TtlLru[str, Device] = TtlLru(max_entries=2048, ttl=DEVICE_CACHE_SECONDS)


def device_lookup(code: str) -> Device | None:
    """The device with JRC id `code`, active or not, or None if the list never named it."""
    cached = _devices.get(code)
    if cached is None:
        cached = _stored_device(code) or _MISSING
        _devices.put(code, cached)
    return None if cached is _MISSING else cached


def clear_device_cache() -> None:
    _devices.clear()


def _stored_device(code: str) -> Device | None:
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
