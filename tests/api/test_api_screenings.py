"""The screening endpoints: record, read, list, correct, cancel; another pharmacy sees 404."""

from __future__ import annotations

import json
from typing import Any

from relais.audit.models import AuditEvent
from tests.api.conftest import Api, Keys, valid_body


def _create(api: Api, index: int = 0, **changes: Any) -> str:
    response = api.post("/screenings", valid_body(index, **changes))
    assert response.status_code == 201, response.content
    return str(response.json()["id"])


def test_a_valid_submission_is_recorded_with_201_and_its_id(api_a: Api) -> None:
    response = api_a.post("/screenings", valid_body())
    assert response.status_code == 201
    body = response.json()
    assert body["outcome"] == "created" and body["status"] == "active" and body["version"] == 1


def test_the_same_screening_sent_twice_answers_200_with_the_first_id(api_a: Api) -> None:
    first = api_a.post("/screenings", valid_body()).json()
    second = api_a.post("/screenings", valid_body())
    assert second.status_code == 200
    assert second.json()["id"] == first["id"] and second.json()["outcome"] == "existing"


def test_an_invalid_submission_names_every_field_in_french_or_english(keys: Keys) -> None:
    body = valid_body(patient__nir="123", result="maybe", consent="yes")
    french = Api(keys["a_both"], "fr").post("/screenings", body)
    english = Api(keys["a_both"], "en").post("/screenings", body)
    assert french.status_code == english.status_code == 422
    assert french["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in french.json()["errors"]}
    assert {"patient.nir", "result", "consent"} <= fields
    assert french.json()["errors"][0]["detail"] != english.json()["errors"][0]["detail"]
    echoed = {k: v for k, v in french.json().items() if k != "request_id"}  # random hex
    assert "123" not in json.dumps(echoed, ensure_ascii=False)


def test_reading_a_screening_shows_versions_transmissions_and_a_masked_nir(api_a: Api) -> None:
    screening_id = _create(api_a)
    response = api_a.get(f"/screenings/{screening_id}")
    assert response.status_code == 200
    body = response.json()
    nir = valid_body()["patient"]["nir"]
    assert body["patient"]["nir_masked"].endswith(nir[-2:]) and "*" in body["patient"]["nir_masked"]
    assert nir not in response.content.decode()
    assert "Dupont" not in response.content.decode()
    assert [v["number"] for v in body["versions"]] == [1]
    assert body["transmissions"][0]["status"] == "queued"


def test_another_pharmacys_screening_is_a_404_like_a_missing_one(api_a: Api, api_b: Api) -> None:
    screening_id = _create(api_a)
    foreign = api_b.get(f"/screenings/{screening_id}")
    missing = api_b.get("/screenings/00000000-0000-0000-0000-000000000000")
    garbage = api_b.get("/screenings/not-an-id")
    assert foreign.status_code == missing.status_code == garbage.status_code == 404
    strip = lambda r: {k: v for k, v in r.json().items() if k != "request_id"}  # noqa: E731
    assert strip(foreign) == strip(missing) == strip(garbage)
    assert (
        api_b.post(f"/screenings/{screening_id}/correction", {"result": "positive"}).status_code
        == 404
    )
    assert (
        api_b.post(f"/screenings/{screening_id}/cancellation", {"reason": "x"}).status_code == 404
    )


def test_the_list_is_paged_by_an_opaque_cursor_and_filtered(api_a: Api, api_b: Api) -> None:
    ids = {_create(api_a, i) for i in range(5)}
    _create(api_b, 9)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api_a.get("/screenings", **params).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 and set(seen) == ids
    assert api_a.get("/screenings", status="cancelled").json()["items"] == []
    assert api_a.get("/screenings", to="2000-01-01T00:00:00+00:00").json()["items"] == []


def test_a_forged_or_foreign_cursor_is_a_422_not_a_crash(api_a: Api, api_b: Api) -> None:
    for i in range(3):
        _create(api_b, i)
    cursor = api_b.get("/screenings", limit=1).json()["next_cursor"]
    assert api_a.get("/screenings", cursor=cursor).status_code == 422
    assert api_a.get("/screenings", cursor="garbage").status_code == 422
    assert api_a.get("/screenings", **{"from": "yesterday"}).status_code == 422
    assert api_a.get("/screenings", **{"from": "2025-01-01T00:00:00"}).status_code == 422


def test_a_correction_adds_a_version_and_a_cancellation_closes_it(api_a: Api) -> None:
    screening_id = _create(api_a)
    corrected = api_a.post(f"/screenings/{screening_id}/correction", {"result": "positive"})
    assert corrected.status_code == 200 and corrected.json()["version"] == 2
    cancelled = api_a.post(f"/screenings/{screening_id}/cancellation", {"reason": "doublon"})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["version"] == 3
    again = api_a.post(f"/screenings/{screening_id}/correction", {"result": "negative"})
    assert again.status_code == 422
    assert api_a.post(f"/screenings/{screening_id}/cancellation", {}).status_code == 422


def test_the_value_sets_list_devices_and_test_kinds(api_a: Api) -> None:
    devices = api_a.get("/valuesets/devices").json()["items"]
    assert "1232" in {d["id"] for d in devices} and all(d["label"] for d in devices)
    kinds = {k["code"]: k for k in api_a.get("/valuesets/test-kinds").json()["items"]}
    assert kinds["rapid_antigen"]["loinc"] == "94558-4"
    assert kinds["rt_pcr"]["device"] == "none"


def test_every_call_is_audited_with_the_key_and_ids_but_never_the_body(
    api_a: Api, keys: Keys
) -> None:
    screening_id = _create(api_a)
    api_a.get(f"/screenings/{screening_id}")
    api_a.post("/screenings/batch", {"items": [valid_body(3), {"nope": 1}]})
    key_id = str(keys.records["a_both"].pk)
    events = list(AuditEvent.objects.filter(actor_type="api_key", actor_id=key_id))
    actions = {e.action for e in events}
    assert {"screening.recorded", "screening.viewed", "api.call"} <= actions
    assert any(screening_id in e.object_ids for e in events)
    dump = " ".join(f"{e.details} {e.object_ids}" for e in events)
    assert "Dupont" not in dump and valid_body()["patient"]["nir"] not in dump
