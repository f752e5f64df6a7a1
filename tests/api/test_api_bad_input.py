"""No input produces a 500: every malformed body is a problem with a 4xx status."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import Api, Keys, valid_body

BAD_BODIES: list[tuple[bytes, int]] = [
    (b"", 400),
    (b"{", 400),
    (b"\xff\xfe{}", 400),
    (b'{"patient": 1, "patient": 2}', 400),
    (b'{"sampled_at": NaN}', 400),
    (b'{"symptoms": Infinity}', 400),
    (b"[" * 100_000 + b"]" * 100_000, 400),
    (b'{"a":' * 50 + b"1" + b"}" * 50, 400),
    (b'{"n": ' + b"9" * 5000 + b"}", 400),
    (b"\xef\xbb\xbf{}", 400),
    (b"null", 422),
    (b"[]", 422),
    (b'"text"', 422),
]


@pytest.mark.parametrize(("raw", "status"), BAD_BODIES)
@pytest.mark.parametrize("path", ["/screenings", "/screenings/batch"])
def test_a_malformed_body_is_a_4xx_problem(api_a: Api, raw: bytes, status: int, path: str) -> None:
    response = api_a.post(path, raw)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"


def test_a_body_over_the_limit_is_a_413(api_a: Api, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    response = api_a.post("/screenings", valid_body(patient__last_name="x" * 4000))
    assert response.status_code == 413


def test_another_media_type_is_a_415(keys: Keys) -> None:
    response = Client().post(
        "/api/v1/screenings",
        "a=1",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Bearer {keys['a_both']}"},
    )
    assert response.status_code == 415


def test_an_unsupported_method_is_a_405_problem(keys: Keys) -> None:
    response = Client().delete(
        "/api/v1/screenings", headers={"Authorization": f"Bearer {keys['a_both']}"}
    )
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json" and "POST" in response["Allow"]


def test_an_unknown_api_path_is_a_404_problem_that_echoes_nothing(keys: Keys) -> None:
    response = Client().get(
        "/api/v1/screening-typo/marie.dupont", headers={"Authorization": f"Bearer {keys['a_both']}"}
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:relais:problem:not-found"
    assert b"dupont" not in response.content and b"typo" not in response.content


def test_an_unknown_page_outside_the_api_is_still_an_html_page() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "changes",
    [
        {"patient": None},
        {"patient": []},
        {"patient__last_name": "x" * 100_000},
        {"patient__first_names": {"a": 1}},
        {"patient__birth_date": 19800117},
        {"patient__address": "Paris"},
        {"sampled_at": 1.5e308},
        {"sampled_at": "9999-99-99T99:99:99+99:99"},
        {"symptoms_onset": True},
        {"device_id": ["1232"]},
        {"external_ref": {"$gt": ""}},
        {"test_kind": None, "result": None},
    ],
)
def test_wrong_types_and_huge_strings_are_422s(api_a: Api, changes: dict[str, Any]) -> None:
    assert api_a.post("/screenings", valid_body(**changes)).status_code == 422


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
FIELDS = list(valid_body()) + [f"patient__{k}" for k in valid_body()["patient"]]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.binary(max_size=300))
def test_random_bytes_never_cause_a_server_error(api_a: Api, raw: bytes) -> None:
    assert api_a.post("/screenings", raw).status_code < 500


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(changes=st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=4))
def test_random_field_values_never_cause_a_server_error(
    api_a: Api, changes: dict[str, Any]
) -> None:
    body = valid_body(**changes)
    for path, payload in (("/screenings", body), ("/screenings/batch", {"items": [body]})):
        response = api_a.post(path, json.dumps(payload).encode())
        assert response.status_code < 500, (path, response.content[:200])
