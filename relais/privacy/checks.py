"""System checks of the privacy app: every retention period within its legal bounds, and in
production the processor's identity that the compliance sheets show.

Django runs them with `relais check` and before `relais migrate`; `relais serve` and
`relais worker` run them before starting (relais.core.startup). A period out of bounds
stops the process there, before any purge could keep data too long or delete it too early;
the schedule checks the same bounds again whenever it is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error

from relais.privacy import bounds

TAG = "relais"
PROCESSOR_IDENTITY = {
    "RELAIS_HOSTING_PROVIDER": "the HDS-certified host of the data",
    "RELAIS_DPO_CONTACT": "the processor's DPO contact",
}


def check_retention_bounds(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Each configured period within its bounds; a warning before the purge it announces."""
    errors: list[CheckMessage] = [e for bound in bounds.ALL_BOUNDS if (e := _out_of_bounds(bound))]
    if errors:
        return errors
    try:
        bounds.check_warning_fits(
            int(settings.RELAIS_RETENTION_WARNING_DAYS), int(settings.RELAIS_RETENTION_FAILED_DAYS)
        )
    except ValueError as exc:
        return [Error(str(exc), id="privacy.E002")]
    return []


def _out_of_bounds(bound: bounds.Bound) -> Error | None:
    value = getattr(settings, bound.setting, None)
    try:
        bound.check(int(str(value)))
    except ValueError as exc:
        why = str(exc) if value is not None else f"{bound.setting} is not set."
        return Error(why, hint=f"Set {bound.setting} within the bounds.", id="privacy.E001")
    return None


def check_processor_identity(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """In production, the host and the DPO named on every pharmacy's compliance sheet."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    return [
        Error(
            f"{name} is required in production ({what} appears on every pharmacy's "
            "compliance sheet).",
            id="privacy.E003",
        )
        for name, what in PROCESSOR_IDENTITY.items()
        if not str(getattr(settings, name, "") or "").strip()
    ]


SYSTEM_CHECKS = (check_retention_bounds, check_processor_identity)
