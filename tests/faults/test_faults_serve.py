"""`relais serve` under a burst right after start-up, on PostgreSQL, as real processes.

The gunicorn master checks the database and the key provider before it forks its workers.
Had the workers inherited that open connection, their first queries would interleave on
one socket and read one another's results: 500s and, worse, rows answered to the wrong
request. Every answer of the burst must be the pharmacy's own, and none a 500."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from relais.access.actors import SYSTEM
from relais.pharmacies.apikeys.services import create_api_key
from relais.pharmacies.models import Pharmacy
from relais.relay import perf

pytestmark = pytest.mark.slow
WORKERS = 3
REQUESTS = 240


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, child: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise AssertionError(f"relais serve exited with {child.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("relais serve did not listen in time")


@pytest.fixture
def served(transactional_db: None, keyring: object) -> Iterator[tuple[str, str]]:
    pharmacy = Pharmacy.objects.create(name="Pharmacie du Port", finess="690000013")
    _key, plaintext = create_api_key(SYSTEM, pharmacy.pk, "LGO", ["screenings:write"])
    port = _free_port()
    env = dict(os.environ) | {
        "DATABASE_URL": perf.database_url(),
        "RELAIS_KEYRING_PATH": str(keyring.path),  # type: ignore[attr-defined]
        "RELAIS_API_RATE_LIMIT": "100000",
    }
    command = [sys.executable, "-m", "relais.cli", "serve", "--port", str(port)]
    command += ["--workers", str(WORKERS), "--threads", "1"]
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        _wait_for(port, child)
        yield f"http://127.0.0.1:{port}", plaintext
    finally:
        child.terminate()
        child.wait(timeout=30)


def test_a_burst_at_start_up_is_answered_by_workers_with_their_own_connections(
    served: tuple[str, str],
) -> None:
    base_url, key = served
    headers = {"Authorization": f"Bearer {key}"}

    def fetch(_: int) -> tuple[int, bool]:
        with httpx.Client(timeout=30) as client:
            response = client.get(f"{base_url}/api/v1/valuesets/devices", headers=headers)
            return response.status_code, "items" in response.text

    with ThreadPoolExecutor(max_workers=24) as pool:
        answers = list(pool.map(fetch, range(REQUESTS)))

    assert Counter(status for status, _ in answers) == {200: REQUESTS}
    assert all(has_items for _, has_items in answers)
