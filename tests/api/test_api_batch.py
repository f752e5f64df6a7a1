"""Batch submission: an outcome per item; invalid items never cost the valid ones."""

from __future__ import annotations

from relais.screening.models import Screening
from tests.api.conftest import Api, valid_body


def test_a_batch_mixing_valid_and_invalid_items_keeps_every_valid_one(api_a: Api) -> None:
    items = [
        valid_body(1),
        valid_body(2, patient__nir="12"),
        "not an object",
        valid_body(3),
        valid_body(1),
    ]
    response = api_a.post("/screenings/batch", {"items": items})
    assert response.status_code == 200
    outcomes = [item["outcome"] for item in response.json()["items"]]
    assert outcomes == ["created", "invalid", "invalid", "created", "existing"]
    assert response.json()["counts"] == {
        "created_count": 2,
        "existing_count": 1,
        "invalid_count": 2,
    }
    invalid = response.json()["items"][1]
    assert invalid["errors"][0]["field"] == "patient.nir" and invalid["id"] is None
    assert Screening.objects.count() == 2


def test_a_batch_of_more_than_1000_items_is_refused_whole(api_a: Api) -> None:
    response = api_a.post("/screenings/batch", {"items": [{}] * 1001})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "items.too_many"
    assert not Screening.objects.exists()


def test_a_batch_without_items_is_a_422(api_a: Api) -> None:
    for body in ({}, {"items": []}, {"items": {"a": 1}}, [valid_body()]):
        response = api_a.post("/screenings/batch", body)
        assert response.status_code == 422, body
