"""The audit app's scheduled jobs (run by ``relais worker``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from relais.access.actors import SYSTEM
from relais.audit.sealer import seal_pending
from relais.audit.services_upkeep import purge_audit_events

DEFAULT_RETENTION_DAYS = 365


def run_retention() -> int:
    """Daily: purge events past the retention period, then seal (which checkpoints it)."""
    days = int(getattr(settings, "RELAIS_AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))
    purged = purge_audit_events(SYSTEM, timezone.now() - dt.timedelta(days=days))
    seal_pending()
    return purged
