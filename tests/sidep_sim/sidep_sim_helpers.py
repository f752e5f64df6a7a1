"""Helpers for the simulator tests: the simulator as a real process, real mutual TLS."""

from __future__ import annotations

import json
import selectors
import ssl
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from relais.relay.messages import CanonicalScreening, build_fhir_bundle

STARTUP_SECONDS = 20


@dataclass
class SimulatorProcess:
    process: subprocess.Popen[str]
    base_url: str

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start_simulator_process(certs: Path | None, *options: str) -> SimulatorProcess:
    """Start `python -m relais.sidep_sim` on a free port and wait for its ready line."""
    command = [sys.executable, "-m", "relais.sidep_sim", "--port", "0", *options]
    if certs is not None:
        command += ["--certs", str(certs)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=STARTUP_SECONDS):
            process.kill()
            raise RuntimeError("the simulator did not start")
    line = process.stdout.readline()
    assert "listening on" in line, line
    return SimulatorProcess(process, line.rsplit(" ", 1)[1].strip())


def mtls_client(certs: Path, base_url: str, timeout: float = 10.0) -> httpx.Client:
    context = ssl.create_default_context(cafile=certs / "ca.pem")
    context.load_cert_chain(certs / "client.pem", certs / "client.key")
    return httpx.Client(verify=context, base_url=base_url, timeout=timeout)


def post_bundle(client: httpx.Client, items: list[CanonicalScreening]) -> httpx.Response:
    body = json.dumps(build_fhir_bundle(items, validate="none"))
    return client.post("/fhir", content=body, headers={"Content-Type": "application/fhir+json"})


def acks_of(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    acks: list[dict[str, Any]] = response.json()["acknowledgements"]
    return acks
