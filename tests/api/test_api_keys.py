"""API keys: shown once, stored as a digest, scoped, expiring, revocable, owner-managed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from relais.access.errors import AccessDeniedError
from relais.api.auth import authenticate_key
from relais.api.keys import digest_of, parse_key
from relais.api.models import ApiKey
from relais.api.services import create_api_key, list_api_keys, revoke_api_key
from relais.audit.models import AuditEvent
from relais.core.fielderrors import ValidationErrors
from relais.pharmacies.models import PharmacyStatus
from tests.api.conftest import Api, Keys
from tests.conftest import Personas


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
    keys: Keys, personas: Personas
) -> None:
    target = keys.records["a_both"]
    with pytest.raises(AccessDeniedError) as refused:
        revoke_api_key(personas["owner_b"].actor, target.pk)
    assert str(refused.value) == "not found"
    assert ApiKey.objects.get(pk=target.pk).revoked_at is None


def test_a_revoked_key_is_refused_on_the_very_next_request(keys: Keys, personas: Personas) -> None:
    api = Api(keys["a_both"])
    assert api.get("/screenings").status_code == 200
    revoke_api_key(personas["owner_a"].actor, keys.records["a_both"].pk)
    response = api.get("/screenings")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["type"] == "urn:relais:problem:unauthenticated"


def test_an_expired_key_and_a_malformed_one_are_refused_alike(keys: Keys) -> None:
    expired = Api(keys["expired"]).get("/screenings")
    good = keys["a_both"]
    mangled = Api(good[:-1] + ("B" if good.endswith("A") else "A")).get("/screenings")
    garbage = Api("not-a-key").get("/screenings")
    assert expired.status_code == mangled.status_code == garbage.status_code == 401
    assert expired.json()["title"] == mangled.json()["title"]


def test_a_suspended_pharmacys_keys_are_refused_with_403(keys: Keys, personas: Personas) -> None:
    personas.pharmacy_a.status = PharmacyStatus.SUSPENDED
    personas.pharmacy_a.save()
    response = Api(keys["a_both"]).get("/screenings")
    assert response.status_code == 403
    assert response.json()["type"] == "urn:relais:problem:pharmacy-suspended"
    refusal = AuditEvent.objects.get(action="access.denied", pharmacy_id=personas.pharmacy_a.pk)
    assert (refusal.outcome, refusal.details) == ("denied", {"reason": "pharmacy_suspended"})


def test_last_use_is_written_at_most_once_a_minute(keys: Keys) -> None:
    assert authenticate_key(keys["a_read"]) is not None
    first = ApiKey.objects.get(pk=keys.records["a_read"].pk).last_used_at
    assert first is not None
    assert authenticate_key(keys["a_read"]) is not None
    assert ApiKey.objects.get(pk=keys.records["a_read"].pk).last_used_at == first


def test_the_owner_lists_keys_without_any_secret(keys: Keys, personas: Personas) -> None:
    listed = list_api_keys(personas["owner_a"].actor, personas.pharmacy_a.pk)
    assert {k.pk for k in listed} == {
        k.pk for name, k in keys.records.items() if not name.startswith("b_")
    }
    assert all(keys[name] not in repr(listed) for name in keys.plaintext)
