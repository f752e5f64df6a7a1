"""Relay settings fail closed in production; `relais demo` wires the simulator and a worker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from relais.sidep_sim.certs import init_certs

SECRET = "k" * 20 + "Zq9!xY7@wV5#uT3$sR1%pO8^nM6&lK4*jH2(gF0)" + "abc"


def _check(tmp_path: Path, overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RELAIS_", "DATABASE_URL"))}
    env |= {
        "RELAIS_DATA_DIR": str(tmp_path / "data"),
        "RELAIS_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "relais.example.fr",
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/postgres",
        "RELAIS_KEY_PROVIDER": "file",
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "-m", "relais.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def pki(tmp_path: Path) -> dict[str, str]:
    init_certs(tmp_path / "pki")
    return {
        "RELAIS_SIDEP_URL": "https://sidep.example.fr",
        "RELAIS_SIDEP_CLIENT_CERT": str(tmp_path / "pki" / "client.pem"),
        "RELAIS_SIDEP_CLIENT_KEY": str(tmp_path / "pki" / "client.key"),
        "RELAIS_SIDEP_CA": str(tmp_path / "pki" / "ca.pem"),
    }


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"RELAIS_SIDEP_URL": ""}, "RELAIS_SIDEP_URL must be the platform's https://"),
        ({"RELAIS_SIDEP_URL": "http://sidep.example.fr"}, "https://"),
        ({"RELAIS_SIDEP_CA": ""}, "RELAIS_SIDEP_CA must name a readable PEM file"),
        ({"RELAIS_SIDEP_CLIENT_KEY": "/nonexistent.key"}, "RELAIS_SIDEP_CLIENT_KEY must name"),
        ({"RELAIS_SIDEP_FORMAT": "xml"}, "RELAIS_SIDEP_FORMAT must be 'fhir' or 'hl7'"),
    ],
)
def test_production_refuses_a_relay_without_https_and_mutual_tls_material(
    tmp_path: Path, pki: dict[str, str], override: dict[str, str], message: str
) -> None:
    result = _check(tmp_path, pki | override)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_production_accepts_a_complete_relay_configuration(
    tmp_path: Path, pki: dict[str, str]
) -> None:
    result = _check(tmp_path, pki)
    assert "RELAIS_SIDEP" not in result.stderr


def test_the_demo_runs_the_simulator_and_a_worker_wired_over_mutual_tls(
    tmp_path: Path, settings
) -> None:
    from relais.core.demo_processes import demo_processes

    settings.DATA_DIR = tmp_path
    options = {"host": "127.0.0.1", "port": 8000, "sim_port": 9443}

    serve, simulator, worker = demo_processes(options, "http://127.0.0.1:8000")

    assert serve[0][0] == "serve"
    assert simulator[0][:5] == [
        "sidep-sim",
        "--certs",
        str(tmp_path / "sidep-certs"),
        "--port",
        "9443",
    ]
    assert "--state" in simulator[0]
    assert worker[0] == ["worker"]
    assert worker[1]["RELAIS_SIDEP_URL"] == "https://127.0.0.1:9443"
    for name in ("RELAIS_SIDEP_CLIENT_CERT", "RELAIS_SIDEP_CLIENT_KEY", "RELAIS_SIDEP_CA"):
        assert Path(worker[1][name]).is_file()
