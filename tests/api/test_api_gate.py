"""The edge's API gate: the key, its rate, then its scope, decided by the route table alone
before any endpoint runs — so an endpoint that checks nothing is still protected."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from relais.access.policy import Action
from relais.access.routes import ROUTES, ApiKeyRoute
from relais.audit.models import AuditEvent
from relais.http import api_gate
from relais.pharmacies.apikeys.services import revoke_api_key
from relais.pharmacies.models import PharmacyStatus
from relais.screening import services as screening_services
from tests.api.conftest import Api, Keys, valid_body
from tests.conftest import Personas


def test_the_route_table_alone_decides_which_scope_an_api_path_needs(
    keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The device list's endpoint checks nothing itself: make the table say it needs an
    action no key holds, and no key reaches it."""
    assert Api(keys["a_both"]).get("/valuesets/devices").status_code == 200
    monkeypatch.setitem(
        ROUTES, "api-v1:valueset_devices", ApiKeyRoute({"GET": Action.SCREENING_EXPORT})
    )
    refused = Api(keys["a_both"]).get("/valuesets/devices")
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:relais:problem:forbidden"


def test_a_refused_key_never_reaches_the_endpoint_and_the_refusal_is_on_record(
    keys: Keys, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_run(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the endpoint ran for a key without the scope")

    monkeypatch.setattr(screening_services, "record_screening", must_not_run)
    response = Api(keys["a_read"]).post("/screenings", valid_body(1))
    assert response.status_code == 403
    refusal = AuditEvent.objects.filter(action="access.denied").latest("id")
    assert refusal.pharmacy_id == personas.pharmacy_a.pk
    assert refusal.details == {"action": "screening.create"}
    assert (refusal.actor_type, refusal.actor_id) == ("api_key", str(keys.records["a_read"].pk))


def test_a_method_the_table_does_not_list_is_refused_before_the_key_is_looked_at(
    keys: Keys,
) -> None:
    for key in (None, keys["a_both"]):
        response = Api(key).client.put("/api/v1/screenings", b"{}", content_type="application/json")
        assert response.status_code == 405
        assert response["Allow"] == "GET, POST"
        assert response["Content-Type"] == "application/problem+json"


def test_rate_limiting_comes_before_the_scope_so_refusals_cannot_flood_the_log(
    keys: Keys, settings: Any
) -> None:
    settings.RELAIS_API_RATE_LIMIT = 2
    api = Api(keys["a_read"])
    statuses = [api.post("/screenings", valid_body(n)).status_code for n in range(4)]
    assert statuses == [403, 403, 429, 429]
    assert AuditEvent.objects.filter(action="access.denied").count() == 2


def test_the_gate_refuses_to_run_without_a_rate_limiter(
    keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api_gate, "_limiter", [])
    with pytest.raises(ImproperlyConfigured):
        Api(keys["a_both"]).get("/screenings")


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
