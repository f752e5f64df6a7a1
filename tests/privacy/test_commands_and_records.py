"""`relais purge [--dry-run]`, `relais compliance report`, the worker job, the settings."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from relais.core.jobs import JOBS
from relais.privacy.services.purging import set_retention_contract
from relais.screening.models import ScreeningVersion
from tests.conftest import Personas
from tests.privacy.helpers import ACK, REJECTED, Clock, record, settle

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_dry_run_prints_counts_per_class_and_pharmacy_and_deletes_nothing(
    personas: Personas,
) -> None:
    long_ago = timezone.now() - dt.timedelta(days=40)
    done = record(personas["owner_a"].actor, personas.pharmacy_a.pk, 1, timezone.now())
    settle(done, ACK, long_ago)
    failed = record(personas["owner_b"].actor, personas.pharmacy_b.pk, 2, timezone.now())
    settle(failed, REJECTED, long_ago)

    output = _run("purge", "--dry-run")
    assert f"acknowledged      pharmacy {personas.pharmacy_a.finess}" in output
    assert f"failed            pharmacy {personas.pharmacy_b.finess}" in output
    assert "Lefebvre" not in output
    assert ScreeningVersion.objects.count() == 2

    output = _run("purge")
    assert "purged: acknowledged" in output
    assert not ScreeningVersion.objects.exists()


def test_the_worker_runs_the_purge_every_hour(personas: Personas, clock: Clock) -> None:
    job = JOBS["privacy.purge"]
    assert job.every_seconds == 3600
    screening = record(personas["owner_a"].actor, personas.pharmacy_a.pk, 1, clock.now())
    settle(screening, ACK, clock.now())
    clock.advance(days=8)
    assert job.run() >= 1
    assert not ScreeningVersion.objects.exists()


def test_the_owner_is_warned_once_before_a_failed_item_is_purged_without_personal_data(
    personas: Personas,
    clock: Clock,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from relais.privacy.models import ExpiryWarning
    from relais.privacy.runner import run_retention_job

    screening = record(personas["owner_a"].actor, personas.pharmacy_a.pk, 1, clock.now())
    settle(screening, REJECTED, clock.now())
    with django_capture_on_commit_callbacks(execute=True):
        run_retention_job(clock.now() + dt.timedelta(days=22, hours=23))
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        run_retention_job(clock.now() + dt.timedelta(days=23))
        run_retention_job(clock.now() + dt.timedelta(days=24))

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["owner.a@example.test"]
    assert "1 dépistage" in mail.body
    assert "Lefebvre" not in mail.body
    assert str(screening.pk) not in mail.body
    assert ScreeningVersion.objects.exists()
    run_retention_job(clock.now() + dt.timedelta(days=30))
    assert not ScreeningVersion.objects.exists()
    assert not ExpiryWarning.objects.exists()


@override_settings(
    RELAIS_HOSTING_PROVIDER="Hébergeur HDS Exemple (certificat 2024-01)",
    RELAIS_DPO_CONTACT="dpo@relais.example",
    RELAIS_SIDEP_URL="https://sidep.example.gouv.fr/api",
    RELAIS_AUDIT_RETENTION_DAYS=300,
)
def test_the_processing_record_is_generated_from_the_actual_configuration(
    personas: Personas,
) -> None:
    output = _run("compliance", "report")
    assert output.startswith("# Record of processing activities")
    for expected in (
        "sidep.example.gouv.fr",
        "Hébergeur HDS Exemple",
        "dpo@relais.example",
        "300 days",
        "AES-256-GCM",
        "Argon2id",
        "screening.Patient",
        "| 7 days",
        "None",
    ):
        assert expected in output, expected


def test_a_pharmacy_sheet_shows_its_contract_and_how_to_exercise_rights(
    personas: Personas,
) -> None:
    set_retention_contract(personas["operator"].actor, personas.pharmacy_b.pk, 3)
    sheet = _run("compliance", "report", "--pharmacy", personas.pharmacy_b.finess)
    assert personas.pharmacy_b.name in sheet
    assert "| 3 days |" in sheet
    assert "/privacy/requests/" in sheet
    with pytest.raises(CommandError):
        _run("compliance", "report", "--pharmacy", "000000000")
