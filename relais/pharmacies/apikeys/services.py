"""API key management: only a pharmacy's owner creates, lists or revokes its keys (audited).

The views in front of these services demand a recent re-authentication
(`relais.accounts.reauth`); the services check the permission table themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from relais.access.actors import Actor
from relais.access.errors import AccessDeniedError
from relais.access.policy import API_KEY_SCOPES, Action, can, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.fielderrors import FieldError, ValidationErrors
from relais.core.services import service
from relais.pharmacies.apikeys.tokens import display, new_key
from relais.pharmacies.models import ApiKey

MAX_NAME_LENGTH = 100


class ApiKeyNotFoundError(AccessDeniedError):
    """No such key for this actor: missing or another pharmacy's (same answer)."""

    def __str__(self) -> str:
        return "not found"


@service
def create_api_key(
    actor: Actor,
    pharmacy_id: int,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """A new key and its plaintext, which is returned here once and stored nowhere."""
    require(actor, Action.APIKEY_MANAGE, pharmacy_id)
    clean_name, clean_scopes = _validated(name, scopes, expires_at)
    issued = new_key()
    key = ApiKey.objects.create(
        pharmacy_id=pharmacy_id,
        name=clean_name,
        prefix=issued.prefix,
        digest=issued.digest,
        scopes=clean_scopes,
        expires_at=expires_at,
        created_by_id=int(actor.id) if actor.kind == "user" else None,
    )
    record_event(
        AuditAction.API_KEY_CREATED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="api_key",
        object_ids=[key.pk],
        details={"prefix": display(key.prefix), "scopes": " ".join(clean_scopes)},
    )
    return key, issued.plaintext


def _validated(
    name: str, scopes: Iterable[str], expires_at: datetime | None
) -> tuple[str, list[str]]:
    errors: list[FieldError] = []
    clean_name = name.strip() if isinstance(name, str) else ""
    if not clean_name or len(clean_name) > MAX_NAME_LENGTH:
        errors.append(FieldError("name", "api_key.name_invalid", {"max": MAX_NAME_LENGTH}))
    clean_scopes = sorted(set(scopes))
    if not clean_scopes or not set(clean_scopes) <= set(API_KEY_SCOPES):
        errors.append(FieldError("scopes", "api_key.scopes_invalid"))
    if expires_at is not None and expires_at <= timezone.now():
        errors.append(FieldError("expires_at", "api_key.expiry_past"))
    if errors:
        raise ValidationErrors(errors)
    return clean_name, clean_scopes


@service
def revoke_api_key(actor: Actor, key_id: int) -> ApiKey:
    """Revoke at once (the next request with it is refused); revoking twice is harmless."""
    key = ApiKey.objects.select_for_update().filter(pk=key_id).first()
    if key is None or not can(actor, Action.APIKEY_MANAGE, key.pharmacy_id):
        raise ApiKeyNotFoundError(actor, Action.APIKEY_MANAGE, key.pharmacy_id if key else None)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
    record_event(
        AuditAction.API_KEY_REVOKED,
        actor=actor,
        pharmacy_id=key.pharmacy_id,
        object_type="api_key",
        object_ids=[key.pk],
        details={"prefix": display(key.prefix)},
    )
    return key


@service
def list_api_keys(actor: Actor, pharmacy_id: int) -> list[ApiKey]:
    """The pharmacy's keys, newest first (prefixes, scopes, dates; never a secret)."""
    require(actor, Action.APIKEY_MANAGE, pharmacy_id)
    keys = list(ApiKey.objects.filter(pharmacy_id=pharmacy_id).order_by("-created_at", "-id"))
    record_event(
        AuditAction.API_CALL,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="api_key",
        object_ids=[k.pk for k in keys],
        details={"view": "api_keys"},
    )
    return keys
