"""Idempotency-Key: the same key and body replay the first answer; another body is a 409."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from django.db import connection

from relais.api.models import IdempotencyRecord
from relais.screening import bulk
from relais.screening.models import Patient, Screening
from tests.api.conftest import Api, Keys, valid_body


def test_the_same_key_and_body_replay_the_first_answer(api_a: Api) -> None:
    headers = {"Idempotency-Key": "order-42"}
    body = valid_body()
    first = api_a.post("/screenings", body, headers)
    second = api_a.post("/screenings", body, headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Screening.objects.count() == 1


def test_the_same_key_with_another_body_is_a_409(api_a: Api) -> None:
    headers = {"Idempotency-Key": "order-43"}
    assert api_a.post("/screenings", valid_body(1), headers).status_code == 201
    response = api_a.post("/screenings", valid_body(2), headers)
    assert response.status_code == 409
    assert response.json()["type"] == "urn:relais:problem:idempotency-conflict"
    assert Screening.objects.count() == 1


def test_keys_are_per_pharmacy(api_a: Api, api_b: Api) -> None:
    headers = {"Idempotency-Key": "shared-name"}
    assert api_a.post("/screenings", valid_body(1), headers).status_code == 201
    assert api_b.post("/screenings", valid_body(2), headers).status_code == 201


def test_a_refused_body_is_not_remembered_so_a_fixed_one_may_reuse_the_key(api_a: Api) -> None:
    headers = {"Idempotency-Key": "order-44"}
    assert api_a.post("/screenings", valid_body(result="?"), headers).status_code == 422
    assert not IdempotencyRecord.objects.exists()
    assert api_a.post("/screenings", valid_body(), headers).status_code == 201


def test_the_stored_answer_holds_ids_and_statuses_never_personal_data(api_a: Api) -> None:
    body = valid_body()
    api_a.post("/screenings", body, {"Idempotency-Key": "a"})
    api_a.post("/screenings/batch", {"items": [valid_body(5), {}]}, {"Idempotency-Key": "b"})
    stored = json.dumps([r.response_body for r in IdempotencyRecord.objects.all()])
    patient = body["patient"]
    for value in (patient["last_name"], patient["nir"], patient["email"], "Hélène", "LGO-"):
        assert value not in stored
    assert bytes(IdempotencyRecord.objects.first().request_hash) != b""  # type: ignore[union-attr]


def test_an_expired_record_no_longer_replays(api_a: Api) -> None:
    headers = {"Idempotency-Key": "old"}
    api_a.post("/screenings", valid_body(1), headers)
    record = IdempotencyRecord.objects.get()
    record.created_at -= timedelta(hours=25)
    record.save()
    response = api_a.post("/screenings", valid_body(2), headers)
    assert response.status_code == 201 and "Idempotent-Replayed" not in response


def test_a_malformed_idempotency_key_is_a_422(api_a: Api) -> None:
    response = api_a.post("/screenings", valid_body(), {"Idempotency-Key": "x" * 300})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_the_purge_job_forgets_expired_records_only(api_a: Api) -> None:
    from django.utils import timezone

    from relais.access.actors import SYSTEM
    from relais.api.services import purge_api_records
    from relais.core.jobs import JOBS

    api_a.post("/screenings", valid_body(1), {"Idempotency-Key": "old"})
    api_a.post("/screenings", valid_body(2), {"Idempotency-Key": "new"})
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    assert "api_records_purge" in JOBS
    assert purge_api_records(SYSTEM) >= 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="concurrent writers need PostgreSQL's row locks"
)
def test_concurrent_twins_record_once_and_the_others_replay_its_answer(
    transactional_db: None, keys: Keys
) -> None:
    """Twins with one key reach the server together: the first inserts the record, the
    others wait on its row, then replay its answer; one screening in all."""
    body, headers = valid_body(7), {"Idempotency-Key": "order-twins"}
    start = threading.Barrier(4)

    def send(_: int) -> tuple[int, str, str | None]:
        try:
            start.wait()
            response = Api(keys["a_both"]).post("/screenings", body, headers)
            return response.status_code, response.json()["id"], response.get("Idempotent-Replayed")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(send, range(4)))

    assert [status for status, _, _ in answers] == [201] * 4
    assert len({screening_id for _, screening_id, _ in answers}) == 1
    assert sorted(str(replayed) for _, _, replayed in answers) == ["None", "true", "true", "true"]
    assert Screening.objects.count() == 1


def test_a_submission_losing_a_race_for_its_patient_is_run_again_whole_and_recorded_once(
    api_a: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A concurrent request created the patient between this one's lookup and its insert:
    the unique index refuses the copy, the whole request runs again (no savepoint), and
    the second run finds the patient."""
    first = valid_body(7)
    assert api_a.post("/screenings", first, {"Idempotency-Key": "one"}).status_code == 201
    real_candidates = bulk.candidates_for
    calls: list[int] = []

    def stale_on_first_call(*args: object) -> list[Patient]:
        calls.append(1)
        return [] if len(calls) == 1 else real_candidates(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "candidates_for", stale_on_first_call)
    earlier = datetime.fromisoformat(first["sampled_at"]) - timedelta(hours=2)
    later = {**first, "sampled_at": earlier.isoformat()}  # the same patient, another test

    response = api_a.post("/screenings", later, {"Idempotency-Key": "two"})

    assert response.status_code == 201
    assert len(calls) == 2
    assert Patient.objects.count() == 1 and Screening.objects.count() == 2
    assert IdempotencyRecord.objects.filter(key="two").count() == 1
