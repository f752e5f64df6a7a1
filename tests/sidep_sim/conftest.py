"""Fixtures: one throwaway PKI per session, one simulator process per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sidep_sim_helpers import SimulatorProcess, mtls_client, start_simulator_process

from relais.sidep_sim.certs import init_certs


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("sidep-certs")
    init_certs(directory)
    return directory


@pytest.fixture(scope="module")
def simulator(certs: Path) -> Iterator[SimulatorProcess]:
    running = start_simulator_process(certs, "--seed", "7")
    yield running
    running.stop()


@pytest.fixture
def client(simulator: SimulatorProcess, certs: Path) -> Iterator[httpx.Client]:
    with mtls_client(certs, simulator.base_url) as client:
        client.post("/sim/reset").raise_for_status()
        yield client
        client.post("/sim/reset").raise_for_status()
