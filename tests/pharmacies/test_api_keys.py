"""API keys: shown once, stored as a digest, scoped, expiring, revocable, owner-managed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from relais.access.actors import SYSTEM
from relais.access.errors import AccessDeniedError
from relais.audit.models import AuditEvent
from relais.core.fielderrors import ValidationErrors
from relais.pharmacies.apikeys.authentication import (
    PharmacySuspendedError,
    authenticate_key,
    bearer_token,
)
from relais.pharmacies.apikeys.services import create_api_key, list_api_keys, revoke_api_key
from relais.pharmacies.apikeys.tokens import digest_of, parse_key
from relais.pharmacies.models import ApiKey, PharmacyStatus
from tests.conftest import Personas


def _key(pharmacy_id: int, scopes: list[str] | None = None) -> tuple[ApiKey, str]:
    return create_api_key(SYSTEM, pharmacy_id, "LGO", scopes or ["screenings:read"])


def test_a_new_key_is_shown_once_and_stored_only_as_its_digest(personas: Personas) -> None:
    owner = personas["owner_a"]
    key, plaintext = create_api_key(
        owner.actor, personas.pharmacy_a.pk, "LGO Pharmagest", ["screenings:write"]
    )
    assert plaintext.startswith(f"rls_live_{key.prefix}_")
    assert parse_key(plaintext) == key.prefix
    stored = ApiKey.objects.get(pk=key.pk)
    assert bytes(stored.digest) == digest_of(plaintext)
    assert plaintext.encode() not in bytes(stored.digest)
    assert stored.created_by_id == owner.user.pk  # type: ignore[union-attr]
    event = AuditEvent.objects.filter(action="admin.api_key_created").latest("id")
    assert plaintext not in str(event.details) and event.object_ids == [str(key.pk)]


@pytest.mark.parametrize("persona", ["pharmacist_a", "technician_a", "owner_b", "operator"])
def test_only_the_pharmacys_owner_creates_its_keys(personas: Personas, persona: str) -> None:
    with pytest.raises(AccessDeniedError):
        create_api_key(personas[persona].actor, personas.pharmacy_a.pk, "x", ["screenings:read"])
    assert not ApiKey.objects.exists()


def test_a_key_needs_a_name_known_scopes_and_a_future_expiry(personas: Personas) -> None:
    with pytest.raises(ValidationErrors) as refused:
        create_api_key(
            personas["owner_a"].actor,
            personas.pharmacy_a.pk,
            " ",
            ["screenings:delete"],
            timezone.now() - timedelta(days=1),
        )
    assert {e.field for e in refused.value.errors} == {"name", "scopes", "expires_at"}


def test_another_pharmacys_owner_cannot_revoke_a_key_nor_learn_it_exists(
    personas: Personas,
) -> None:
    target, _plaintext = _key(personas.pharmacy_a.pk)
    with pytest.raises(AccessDeniedError) as refused:
        revoke_api_key(personas["owner_b"].actor, target.pk)
    assert str(refused.value) == "not found"
    assert ApiKey.objects.get(pk=target.pk).revoked_at is None


def test_a_key_authenticates_as_its_pharmacy_until_it_is_revoked(personas: Personas) -> None:
    key, plaintext = _key(personas.pharmacy_a.pk)
    caller = authenticate_key(plaintext)
    assert caller is not None
    assert (caller.key_id, caller.pharmacy_id, caller.prefix) == (
        key.pk,
        key.pharmacy_id,
        key.prefix,
    )
    assert caller.actor.kind == "api_key" and caller.actor.memberships.keys() == {key.pharmacy_id}
    revoke_api_key(personas["owner_a"].actor, key.pk)
    assert authenticate_key(plaintext) is None


def test_an_expired_a_mangled_and_a_malformed_key_authenticate_no_one(
    personas: Personas,
) -> None:
    expired, expired_plaintext = _key(personas.pharmacy_a.pk)
    ApiKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    _good, plaintext = _key(personas.pharmacy_a.pk)
    mangled = plaintext[:-1] + ("B" if plaintext.endswith("A") else "A")
    for presented in (expired_plaintext, mangled, "not-a-key", ""):
        assert authenticate_key(presented) is None


def test_a_suspended_pharmacys_key_is_refused_and_the_refusal_is_on_record(
    personas: Personas,
) -> None:
    _key_row, plaintext = _key(personas.pharmacy_a.pk)
    personas.pharmacy_a.status = PharmacyStatus.SUSPENDED
    personas.pharmacy_a.save()
    with pytest.raises(PharmacySuspendedError):
        authenticate_key(plaintext)
    refusal = AuditEvent.objects.get(action="access.denied", pharmacy_id=personas.pharmacy_a.pk)
    assert (refusal.outcome, refusal.details) == ("denied", {"reason": "pharmacy_suspended"})


def test_only_a_bearer_header_carries_a_token() -> None:
    assert bearer_token("Bearer rls_live_x") == "rls_live_x"
    assert bearer_token("bearer  rls_live_x ") == "rls_live_x"
    assert bearer_token("Basic dXNlcjpwdw==") is None
    assert bearer_token("Bearer ") is None
    assert bearer_token("") is None


def test_last_use_is_written_at_most_once_a_minute(personas: Personas) -> None:
    key, plaintext = _key(personas.pharmacy_a.pk)
    assert authenticate_key(plaintext) is not None
    first = ApiKey.objects.get(pk=key.pk).last_used_at
    assert first is not None
    assert authenticate_key(plaintext) is not None
    assert ApiKey.objects.get(pk=key.pk).last_used_at == first


def test_the_owner_lists_the_pharmacys_keys_without_any_secret(personas: Personas) -> None:
    own = [_key(personas.pharmacy_a.pk) for _ in range(2)]
    _other = _key(personas.pharmacy_b.pk)
    listed = list_api_keys(personas["owner_a"].actor, personas.pharmacy_a.pk)
    assert {k.pk for k in listed} == {key.pk for key, _plaintext in own}
    assert all(plaintext not in repr(listed) for _key_row, plaintext in own)
