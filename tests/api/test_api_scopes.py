"""Which scope each operation needs, as a pharmacy-software vendor expects it: writing is
the whole life of what it submitted (record, correct, cancel) without reading anything
back; reading is status and versions; the reference data comes with either scope. The
OpenAPI document states each operation's scopes from the same table the edge enforces."""

from __future__ import annotations

from typing import Any

from django.test import Client

from relais.access.policy import scopes_allowing
from relais.api.operations import OPERATIONS
from tests.api.conftest import Api, Keys, valid_body


def _recorded(api: Api, index: int = 1) -> str:
    created = api.post("/screenings", valid_body(index))
    assert created.status_code == 201
    return str(created.json()["id"])


def test_a_key_that_may_only_write_corrects_and_cancels_its_own_screenings(keys: Keys) -> None:
    writer = Api(keys["a_write"])
    screening = _recorded(writer)
    corrected = writer.post(f"/screenings/{screening}/correction", {"result": "positive"})
    assert corrected.status_code == 200, corrected.content[:300]
    assert corrected.json()["version"] == 2
    cancelled = writer.post(f"/screenings/{screening}/cancellation", {"reason": "doublon"})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"


def test_a_key_that_may_only_write_still_cannot_read_a_screening_back(keys: Keys) -> None:
    writer = Api(keys["a_write"])
    screening = _recorded(writer)
    assert writer.get(f"/screenings/{screening}").status_code == 403
    assert writer.get("/screenings").status_code == 403


def test_another_pharmacys_writing_key_finds_no_screening_to_correct_or_cancel(
    keys: Keys,
) -> None:
    screening = _recorded(Api(keys["a_write"]))
    other = Api(keys["b_both"])
    assert (
        other.post(f"/screenings/{screening}/correction", {"result": "positive"}).status_code == 404
    )
    assert other.post(f"/screenings/{screening}/cancellation", {"reason": "x"}).status_code == 404


def test_a_key_that_may_only_read_gets_the_reference_data_but_cannot_change_anything(
    keys: Keys,
) -> None:
    screening = _recorded(Api(keys["a_write"]))
    reader = Api(keys["a_read"])
    assert reader.get("/valuesets/devices").status_code == 200
    assert reader.get("/valuesets/test-kinds").status_code == 200
    assert reader.get(f"/screenings/{screening}").status_code == 200
    assert (
        reader.post(f"/screenings/{screening}/correction", {"result": "positive"}).status_code
        == 403
    )
    assert reader.post(f"/screenings/{screening}/cancellation", {"reason": "x"}).status_code == 403


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            found[(path, method.upper())] = operation
    return found


PATHS = {
    "screenings": "/api/v1/screenings",
    "screening_batch": "/api/v1/screenings/batch",
    "screening": "/api/v1/screenings/{screening_id}",
    "screening_correction": "/api/v1/screenings/{screening_id}/correction",
    "screening_cancellation": "/api/v1/screenings/{screening_id}/cancellation",
    "valueset_devices": "/api/v1/valuesets/devices",
    "valueset_test_kinds": "/api/v1/valuesets/test-kinds",
}


def test_the_openapi_document_states_each_operations_scopes_from_the_enforced_table(
    db: None,
) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    operations = _operations(document)
    assert set(operations) == {
        (PATHS[name], method) for name, methods in OPERATIONS.items() for method in methods
    }
    for name, methods in OPERATIONS.items():
        for method, action in methods.items():
            operation = operations[(PATHS[name], method)]
            scopes = scopes_allowing(action)
            assert scopes, (name, method)
            assert operation["security"] == [{"ApiKeyAuth": [s]} for s in scopes]
            assert operation["x-relais-scopes"] == scopes
            assert all(f"`{s}`" in operation["description"] for s in scopes)


def test_the_documented_scopes_are_the_ones_a_vendor_expects(db: None) -> None:
    operations = _operations(Client().get("/api/v1/openapi.json").json())
    scopes = {key: op["x-relais-scopes"] for key, op in operations.items()}
    write, read, either = (
        ["screenings:write"],
        ["screenings:read"],
        sorted(["screenings:read", "screenings:write"]),
    )
    assert scopes == {
        (PATHS["screenings"], "POST"): write,
        (PATHS["screenings"], "GET"): read,
        (PATHS["screening_batch"], "POST"): write,
        (PATHS["screening"], "GET"): read,
        (PATHS["screening_correction"], "POST"): write,
        (PATHS["screening_cancellation"], "POST"): write,
        (PATHS["valueset_devices"], "GET"): either,
        (PATHS["valueset_test_kinds"], "GET"): either,
    }
