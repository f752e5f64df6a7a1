"""Helpers for the relay tests: screenings recorded through the service, a real simulator."""

from __future__ import annotations

import selectors
import ssl
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from django.utils import timezone

from relais.access.actors import Actor
from relais.relay.circuit import CircuitSettings
from relais.relay.destinations import Destination
from relais.relay.policy import RetryPolicy
from relais.relay.worker import WorkerSettings

NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand")


def screening_body(number: int, *, now: datetime | None = None) -> dict[str, Any]:
    """A valid RT-PCR submission (no device needed), unique per `number`."""
    moment = (now or timezone.now()) - timedelta(minutes=10 + number % 500, seconds=number)
    return {
        "patient": {
            "last_name": NAMES[number % len(NAMES)],
            "first_names": [f"Claire{'e' * (number % 7)}"],
            "sex": "F",
            "birth_date": f"19{50 + number % 40}-0{1 + number % 9}-1{number % 9}",
            "no_nir_reason": "not_provided_by_patient",
            "email": f"patient{number}@example.org",
        },
        "test_kind": "rt_pcr",
        "sampled_at": moment.isoformat(),
        "result": "negative" if number % 3 else "positive",
        "symptoms": False,
        "consent": True,
    }


def record(actor: Actor, pharmacy_id: int, number: int) -> Any:
    from relais.screening.services import record_screening

    return record_screening(actor, pharmacy_id, screening_body(number)).screening


def fast_settings(batch_size: int = 50, max_attempts: int = 30) -> WorkerSettings:
    return WorkerSettings(
        batch_size=batch_size,
        lease_seconds=5,
        idle_seconds=0.01,
        policy=RetryPolicy(base_seconds=0.01, cap_seconds=0.05, max_attempts=max_attempts),
        circuit=CircuitSettings(threshold=3, cooldown_seconds=0.2),
    )


def destination(base_url: str, certs: Path, message_format: str = "fhir") -> Destination:
    return Destination(
        name="sidep",
        url=base_url,
        format=message_format,
        client_cert=str(certs / "client.pem"),
        client_key=str(certs / "client.key"),
        ca=str(certs / "ca.pem"),
        connect_timeout=2.0,
        read_timeout=1.5,
    )


@dataclass
class Simulator:
    process: subprocess.Popen[str]
    base_url: str
    certs: Path

    def client(self) -> httpx.Client:
        context = ssl.create_default_context(cafile=self.certs / "ca.pem")
        context.load_cert_chain(self.certs / "client.pem", self.certs / "client.key")
        return httpx.Client(verify=context, base_url=self.base_url, timeout=10)

    def stats(self) -> dict[str, Any]:
        with self.client() as client:
            data: dict[str, Any] = client.get("/sim/stats").json()
        return data

    def faults(self, **changes: Any) -> None:
        with self.client() as client:
            client.post("/sim/faults", json=changes).raise_for_status()

    def reset(self) -> None:
        with self.client() as client:
            client.post("/sim/reset").raise_for_status()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start_simulator(certs: Path, *options: str) -> Simulator:
    """`python -m relais.sidep_sim` on a free port, mutual TLS; waits for its ready line."""
    command = [sys.executable, "-m", "relais.sidep_sim", "--port", "0", "--certs", str(certs)]
    process = subprocess.Popen([*command, *options], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=20):
            process.kill()
            raise RuntimeError("the simulator did not start")
    line = process.stdout.readline()
    assert "listening on" in line, line
    return Simulator(process, line.rsplit(" ", 1)[1].strip(), certs)
