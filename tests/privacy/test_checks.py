"""Retention within its legal bounds and the processor's identity are system checks: every
long-lived command refuses to start without them, with the rule it broke."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from relais.privacy.checks import check_processor_identity, check_retention_bounds
from relais.privacy.compliance import processing_record
from tests.core.test_settings_fail_closed import production_env, run_relais

OUT_OF_BOUNDS = [
    ({"RELAIS_RETENTION_SCREENING_DAYS": "45"}, "between 1 and 30"),
    ({"RELAIS_RETENTION_FAILED_DAYS": "90"}, "between 7 and 30"),
    ({"RELAIS_AUDIT_RETENTION_DAYS": "4000"}, "between 180 and 366"),
    ({"RELAIS_AUDIT_RETENTION_DAYS": "90"}, "between 180 and 366"),
    ({"RELAIS_RETENTION_BILLING_YEARS": "5"}, "between 10 and 10"),
    ({"RELAIS_RETENTION_WARNING_DAYS": "10", "RELAIS_RETENTION_FAILED_DAYS": "8"}, "less than"),
]


def _ids(errors: list[object]) -> list[str]:
    return [str(getattr(error, "id", "")) for error in errors]


def test_the_default_retention_passes_its_checks() -> None:
    assert check_retention_bounds() == []


@pytest.mark.parametrize(("override", "message"), OUT_OF_BOUNDS)
def test_a_retention_outside_its_legal_bounds_is_a_check_error(
    override: dict[str, str], message: str
) -> None:
    with override_settings(**{name: int(value) for name, value in override.items()}):
        errors = check_retention_bounds()
    assert len(errors) == 1
    assert errors[0].is_serious()
    assert message in errors[0].msg


@override_settings(PRODUCTION=True, RELAIS_HOSTING_PROVIDER="", RELAIS_DPO_CONTACT=" ")
def test_production_needs_the_host_and_the_dpo_named() -> None:
    errors = check_processor_identity()
    assert _ids(errors) == ["privacy.E003", "privacy.E003"]
    assert "RELAIS_HOSTING_PROVIDER is required in production" in errors[0].msg
    assert "RELAIS_DPO_CONTACT is required in production" in errors[1].msg


@pytest.mark.django_db
@override_settings(RELAIS_HOSTING_PROVIDER="", RELAIS_DPO_CONTACT="")
def test_a_development_install_may_leave_them_unset_and_its_sheets_say_so() -> None:
    assert check_processor_identity() == []
    record = processing_record()
    assert "set me (RELAIS_HOSTING_PROVIDER)" in record
    assert "set me (RELAIS_DPO_CONTACT)" in record


@pytest.mark.parametrize("command", [["check"], ["migrate"], ["worker"], ["serve"]])
def test_every_long_lived_command_refuses_a_retention_out_of_bounds(
    tmp_path: Path, command: list[str]
) -> None:
    result = run_relais(command, {"RELAIS_RETENTION_SCREENING_DAYS": "45"}, tmp_path)
    assert result.returncode != 0
    assert "RELAIS_RETENTION_SCREENING_DAYS must be between 1 and 30" in result.stderr
    assert "privacy.E001" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["worker", "serve"])
def test_serving_commands_stop_on_one_line_before_touching_the_database(
    tmp_path: Path, command: str
) -> None:
    override = {
        "RELAIS_RETENTION_FAILED_DAYS": "90",
        "DATABASE_URL": "postgresql://x@127.0.0.1:1/x",
    }
    result = run_relais([command], override, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "relais: configuration error: RELAIS_RETENTION_FAILED_DAYS must be between 7 and 30 "
        "(days a rejected or dead item waits for a fix), not 90. (privacy.E001)"
    ]


@pytest.mark.parametrize("missing", ["RELAIS_HOSTING_PROVIDER", "RELAIS_DPO_CONTACT"])
def test_production_refuses_to_start_without_the_processor_identity(
    tmp_path: Path, missing: str
) -> None:
    result = run_relais(["check"], production_env(tmp_path, **{missing: ""}), tmp_path)
    assert result.returncode != 0
    assert f"{missing} is required in production" in result.stderr
    assert "Traceback" not in result.stderr
