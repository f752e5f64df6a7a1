"""Each injected fault is observable by a client and counted, and none breaks dedup."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from sidep_sim_helpers import SimulatorProcess, acks_of, mtls_client, post_bundle

from relais.relay.messages.samples import sample_screening


def _set_faults(client: httpx.Client, **faults: object) -> None:
    client.post("/sim/faults", json=faults).raise_for_status()


def _fault_counts(client: httpx.Client) -> dict[str, int]:
    faults: dict[str, int] = client.get("/sim/stats").json()["faults"]
    return faults


def test_an_error_fault_answers_503_with_retry_after_and_stores_nothing(
    client: httpx.Client,
) -> None:
    _set_faults(client, error_rate=1.0, retry_after_seconds=7)

    response = post_bundle(client, [sample_screening(100)])

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "7"
    assert client.get("/sim/stats").json()["unique_accepted"] == 0
    assert _fault_counts(client)["error"] == 1


def test_a_timeout_fault_outlasts_the_client_timeout(
    client: httpx.Client, simulator: SimulatorProcess, certs: Path
) -> None:
    _set_faults(client, timeout_rate=1.0, timeout_seconds=2)

    with (
        mtls_client(certs, simulator.base_url, timeout=0.5) as impatient,
        pytest.raises(httpx.ReadTimeout),
    ):
        post_bundle(impatient, [sample_screening(101)])

    assert _fault_counts(client)["timeout"] == 1


def test_a_drop_fault_closes_the_connection_without_storing(client: httpx.Client) -> None:
    _set_faults(client, drop_rate=1.0)

    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        post_bundle(client, [sample_screening(102)])

    assert client.get("/sim/stats").json()["unique_accepted"] == 0
    assert _fault_counts(client)["drop"] == 1


def test_a_drop_after_store_is_recognised_when_the_client_retries(client: httpx.Client) -> None:
    _set_faults(client, drop_rate=1.0, fail_after_store=1.0)
    item = sample_screening(103)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        post_bundle(client, [item])
    _set_faults(client, drop_rate=0.0)

    (ack,) = acks_of(post_bundle(client, [item]))

    assert ack["outcome"] == "accepted"
    assert ack["duplicate"] is True
    stats = client.get("/sim/stats").json()
    assert stats["unique_accepted"] == 1
    assert stats["faults"]["drop_after_store"] == 1


def test_a_reject_fault_rejects_valid_messages_with_a_simulated_reason(
    client: httpx.Client,
) -> None:
    _set_faults(client, reject_rate=1.0)

    (ack,) = acks_of(post_bundle(client, [sample_screening(104)]))

    assert ack["outcome"] == "rejected"
    assert ack["reasons"] == ["simulated rejection"]
    assert _fault_counts(client)["reject"] == 1


def test_an_outage_answers_503_until_it_ends(client: httpx.Client) -> None:
    _set_faults(client, outage_seconds=1.0)

    during = post_bundle(client, [sample_screening(105)])
    time.sleep(1.1)
    after = post_bundle(client, [sample_screening(105)])

    assert during.status_code == 503
    assert int(during.headers["Retry-After"]) >= 1
    assert acks_of(after)[0]["outcome"] == "accepted"
    assert _fault_counts(client)["outage"] == 1


@pytest.mark.parametrize("setting", ["latency_ms", "ack_delay_ms"])
def test_latency_and_slow_acknowledgements_delay_the_answer(
    client: httpx.Client, setting: str
) -> None:
    _set_faults(client, **{setting: 300})

    started = time.perf_counter()
    acks_of(post_bundle(client, [sample_screening(106)]))

    assert time.perf_counter() - started >= 0.3
    assert _fault_counts(client)[setting.removesuffix("_ms")] == 1


def test_the_control_endpoint_reports_and_refuses_unknown_settings(client: httpx.Client) -> None:
    refused = client.post("/sim/faults", json={"explode_rate": 1})
    out_of_range = client.post("/sim/faults", json={"error_rate": 2})
    accepted = client.post("/sim/faults", json={"error_rate": 0.25})

    assert refused.status_code == 400
    assert "explode_rate" in refused.json()["reasons"][0]
    assert out_of_range.status_code == 400
    assert client.get("/sim/faults").json()["error_rate"] == 0.25
    assert accepted.json()["error_rate"] == 0.25


def test_a_reset_restores_start_up_faults_and_forgets_messages(client: httpx.Client) -> None:
    acks_of(post_bundle(client, [sample_screening(107)]))
    _set_faults(client, error_rate=1.0)

    stats = client.post("/sim/reset").json()

    assert stats["unique_accepted"] == 0
    assert stats["requests_received"] == 0
    assert client.get("/sim/faults").json()["error_rate"] == 0.0
