"""Delivery over mutual TLS: acceptance, rejection with reasons, dedup, stats."""

from __future__ import annotations

import ssl
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sidep_sim_helpers import SimulatorProcess, acks_of, post_bundle

from relais.relay.messages import build_hl7_batch
from relais.relay.messages.samples import CORSICAN_NIR, sample_screening


def test_a_valid_screening_is_accepted_with_a_platform_reference(client: httpx.Client) -> None:
    response = post_bundle(client, [sample_screening(1)])

    (ack,) = acks_of(response)
    assert ack["outcome"] == "accepted"
    assert ack["reference"].startswith("SIDEP-")
    assert ack["duplicate"] is False
    assert response.json()["entry"][0]["response"]["status"] == "201 Created"


def test_a_bundle_of_many_screenings_is_answered_per_message_in_order(
    client: httpx.Client,
) -> None:
    items = [sample_screening(n) for n in range(1, 51)]

    acks = acks_of(post_bundle(client, items))

    assert [a["message_id"] for a in acks] == [i.message_id for i in items]
    assert {a["outcome"] for a in acks} == {"accepted"}


def test_a_wrong_nir_key_is_rejected_naming_the_field(client: httpx.Client) -> None:
    bad = replace(sample_screening(2).patient, nir="180017512345699")

    (ack,) = acks_of(post_bundle(client, [sample_screening(2, patient=bad)]))

    assert ack["outcome"] == "rejected"
    assert ack["reference"] is None
    assert ack["reasons"] == ["nir: invalid key"]


def test_a_corsican_nir_and_a_missing_nir_are_both_accepted(client: httpx.Client) -> None:
    base = sample_screening(3).patient
    corsican = replace(base, nir=CORSICAN_NIR)
    anonymous = replace(base, nir=None)
    items = [sample_screening(3, patient=corsican), sample_screening(4, patient=anonymous)]

    acks = acks_of(post_bundle(client, items))

    assert [a["outcome"] for a in acks] == ["accepted", "accepted"]


def test_a_sample_taken_in_the_future_is_rejected(client: httpx.Client) -> None:
    tomorrow = datetime.now(UTC) + timedelta(days=1)

    (ack,) = acks_of(post_bundle(client, [sample_screening(5, sampled_at=tomorrow)]))

    assert ack["reasons"] == ["sampled_at: in the future"]
    entry = post_bundle(client, [sample_screening(5, sampled_at=tomorrow)]).json()["entry"][0]
    assert entry["response"]["outcome"]["issue"][0]["diagnostics"] == "sampled_at: in the future"


def test_a_redelivered_message_gets_the_same_reference_and_is_stored_once(
    client: httpx.Client,
) -> None:
    items = [sample_screening(6), sample_screening(7)]
    first = acks_of(post_bundle(client, items))

    again = acks_of(post_bundle(client, items))

    assert [a["reference"] for a in again] == [a["reference"] for a in first]
    assert [a["duplicate"] for a in again] == [True, True]
    stats = client.get("/sim/stats").json()
    assert stats["unique_accepted"] == 2
    assert stats["duplicate_deliveries"] == 2
    assert stats["deliveries_received"] == 4
    assert stats["requests_received"] == 2


def test_the_same_message_twice_in_one_hl7_batch_is_stored_once(client: httpx.Client) -> None:
    item = sample_screening(8)
    batch = build_hl7_batch([item, item], batch_id="b-dup")

    response = client.post("/hl7", content=batch.encode(), headers={"Accept": "application/json"})

    first, second = response.json()["acknowledgements"]
    assert second["reference"] == first["reference"]
    assert second["duplicate"] is True
    assert client.get("/sim/stats").json()["unique_accepted"] == 1


def test_an_unreadable_request_is_refused_whole_with_reasons(client: httpx.Client) -> None:
    response = client.post(
        "/fhir", content=b"{not json", headers={"Content-Type": "application/fhir+json"}
    )

    assert response.status_code == 400
    assert response.json()["reasons"][0].startswith("not JSON")
    assert client.get("/sim/stats").json()["bad_requests"] == 1


def test_an_hl7_batch_is_acknowledged_with_msa_per_message(client: httpx.Client) -> None:
    batch = build_hl7_batch([sample_screening(10), sample_screening(11)], batch_id="b-1")

    response = client.post("/hl7", content=batch.encode())

    assert response.status_code == 200
    segments = response.text.split("\r")
    msas = [s for s in segments if s.startswith("MSA|")]
    assert [m.split("|")[1] for m in msas] == ["AA", "AA"]
    assert all(m.split("|")[3].startswith("SIDEP-") for m in msas)


def test_an_hl7_batch_can_be_acknowledged_as_json(client: httpx.Client) -> None:
    item = sample_screening(12)
    batch = build_hl7_batch([item], batch_id="b-2")

    response = client.post("/hl7", content=batch.encode(), headers={"Accept": "application/json"})

    (ack,) = response.json()["acknowledgements"]
    assert ack["message_id"] == item.message_id
    assert ack["outcome"] == "accepted"


def test_a_client_without_a_certificate_is_refused(
    simulator: SimulatorProcess, certs: Path
) -> None:
    context = ssl.create_default_context(cafile=certs / "ca.pem")

    with pytest.raises((httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError)):
        httpx.get(f"{simulator.base_url}/sim/stats", verify=context)
