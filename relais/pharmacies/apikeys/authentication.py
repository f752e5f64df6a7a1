"""A presented API key → who is calling, checked on every request.

No cache: a revoked key, an expired one or a suspended pharmacy is refused on the very
next request. `last_used_at` is written at most once a minute per key, not per request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from relais.access.actors import Actor
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.rows import select_where
from relais.pharmacies.actors import actor_for_api_key
from relais.pharmacies.apikeys.tokens import display, matches, parse_key
from relais.pharmacies.models import ApiKey, Pharmacy, PharmacyStatus

logger = logging.getLogger("relais.pharmacies.apikeys")
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class ApiCaller:
    """Who is calling: the key's actor, its pharmacy and its public prefix."""

    actor: Actor
    key_id: int
    pharmacy_id: int
    prefix: str


class PharmacySuspendedError(Exception):
    """A valid key of a suspended pharmacy: refused (and on record), unlike an unknown key."""


def bearer_token(authorization: str) -> str | None:
    """The token of an `Authorization: Bearer …` header, or None."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


_OF_ACTIVE_PHARMACY = (
    "prefix = %s AND EXISTS (SELECT 1 FROM "  # noqa: S608 - table name from the model
    f"{Pharmacy._meta.db_table} p WHERE p.id = pharmacy_id AND p.status = %s)"
)


def authenticate_key(presented: str) -> ApiCaller | None:
    """The caller behind a key; None when malformed, unknown, revoked or expired.

    Raises `PharmacySuspendedError` for a valid key of a suspended pharmacy."""
    prefix = parse_key(presented)
    if prefix is None:
        return None
    # Every request: one statement, no queryset. A key of an active pharmacy is the
    # common case; only when none is found is the key looked up alone, to tell a
    # suspended pharmacy (refused, audited) from an unknown key.
    found = select_where(ApiKey, _OF_ACTIVE_PHARMACY, [prefix, PharmacyStatus.ACTIVE])
    active = bool(found)
    if not active:
        found = select_where(ApiKey, "prefix = %s", [prefix])
    now = timezone.now()
    if not found or not matches(presented, found[0].digest):
        return None
    key = found[0]
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        logger.info("api key refused (revoked or expired) key=%s", display(prefix))
        return None
    actor = actor_for_api_key(str(key.pk), key.pharmacy_id, frozenset(key.scopes))
    if not active:
        _audit_suspended(actor, key.pharmacy_id)
        raise PharmacySuspendedError(display(prefix))
    _touch(key, now)
    return ApiCaller(actor, key.pk, key.pharmacy_id, prefix)


def _audit_suspended(actor: Actor, pharmacy_id: int) -> None:
    """A valid key of a suspended pharmacy is a refused access: on record, like any other."""
    with transaction.atomic():
        record_event(
            AuditAction.ACCESS_DENIED,
            actor=actor,
            pharmacy_id=pharmacy_id,
            outcome="denied",
            details={"reason": "pharmacy_suspended"},
        )


def _touch(key: ApiKey, now: datetime) -> None:
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
