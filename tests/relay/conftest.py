"""Fixtures of the relay tests: one throwaway PKI per session, one simulator per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from relay_helpers import Simulator, start_simulator

from relais.sidep_sim.certs import init_certs


@pytest.fixture(scope="session")
def relay_certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("relay-certs")
    init_certs(directory)
    return directory


@pytest.fixture(scope="module")
def simulator(relay_certs: Path) -> Iterator[Simulator]:
    running = start_simulator(relay_certs, "--seed", "11")
    yield running
    running.stop()


@pytest.fixture
def sim(simulator: Simulator) -> Iterator[Simulator]:
    simulator.reset()
    yield simulator
    simulator.reset()


@pytest.fixture(autouse=True)
def _empty_the_audit_log_before_the_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Work around a flaky flush on SQLite: Django flushes tables in set order (hash-seed
    dependent), so the purge permit table may be emptied before the audit events are; this
    fixture tears down before the flush and empties the audit log under a permit first."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    from relais.audit.models import AuditEvent, AuditPurgePermit

    AuditPurgePermit.objects.create()
    AuditEvent.objects.all().delete()
