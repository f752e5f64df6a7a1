"""In-process pieces of the simulator: fault dice, fault settings, certificates, CLI."""

from __future__ import annotations

import random
import stat
from pathlib import Path

import pytest
from cryptography import x509

from relais.sidep_sim.certs import init_certs
from relais.sidep_sim.cli import build_parser, faults_from
from relais.sidep_sim.faults import FaultConfig, FaultConfigError, FaultDice


def test_the_same_seed_draws_the_same_faults() -> None:
    config = FaultConfig(error_rate=0.3, timeout_rate=0.2, drop_rate=0.2, fail_after_store=0.5)

    def draws(seed: int) -> list[str | None]:
        dice = FaultDice(random.Random(seed))
        return [dice.request_fault(config) for _ in range(200)]

    first = draws(42)
    assert first == draws(42)
    assert {"error", "timeout", "drop", "drop_after_store", None} <= set(first)


def test_a_rate_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(FaultConfigError, match="drop_rate"):
        FaultConfig(drop_rate=1.5)


def test_outage_seconds_start_an_outage_now() -> None:
    config = FaultConfig().updated({"outage_seconds": 60})

    assert 59 < config.outage_remaining() <= 60
    assert FaultDice(random.Random(1)).request_fault(config) == "outage"


def test_the_cli_flags_build_the_fault_configuration() -> None:
    args = build_parser().parse_args(
        ["--error-rate", "0.1", "--latency-ms", "20", "--reject-rate", "0.05", "--seed", "3"]
    )

    config = faults_from(args)

    assert (config.error_rate, config.latency_ms, config.reject_rate) == (0.1, 20, 0.05)
    assert args.seed == 3


def test_generated_keys_are_private_and_the_server_certificate_names_localhost(
    tmp_path: Path,
) -> None:
    init_certs(tmp_path)

    for key in ("server.key", "client.key"):
        assert stat.S_IMODE((tmp_path / key).stat().st_mode) == 0o600
    server = x509.load_pem_x509_certificate((tmp_path / "server.pem").read_bytes())
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    ca = x509.load_pem_x509_certificate((tmp_path / "ca.pem").read_bytes())
    server.verify_directly_issued_by(ca)


def test_the_store_counts_each_message_once_and_remembers_the_counts_across_restarts(
    tmp_path: Path,
) -> None:
    from relais.sidep_sim.store import Acknowledgement, AcknowledgementStore

    path = tmp_path / "state.sqlite"
    store = AcknowledgementStore(path)
    store.add_all([Acknowledgement("a", "accepted", "R1"), Acknowledgement("b", "rejected", None)])
    store.add_all([Acknowledgement("a", "accepted", "R2"), Acknowledgement("c", "accepted", "R3")])
    assert (store.count("accepted"), store.count("rejected")) == (2, 1)
    store.close()

    reopened = AcknowledgementStore(path)
    assert (reopened.count("accepted"), reopened.count("rejected")) == (2, 1)
    reopened.clear()
    assert (reopened.count("accepted"), reopened.count("rejected")) == (0, 0)
    reopened.close()
