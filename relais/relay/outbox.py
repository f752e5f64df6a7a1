"""The outbox: writing a transmission with each version, and claiming due ones under a lease.

Claiming is one short transaction: pick due rows with ``FOR UPDATE SKIP LOCKED``
(PostgreSQL: concurrent workers skip each other's rows instead of waiting), mark them
``sending`` under this worker's lease and bump their attempt count. On SQLite Django drops
the ``FOR UPDATE`` clause; writers are serialised by SQLite itself and one worker is the
supported set-up there.

Ordering: a version is claimable only when every earlier version of the same screening
was acknowledged or rejected, so the platform never receives a correction or cancellation
before the record it amends (a dead earlier version holds later ones until replayed).
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from relais.core.rows import insert_new
from relais.relay.models import CLAIMABLE, SETTLED, Transmission, TransmissionStatus

if TYPE_CHECKING:
    from relais.screening.models import ScreeningVersion


def new_lease_owner() -> str:
    """host:pid:random — unique per worker process run, readable in the operator's view."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def enqueue_versions(versions: Sequence[ScreeningVersion]) -> None:
    """The screening hook: queue `versions` for SI-DEP, inside the recording transaction
    (one COPY for a whole API batch)."""
    now = timezone.now()
    insert_new(
        [
            Transmission(
                pharmacy_id=version.pharmacy_id,
                version=version,
                screening_id=version.screening_id,
                version_number=version.number,
                format=settings.RELAIS_SIDEP_FORMAT,
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
            for version in versions
        ]
    )


def _due(destination: str, now: datetime) -> Q:
    return Q(destination=destination, status__in=CLAIMABLE, next_attempt_at__lte=now)


def _waits_for_earlier_version() -> Exists:
    earlier = Transmission.objects.filter(
        screening_id=OuterRef("screening_id"),
        destination=OuterRef("destination"),
        version_number__lt=OuterRef("version_number"),
    ).exclude(status__in=SETTLED)
    return Exists(earlier)


def claim(owner: str, destination: str, limit: int, lease_seconds: float) -> list[int]:
    """Claim up to `limit` due transmissions for `owner`; returns their ids."""
    now = timezone.now()
    expires = now + timedelta(seconds=lease_seconds)
    with transaction.atomic():
        candidates = (
            Transmission.objects.filter(_due(destination, now))
            .exclude(_waits_for_earlier_version())
            .order_by("next_attempt_at")
            .select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
        )
        ids = list(candidates.values_list("id", flat=True)[:limit])
        if ids:
            Transmission.objects.filter(id__in=ids).update(
                status=TransmissionStatus.SENDING,
                lease_owner=owner,
                lease_expires_at=expires,
                next_attempt_at=expires,
                attempts=F("attempts") + 1,
                updated_at=now,
            )
    return ids


def release(owner: str, ids: list[int]) -> int:
    """Give back leased rows unsent (shutdown, crash before sending): queued, due now.

    The attempt is given back too; a row whose lease was already taken over is untouched.
    """
    if not ids:
        return 0
    now = timezone.now()
    return Transmission.objects.filter(
        id__in=ids, lease_owner=owner, status=TransmissionStatus.SENDING
    ).update(
        status=TransmissionStatus.QUEUED,
        lease_owner="",
        lease_expires_at=None,
        next_attempt_at=now,
        attempts=F("attempts") - 1,
        updated_at=now,
    )
