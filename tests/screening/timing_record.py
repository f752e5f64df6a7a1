"""Cost of `record_screening` (not a timed test).

Run: `.venv/bin/pytest -q -s tests/screening/timing_record.py` — SQLite test database, a
file keyring; each call validates, finds or creates the patient, encrypts, audits, and
calls the outbox hook, in its own transaction. Prints ms per call.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from relais.screening.services import record_screening
from tests.conftest import Personas
from tests.screening.conftest import NOW, SAMPLED, nir_with_key, valid_body

CALLS = 300


@pytest.mark.usefixtures("devices")
def test_time_record_screening(personas: Personas) -> None:
    actor, pharmacy = personas["technician_a"].actor, personas.pharmacy_a.pk
    bodies = [
        valid_body(
            patient__nir=nir_with_key(f"28001751{n:05d}"),
            sampled_at=(SAMPLED - timedelta(minutes=n % 600)).isoformat(),
        )
        for n in range(CALLS)
    ]
    record_screening(actor, pharmacy, bodies[0], now=NOW)  # warm key caches
    started = time.perf_counter()
    for body in bodies[1:]:
        assert record_screening(actor, pharmacy, body, now=NOW).created
    elapsed = time.perf_counter() - started
    per_call = elapsed / (CALLS - 1) * 1000
    print(f"\nrecord_screening: {per_call:.2f} ms per call ({CALLS - 1} new patients, SQLite)")
    assert per_call > 0
