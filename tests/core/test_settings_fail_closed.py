"""Production refuses to start on missing or weak settings, with an actionable message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_SECRET = "k" * 20 + "Zq9!xY7@wV5#uT3$sR1%pO8^nM6&lK4*jH2(gF0)" + "abc"


def run_relais(
    args: list[str], env_overrides: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RELAIS_", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    env.update({"RELAIS_DATA_DIR": str(tmp_path / "data"), **env_overrides})
    return subprocess.run(
        [sys.executable, "-m", "relais.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


PRODUCTION_OK = {
    "RELAIS_ENV": "production",
    "SECRET_KEY": GOOD_SECRET,
    "ALLOWED_HOSTS": "relais.example.fr",
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/postgres",
    "RELAIS_KEY_PROVIDER": "file",
    "RELAIS_SIDEP_URL": "https://sidep.example.fr/relais",
    "RELAIS_HOSTING_PROVIDER": "Hébergeur certifié HDS (exemple)",
    "RELAIS_DPO_CONTACT": "dpo@relais.example.fr",
}
SIDEP_FILES = {
    "RELAIS_SIDEP_CLIENT_CERT": "client.pem",
    "RELAIS_SIDEP_CLIENT_KEY": "client.key",
    "RELAIS_SIDEP_CA": "ca.pem",
}


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """A complete production environment (with real certificate files), then ``overrides``."""
    env = dict(PRODUCTION_OK)
    for name, file_name in SIDEP_FILES.items():
        path = tmp_path / file_name
        path.write_text("-----BEGIN PLACEHOLDER-----\n")
        env[name] = str(path)
    env.update(overrides)
    return env


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is missing"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "django-insecure-" + GOOD_SECRET}, "insecure"),
        ({"ALLOWED_HOSTS": "*"}, "never '*'"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must list"),
        ({"DATABASE_URL": ""}, "DATABASE_URL is required"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "PostgreSQL"),
        ({"RELAIS_DEBUG": "true"}, "RELAIS_DEBUG cannot be on"),
        ({"RELAIS_ENV": "staging"}, "RELAIS_ENV must be"),
        ({"RELAIS_KEY_PROVIDER": ""}, "RELAIS_KEY_PROVIDER must be"),
        ({"RELAIS_KEY_PROVIDER": "pkcs11"}, "RELAIS_PKCS11_MODULE"),
        ({"RELAIS_SIDEP_URL": "http://sidep.example.fr"}, "https://"),
        ({"RELAIS_SIDEP_CA": "/nonexistent/ca.pem"}, "RELAIS_SIDEP_CA"),
        ({"RELAIS_TRUSTED_PROXY_HEADERS": "maybe"}, "RELAIS_TRUSTED_PROXY_HEADERS must be"),
    ],
)
def test_production_refuses_to_start_with_a_missing_or_weak_setting(
    tmp_path: Path, override: dict[str, str], message: str
) -> None:
    result = run_relais(["check"], production_env(tmp_path, **override), tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_secret_can_be_read_from_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(GOOD_SECRET)
    overrides = {**production_env(tmp_path), "SECRET_KEY_FILE": str(secret_file)}
    overrides.pop("SECRET_KEY")
    result = run_relais(["check", "--deploy", "--fail-level", "CRITICAL"], overrides, tmp_path)
    assert "SECRET_KEY" not in result.stderr, result.stderr


def test_an_unreadable_secret_file_is_an_actionable_error(tmp_path: Path) -> None:
    overrides = {**production_env(tmp_path), "SECRET_KEY_FILE": str(tmp_path / "nope")}
    overrides.pop("SECRET_KEY")
    result = run_relais(["check"], overrides, tmp_path)
    assert result.returncode == 2
    assert "SECRET_KEY_FILE points to" in result.stderr


def test_development_secrets_are_generated_once_with_owner_only_permissions(tmp_path: Path) -> None:
    result = run_relais(["check"], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    secrets_file = tmp_path / "data" / "dev-secrets.json"
    assert secrets_file.stat().st_mode & 0o777 == 0o600
    first = secrets_file.read_text()
    run_relais(["check"], {}, tmp_path)
    assert secrets_file.read_text() == first


def test_a_wrong_database_url_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_relais(["migrate"], {"DATABASE_URL": "mysql://x@y/z"}, tmp_path)
    assert result.returncode == 2
    assert "unsupported engine" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_that_is_down_is_a_one_line_error(tmp_path: Path) -> None:
    url = "postgresql://postgres@127.0.0.1:1/relais"
    result = run_relais(["migrate"], {"DATABASE_URL": url}, tmp_path)
    assert result.returncode == 2
    assert "database cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_data_directory_that_cannot_be_created_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_relais(["check"], {"RELAIS_DATA_DIR": str(blocker / "data")}, tmp_path)
    assert result.returncode == 2
    assert "RELAIS_DATA_DIR" in result.stderr
