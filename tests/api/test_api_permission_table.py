"""Guard: every API operation, called with every kind of key, answers as the table says."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import get_resolver

from relais.access.policy import Action, can
from relais.access.routes import ROUTES, ApiKeyRoute
from relais.api.auth import authenticate_key
from relais.api.urls import OPERATION_ACTIONS
from tests.api.conftest import Api, Keys, make_key, valid_body
from tests.conftest import Personas

# url name → (method, path with {id} for a screening of pharmacy A, body maker)
OPERATIONS: dict[str, tuple[str, str, Any]] = {
    "screening_create": ("post", "/screenings", lambda n: valid_body(100 + n)),
    "screening_batch": ("post", "/screenings/batch", lambda n: {"items": [valid_body(200 + n)]}),
    "screening_list": ("get", "/screenings", None),
    "screening_detail": ("get", "/screenings/{id}", None),
    "screening_correct": ("post", "/screenings/{id}/correction", lambda n: {"result": "positive"}),
    "screening_cancel": ("post", "/screenings/{id}/cancellation", lambda n: {"reason": "erreur"}),
    "valueset_devices": ("get", "/valuesets/devices", None),
    "valueset_test_kinds": ("get", "/valuesets/test-kinds", None),
}
ON_A_SCREENING = {"screening_detail", "screening_correct", "screening_cancel"}


def api_url_names() -> set[str]:
    """Every URL name under the api-v1 namespace, as Django resolves them."""
    api = get_resolver().namespace_dict["api-v1"][1]
    names = {n for n in api.reverse_dict if isinstance(n, str)}
    return names - {"openapi-json", "openapi-view", "api-root"}


def test_every_api_operation_is_in_the_route_table_and_walked_here() -> None:
    assert api_url_names() == set(OPERATION_ACTIONS) == set(OPERATIONS)
    for name in OPERATIONS:
        assert isinstance(ROUTES[f"api-v1:{name}"], ApiKeyRoute)


def _call(api: Api, name: str, screening_id: str, n: int) -> Any:
    method, path, body = OPERATIONS[name]
    url = path.format(id=screening_id)
    if method == "get":
        return api.get(url)
    return api.post(url, body(n))


def _expected(keys: Keys, key_name: str, name: str) -> set[int]:
    if key_name in {"none", "revoked", "expired"}:
        return {401}
    caller = authenticate_key(keys[key_name])
    assert caller is not None
    action = ROUTES[f"api-v1:{name}"].action  # type: ignore[union-attr]
    if not can(caller.actor, action, caller.pharmacy_id):
        return {403}
    if name in ON_A_SCREENING and (
        key_name.startswith("b_")
        or not can(caller.actor, Action.SCREENING_READ, caller.pharmacy_id)
    ):
        # Another pharmacy's screening, or a key that may not read screenings at all: the
        # screening service answers "not found" to whoever may not see it.
        return {404}
    return {200, 201}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
@pytest.mark.parametrize("key_name", ["none", "revoked", "expired", "a_read", "a_write", "b_both"])
def test_each_operation_answers_each_key_as_the_table_says(
    keys: Keys, personas: Personas, name: str, key_name: str
) -> None:
    _key, owner_key = make_key(personas.pharmacy_a.pk, ["screenings:write"], "setup")
    created = Api(owner_key).post("/screenings", valid_body(7))
    assert created.status_code == 201
    api = Api(None if key_name == "none" else keys[key_name])
    response = _call(api, name, created.json()["id"], 1)
    assert response.status_code in _expected(keys, key_name, name), response.content[:300]
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
