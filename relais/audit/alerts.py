"""Bulk-read alerts and canary hits, evaluated by the sealer on every sealed batch.

Doing it in the sealer keeps the submission path free of extra queries: an alert comes
within seconds of the reads (the sealer runs every ~2 s), with one query per batch for the
bulk-read window. Alerts are events (``audit.alert_raised``, ids and counts only) and
e-mails to the pharmacy's owners and the operators — never any personal data.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from relais.access.actors import SYSTEM
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.audit.leaves import EVENT_COLUMNS
from relais.audit.models import AuditEvent, CanaryRecord
from relais.audit.subjects import READ_ACTIONS, persons_by_object, persons_in

logger = logging.getLogger("relais.audit")
_ID, _TIME, _KIND, _ACTOR, _PHARMACY, _ACTION, _TYPE, _IDS = range(8)
assert EVENT_COLUMNS[_IDS] == "object_ids"  # noqa: S101 - the indexes follow EVENT_COLUMNS


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str  # "bulk_read" | "large_export" | "canary"
    actor: str
    pharmacy_id: int | None
    count: int
    event_id: int


def check_sealed_batch(rows: Sequence[tuple[object, ...]]) -> None:
    """The sealer hook: raise every alert this batch of events deserves."""
    reads = [row for row in rows if row[_ACTION] in READ_ACTIONS and row[_KIND] != "system"]
    if not reads:
        return
    for alert in [*canary_hits(reads), *large_exports(reads), *bulk_reads(reads)]:
        raise_alert(alert)


def _label(row: tuple[object, ...]) -> str:
    return f"{row[_KIND]}:{row[_ACTOR]}"


def _pharmacy(row: tuple[object, ...]) -> int | None:
    value = row[_PHARMACY]
    return value if isinstance(value, int) else None


def _ids(row: tuple[object, ...]) -> list[str]:
    value = row[_IDS]
    return [str(item) for item in value] if isinstance(value, list) else []


def canary_hits(reads: Sequence[tuple[object, ...]]) -> list[Alert]:
    canaries = {
        f"{kind}:{object_id}"
        for kind, object_id in CanaryRecord.objects.values_list("object_type", "object_id")
    }
    if not canaries:
        return []
    alerts = []
    for row in reads:
        object_type, ids = str(row[_TYPE]), _ids(row)
        touched = {f"{object_type}:{object_id}" for object_id in ids}
        touched.update(persons_by_object(object_type, ids).values())
        hits = touched & canaries
        if hits:
            alerts.append(
                Alert("canary", _label(row), _pharmacy(row), len(hits), int(str(row[_ID])))
            )
    return alerts


def large_exports(reads: Sequence[tuple[object, ...]]) -> list[Alert]:
    limit = int(getattr(settings, "RELAIS_AUDIT_EXPORT_LIMIT", 1000))
    return [
        Alert("large_export", _label(row), _pharmacy(row), len(_ids(row)), int(str(row[_ID])))
        for row in reads
        if row[_ACTION] == str(AuditAction.SCREENINGS_EXPORTED) and len(_ids(row)) > limit
    ]


def bulk_reads(reads: Sequence[tuple[object, ...]]) -> list[Alert]:
    """Accounts that read more distinct persons than allowed within the window."""
    limit = int(getattr(settings, "RELAIS_AUDIT_BULK_READ_LIMIT", 200))
    window = dt.timedelta(
        seconds=int(getattr(settings, "RELAIS_AUDIT_BULK_READ_WINDOW_SECONDS", 600))
    )
    latest: dict[tuple[str, str], tuple[object, ...]] = {}
    for row in reads:
        latest[(str(row[_KIND]), str(row[_ACTOR]))] = row
    newest = max(row[_TIME] for row in reads)  # type: ignore[type-var]
    recent = AuditEvent.objects.filter(
        occurred_at__gte=newest - window,  # type: ignore[operator]
        # Bounded above too: after a sealer backlog, later events must not be rescanned on
        # every batch (catching up would slow down quadratically).
        occurred_at__lte=newest,
        action__in=sorted(READ_ACTIONS),
        actor_id__in=sorted({actor_id for _, actor_id in latest}),
    ).values_list("actor_type", "actor_id", "object_type", "object_ids")
    by_actor: dict[tuple[str, str], list[tuple[str, list[str]]]] = defaultdict(list)
    for kind, actor_id, object_type, ids in recent.iterator(chunk_size=2000):
        if (kind, actor_id) in latest:
            by_actor[(kind, actor_id)].append((object_type, ids))
    alerts = []
    for key, pairs in by_actor.items():
        if sum(len(ids) for _, ids in pairs if isinstance(ids, list)) <= limit:
            continue  # cheap bound first: no more ids than the limit, no more persons
        persons = len(persons_in(pairs))
        if persons > limit and not _already_alerted(key, "bulk_read", window):
            row = latest[key]
            alerts.append(
                Alert("bulk_read", _label(row), _pharmacy(row), persons, int(str(row[_ID])))
            )
    return alerts


def _already_alerted(key: tuple[str, str], kind: str, window: dt.timedelta) -> bool:
    from django.utils import timezone

    return AuditEvent.objects.filter(
        action=str(AuditAction.ALERT_RAISED),
        occurred_at__gte=timezone.now() - window,
        details__kind=kind,
        details__actor=f"{key[0]}:{key[1]}",
    ).exists()


def raise_alert(alert: Alert) -> None:
    record_event(
        AuditAction.ALERT_RAISED,
        actor=SYSTEM,
        pharmacy_id=alert.pharmacy_id,
        object_type="audit_event",
        object_ids=[alert.event_id],
        outcome="alert",
        details={"kind": alert.kind, "actor": alert.actor, "count": alert.count},
    )
    recipients = alert_recipients(alert.pharmacy_id)
    if recipients:
        transaction.on_commit(lambda: _mail(alert, recipients))


def alert_recipients(pharmacy_id: int | None) -> list[str]:
    from relais.accounts.models import User
    from relais.pharmacies.models import Membership

    emails = set(getattr(settings, "RELAIS_AUDIT_ALERT_EMAILS", []) or [])
    operators = User.objects.filter(platform_role="operator", is_active=True)
    emails.update(operators.values_list("email", flat=True))
    if pharmacy_id is not None:
        owners = Membership.objects.filter(pharmacy_id=pharmacy_id, role="owner", is_active=True)
        emails.update(owners.values_list("user__email", flat=True))
    return sorted(email for email in emails if email)


_SUBJECTS = {
    "bulk_read": "Relais : alerte — lecture massive de dossiers",
    "large_export": "Relais : alerte — export volumineux",
    "canary": "Relais : alerte — accès à un dossier témoin",
}


def _mail(alert: Alert, recipients: list[str]) -> None:
    """Ids and counts only: the reader signs in to Relais to see more."""
    body = (
        f"Type d'alerte : {alert.kind}\n"
        f"Compte : {alert.actor}\n"
        f"Pharmacie (id) : {alert.pharmacy_id if alert.pharmacy_id is not None else '-'}\n"
        f"Nombre : {alert.count}\n"
        f"Événement déclencheur : {alert.event_id}\n\n"
        "Consultez le journal d'audit dans Relais pour le détail.\n"
    )
    try:
        send_mail(_SUBJECTS[alert.kind], body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError:
        logger.exception("audit alert e-mail not sent (event %s)", alert.event_id)
