"""Guard: every API operation, called with every kind of key, answers as the route table
says — the table alone decides, at the edge, before any endpoint runs."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import get_resolver

from relais.access.policy import API_KEY_SCOPES, Action, can
from relais.access.routes import ROUTES, ApiKeyRoute
from relais.api.operations import OPERATIONS, PUBLIC_PAGES, served_operations
from relais.pharmacies.actors import actor_for_api_key
from tests.api.conftest import Api, Keys, make_key, valid_body
from tests.conftest import Personas

# (url name, method) → (path with {id} for a screening of pharmacy A, body maker)
CALLS: dict[tuple[str, str], tuple[str, Any]] = {
    ("screenings", "POST"): ("/screenings", lambda n: valid_body(100 + n)),
    ("screenings", "GET"): ("/screenings", None),
    ("screening_batch", "POST"): ("/screenings/batch", lambda n: {"items": [valid_body(200 + n)]}),
    ("screening", "GET"): ("/screenings/{id}", None),
    ("screening_correction", "POST"): (
        "/screenings/{id}/correction",
        lambda n: {"result": "positive"},
    ),
    ("screening_cancellation", "POST"): (
        "/screenings/{id}/cancellation",
        lambda n: {"reason": "erreur"},
    ),
    ("valueset_devices", "GET"): ("/valuesets/devices", None),
    ("valueset_test_kinds", "GET"): ("/valuesets/test-kinds", None),
}
KEY_NAMES = ["none", "revoked", "expired", "a_read", "a_write", "a_both", "b_both"]


def declared() -> set[tuple[str, str]]:
    return {(name, method) for name, methods in OPERATIONS.items() for method in methods}


def test_every_operation_served_is_in_the_route_table_and_walked_here() -> None:
    served = {(name, method) for name, method, _operation in served_operations()}
    assert served == declared() == set(CALLS)
    for name, methods in OPERATIONS.items():
        assert ROUTES[f"api-v1:{name}"] == ApiKeyRoute(methods)


def test_every_api_path_resolves_to_one_name_whatever_its_methods() -> None:
    """One pattern per path: a second name on the same path could never be resolved, so its
    methods would be checked against the first name's rule."""
    api = get_resolver().namespace_dict["api-v1"][1]
    names = {n for n in api.reverse_dict if isinstance(n, str)} - set(PUBLIC_PAGES)
    assert names == set(OPERATIONS)
    routes = [str(p.pattern) for p in api.url_patterns]
    assert len(routes) == len(set(routes))


@pytest.mark.parametrize("scope", sorted(API_KEY_SCOPES))
@pytest.mark.parametrize("operation", sorted(CALLS))
def test_a_key_reaches_an_operation_only_if_one_of_its_scopes_allows_the_action(
    scope: str, operation: tuple[str, str]
) -> None:
    """Every API route and every scope, from the table: no action is reachable by a scope that
    does not list it, nor in another pharmacy."""
    action = OPERATIONS[operation[0]][operation[1]]
    actor = actor_for_api_key("k", 1, frozenset({scope}))
    assert can(actor, action, 1) == (action in API_KEY_SCOPES[scope])
    assert not can(actor, action, 2)


def _call(api: Api, operation: tuple[str, str], screening_id: str) -> Any:
    path, body = CALLS[operation]
    url = path.format(id=screening_id)
    return api.get(url) if operation[1] == "GET" else api.post(url, body(1))


def _expected(keys: Keys, key_name: str, operation: tuple[str, str]) -> set[int]:
    if key_name in {"none", "revoked", "expired"}:
        return {401}
    record = keys.records[key_name]
    actor = actor_for_api_key(str(record.pk), record.pharmacy_id, frozenset(record.scopes))
    if not can(actor, OPERATIONS[operation[0]][operation[1]], record.pharmacy_id):
        return {403}
    if "{id}" in CALLS[operation][0] and key_name.startswith("b_"):
        # Another pharmacy's screening: "not found", whether it exists or not.
        return {404}
    return {200, 201}


@pytest.mark.parametrize("operation", sorted(CALLS))
@pytest.mark.parametrize("key_name", KEY_NAMES)
def test_each_operation_answers_each_key_as_the_table_says(
    keys: Keys, personas: Personas, operation: tuple[str, str], key_name: str
) -> None:
    _key, setup_key = make_key(personas.pharmacy_a.pk, ["screenings:write"], "setup")
    created = Api(setup_key).post("/screenings", valid_body(7))
    assert created.status_code == 201
    api = Api(None if key_name == "none" else keys[key_name])
    response = _call(api, operation, created.json()["id"])
    assert response.status_code in _expected(keys, key_name, operation), response.content[:300]
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"


def test_the_table_knows_no_action_that_no_scope_grants() -> None:
    granted = set().union(*API_KEY_SCOPES.values())
    assert {a for methods in OPERATIONS.values() for a in methods.values()} <= granted
    assert Action.SCREENING_EXPORT not in granted
