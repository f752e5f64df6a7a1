"""Nothing lost, nothing accepted twice: 3 worker processes killed at random moments
against a simulator injecting every fault kind, and a database that drops every worker's
connection and refuses new ones for a while (what a restart looks like to a client), on
PostgreSQL."""

from __future__ import annotations

import random
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from relay_helpers import Simulator, screening_body, start_simulator

from relais.access.actors import SYSTEM
from relais.pharmacies.models import Pharmacy
from relais.relay import perf
from relais.relay.models import Transmission
from relais.sidep_sim.certs import init_certs

pytestmark = pytest.mark.slow
WORKERS = 3
SCREENINGS = 150
FINAL = ("acknowledged", "rejected")
MAX_CHAOS_SECONDS = 90


@pytest.fixture
def certs(tmp_path: Path) -> Path:
    init_certs(tmp_path / "certs")
    return tmp_path / "certs"


@pytest.fixture
def simulator(certs: Path, tmp_path: Path) -> Iterator[Simulator]:
    running = start_simulator(certs, "--state", str(tmp_path / "sim.sqlite3"), "--seed", "5")
    yield running
    running.stop()


def _record_versions(transactional_db: None) -> int:
    """SCREENINGS screenings; every 10th corrected, every 15th cancelled (more versions)."""
    from relais.screening.services import cancel_screening, correct_screening, record_screening

    pharmacy = Pharmacy.objects.create(name="Pharmacie du Port", finess="690000013")
    for number in range(SCREENINGS):
        screening = record_screening(SYSTEM, pharmacy.pk, screening_body(number)).screening
        if number % 10 == 0:
            correct_screening(SYSTEM, screening.pk, {"result": "positive", "notes": "relu"})
        if number % 15 == 0:
            cancel_screening(SYSTEM, screening.pk, "erreur de saisie")
    return Transmission.objects.count()


def _worker_env(simulator: Simulator, keyring: object) -> dict[str, str]:
    return {
        "RELAIS_SIDEP_URL": simulator.base_url,
        "RELAIS_SIDEP_CLIENT_CERT": str(simulator.certs / "client.pem"),
        "RELAIS_SIDEP_CLIENT_KEY": str(simulator.certs / "client.key"),
        "RELAIS_SIDEP_CA": str(simulator.certs / "ca.pem"),
        "RELAIS_KEYRING_PATH": str(keyring.path),  # type: ignore[attr-defined]
        "RELAIS_RELAY_BATCH_SIZE": "4",
        "RELAIS_RELAY_LEASE_SECONDS": "2",
        "RELAIS_RELAY_MAX_ATTEMPTS": "10000",
        "RELAIS_RELAY_BACKOFF_BASE_MS": "50",
        "RELAIS_RELAY_BACKOFF_CAP_MS": "400",
        "RELAIS_RELAY_CIRCUIT_THRESHOLD": "4",
        "RELAIS_RELAY_CIRCUIT_COOLDOWN_MS": "500",
        "RELAIS_RELAY_IDLE_MS": "50",
        "RELAIS_SIDEP_READ_TIMEOUT_MS": "800",
        "RELAIS_SIDEP_CONNECT_TIMEOUT_MS": "800",
        "RELAIS_LOG_LEVEL": "WARNING",
    }


def _chaos(
    workers: list[subprocess.Popen[bytes]],
    env: dict[str, str],
    simulator: Simulator,
    seconds: float,
    min_requests: int,
) -> int:
    """SIGKILL a random worker at random moments, restarting it each time, for `seconds`
    and until the simulator saw `min_requests` (a loaded machine starts workers slowly)."""
    chance = random.Random(2021)
    kills = 0
    start = time.monotonic()
    while (elapsed := time.monotonic() - start) < seconds or (
        elapsed < MAX_CHAOS_SECONDS
        and (kills < MIN_KILLS or simulator.stats()["requests_received"] < min_requests)
    ):
        time.sleep(chance.uniform(3.0, 6.0))
        victim = chance.randrange(len(workers))
        workers[victim].kill()
        workers[victim].wait()
        workers[victim] = perf.start_workers(1, env)[0]
        kills += 1
    return kills


def _settle(expected: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Transmission.objects.filter(status__in=FINAL).count() == expected:
            return
        time.sleep(0.5)
    statuses = list(Transmission.objects.values_list("status", flat=True))
    raise AssertionError({status: statuses.count(status) for status in set(statuses)})


MIN_KILLS = 5


def _run(
    simulator: Simulator,
    keyring: object,
    expected: int,
    chaos_seconds: float,
    min_requests: int = 0,
) -> int:
    env = _worker_env(simulator, keyring)
    workers = perf.start_workers(WORKERS, env)
    try:
        kills = _chaos(workers, env, simulator, chaos_seconds, min_requests)
        simulator.faults(
            latency_ms=0, error_rate=0.0, timeout_rate=0.0, drop_rate=0.0, outage_seconds=0
        )
        _settle(expected, timeout=90)
    finally:
        perf.stop_workers(workers)
    return kills


def _assert_exactly_once(simulator: Simulator, versions: int) -> dict[str, int]:
    stats = simulator.stats()
    acknowledged = Transmission.objects.filter(status="acknowledged").count()
    rejected = Transmission.objects.filter(status="rejected").count()
    assert acknowledged + rejected == versions
    assert stats["unique_accepted"] == acknowledged
    assert stats["unique_rejected"] == rejected
    assert not Transmission.objects.filter(status="acknowledged", platform_reference="").exists()
    return stats


def test_every_fault_kind_with_killed_workers_still_delivers_each_version_exactly_once(
    transactional_db: None, simulator: Simulator, keyring: object
) -> None:
    versions = _record_versions(transactional_db)
    simulator.faults(
        latency_ms=250,
        error_rate=0.3,
        timeout_rate=0.15,
        timeout_seconds=1.2,
        drop_rate=0.25,
        fail_after_store=0.5,
        reject_rate=0.03,
    )

    kills = _run(simulator, keyring, versions, chaos_seconds=20, min_requests=80)

    stats = _assert_exactly_once(simulator, versions)
    assert kills >= 5
    # Every batch stored then dropped was redelivered, and recognised as a duplicate.
    assert stats["duplicate_deliveries"] >= stats["faults"]["drop_after_store"] > 0
    injected = ("error", "timeout", "drop", "drop_after_store", "reject")
    assert {name: stats["faults"][name] > 0 for name in injected} == dict.fromkeys(injected, True)


def test_an_outage_with_killed_workers_loses_nothing_and_is_not_hammered(
    transactional_db: None, simulator: Simulator, keyring: object
) -> None:
    versions = _record_versions(transactional_db)
    simulator.faults(outage_seconds=8)

    kills = _run(simulator, keyring, versions, chaos_seconds=12)

    stats = _assert_exactly_once(simulator, versions)
    assert kills >= 3
    # The circuit breaker holds the three workers back: a few probes per second at most.
    assert stats["faults"]["outage"] < 80


def test_a_terminated_worker_finishes_its_batch_and_leaves_no_lease_behind(
    transactional_db: None, simulator: Simulator, keyring: object
) -> None:
    from relais.screening.services import record_screening

    pharmacy = Pharmacy.objects.create(name="Pharmacie du Port", finess="690000013")
    for number in range(12):
        record_screening(SYSTEM, pharmacy.pk, screening_body(number))
    simulator.faults(latency_ms=600)
    (worker,) = perf.start_workers(1, _worker_env(simulator, keyring))
    deadline = time.monotonic() + 30
    while not Transmission.objects.filter(status="sending").exists():
        assert time.monotonic() < deadline, "the worker never claimed a batch"
        time.sleep(0.05)

    worker.terminate()

    assert worker.wait(timeout=20) == 0
    assert not Transmission.objects.filter(status="sending").exists()
    assert Transmission.objects.filter(status="acknowledged").count() == 4
    assert simulator.stats()["unique_accepted"] == 4


@contextmanager
def _database_down(seconds: float) -> Iterator[list[int]]:
    """Every other connection to the test database terminated and new ones refused for
    `seconds`, as during a PostgreSQL restart; the test's own connection survives to check
    the outcome afterwards. Yields [connections dropped]."""
    import psycopg

    db = connection.settings_dict
    admin = psycopg.connect(  # a database cannot refuse connections to itself from inside
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres"
    )
    admin.autocommit = True
    name = connection.ops.quote_name(db["NAME"])
    dropped: list[int] = []
    try:
        admin.execute(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")
        row = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s",
            (db["NAME"], connection.connection.info.backend_pid),
        ).fetchone()
        dropped.append(int(row[0]) if row else 0)
        time.sleep(seconds)
        yield dropped
    finally:
        admin.execute(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")
        admin.close()


def test_a_database_restart_mid_relay_loses_nothing_and_accepts_nothing_twice(
    transactional_db: None, simulator: Simulator, keyring: object
) -> None:
    versions = _record_versions(transactional_db)
    simulator.faults(latency_ms=300)  # batches are in flight when the database goes
    workers = perf.start_workers(WORKERS, _worker_env(simulator, keyring))
    try:
        deadline = time.monotonic() + 60
        while not Transmission.objects.filter(status="acknowledged").exists():
            assert time.monotonic() < deadline, "the workers never delivered anything"
            time.sleep(0.05)
        with _database_down(seconds=5) as dropped:
            pass
        simulator.faults(latency_ms=0)
        _settle(versions, timeout=90)
        alive = [worker.poll() is None for worker in workers]
    finally:
        perf.stop_workers(workers)

    _assert_exactly_once(simulator, versions)
    assert dropped[0] >= WORKERS  # every worker lost its connection...
    assert alive == [True] * WORKERS  # ...and carried on once the database was back
