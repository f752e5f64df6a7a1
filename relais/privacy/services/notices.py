"""Warn a pharmacy's owners before its failed items are purged.

One e-mail per pharmacy and run, naming a count and a date: never a patient, a result or
an id (the follow-up page, behind sign-in, shows which items). Each item is announced once
(an ``ExpiryWarning`` row); the mail leaves after the commit, and a mail failure is logged
without the address and never undoes the record.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from relais.access.actors import Actor
from relais.access.roles import PharmacyRole
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.pharmacies.models import Membership
from relais.privacy import schedule, selection
from relais.privacy.models import ExpiryWarning
from relais.privacy.system import require_system
from relais.vault.periods import PARIS

logger = logging.getLogger("relais.privacy")
SUBJECT = "Relais : des dépistages en échec seront bientôt effacés"


@service
def warn_failing_screenings(actor: Actor, now: datetime) -> int:
    """Record and mail the warnings due at ``now``; returns how many items were announced."""
    require_system(actor)
    announced = ExpiryWarning.objects.values("screening_id")
    soon = selection.failing_soon(now).exclude(pk__in=announced)
    by_pharmacy: dict[int, list[tuple[uuid.UUID, datetime]]] = defaultdict(list)
    for pk, pharmacy_id, failed_at in soon.values_list("pk", "pharmacy_id", "failed_at"):
        by_pharmacy[pharmacy_id].append((pk, failed_at))
    limit = timedelta(days=schedule.failed_days())
    for pharmacy_id, items in by_pharmacy.items():
        purge_on = min(failed_at for _, failed_at in items) + limit
        ExpiryWarning.objects.bulk_create(
            ExpiryWarning(
                screening_id=pk, pharmacy_id=pharmacy_id, purge_on=at + limit, warned_at=now
            )
            for pk, at in items
        )
        _mail_owners(pharmacy_id, len(items), purge_on)
        record_event(
            AuditAction.RETENTION_WARNING_SENT,
            actor=actor,
            pharmacy_id=pharmacy_id,
            object_type="screening",
            object_ids=[pk for pk, _ in items],
            details={"count": len(items), "purge_on": purge_on.isoformat()},
        )
    if not by_pharmacy:
        record_event(
            AuditAction.RETENTION_WARNING_SENT, actor=actor, outcome="none", details={"count": 0}
        )
    return sum(len(items) for items in by_pharmacy.values())


def _owner_addresses(pharmacy_id: int) -> list[str]:
    rows = Membership.objects.filter(
        pharmacy_id=pharmacy_id, role=PharmacyRole.OWNER, is_active=True, user__is_active=True
    ).values_list("user__email", flat=True)
    return sorted(rows)


def _mail_owners(pharmacy_id: int, count: int, purge_on: datetime) -> None:
    addresses = _owner_addresses(pharmacy_id)
    if not addresses:
        return
    body = render_to_string(
        "privacy/email/failing_soon.txt",
        {"count": count, "purge_on": purge_on.astimezone(PARIS).date()},
    )

    def deliver() -> None:
        try:
            send_mail(SUBJECT, body, settings.DEFAULT_FROM_EMAIL, addresses)
        except OSError:
            logger.warning("retention warning for pharmacy %s could not be sent", pharmacy_id)

    transaction.on_commit(deliver)
