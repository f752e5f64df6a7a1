from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from relais.cli import main


def test_relais_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["relais", "--help"]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "serve", "worker", "sidep-sim", "demo-data", "migrate"):
        assert f"  {command}" in out


def test_demo_data_prints_every_credential_as_one_json_document(tmp_path: Path) -> None:
    env = {"RELAIS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "relais.cli", "migrate", "-v0"], env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-m", "relais.cli", "demo-data", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    data = json.loads(out)
    assert set(data) >= {"base_url", "pharmacies", "operator", "auditor"}
    assert len(data["pharmacies"]) == 2
    for pharmacy in data["pharmacies"]:
        assert {"id", "name", "finess", "api_key", "users"} <= set(pharmacy)
        assert sorted(u["role"] for u in pharmacy["users"]) == ["owner", "pharmacist", "technician"]
        for user in pharmacy["users"]:
            assert {"role", "email", "password", "totp_secret"} <= set(user)
            assert len(user["password"]) >= 12
    assert {"email", "password", "totp_secret"} <= set(data["operator"])
