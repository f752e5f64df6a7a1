"""A state file keeps dedup across a restart of the simulator process."""

from __future__ import annotations

from pathlib import Path

from sidep_sim_helpers import acks_of, mtls_client, post_bundle, start_simulator_process

from relais.relay.messages.samples import sample_screening


def test_a_restarted_simulator_still_recognises_a_redelivery(certs: Path, tmp_path: Path) -> None:
    state = str(tmp_path / "sidep.sqlite3")
    item = sample_screening(200)
    first = start_simulator_process(certs, "--state", state)
    try:
        with mtls_client(certs, first.base_url) as client:
            (original,) = acks_of(post_bundle(client, [item]))
    finally:
        first.stop()

    second = start_simulator_process(certs, "--state", state)
    try:
        with mtls_client(certs, second.base_url) as client:
            (again,) = acks_of(post_bundle(client, [item]))
            stats = client.get("/sim/stats").json()
    finally:
        second.stop()

    assert again["reference"] == original["reference"]
    assert again["duplicate"] is True
    assert stats["unique_accepted"] == 1


def test_without_certificates_the_simulator_speaks_plain_http_for_tests() -> None:
    import httpx

    plain = start_simulator_process(None)
    try:
        response = httpx.get(f"{plain.base_url}/sim/stats")
    finally:
        plain.stop()

    assert plain.base_url.startswith("http://")
    assert response.json()["requests_received"] == 0
