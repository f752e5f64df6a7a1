"""Retention purge keeps the log verifiable; the breach report counts persons per controller."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from relais.access.actors import SYSTEM, Actor
from relais.access.errors import AccessDeniedError
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.audit.models import AuditEvent, AuditSeal
from relais.audit.sealer import seal_pending
from relais.audit.services import breach_report
from relais.audit.services_upkeep import purge_audit_events
from tests.audit.helpers import drop_triggers, execute, fill_log, run_verify

pytestmark = pytest.mark.django_db


def _age_events(days: int) -> None:
    drop_triggers()
    execute(
        "UPDATE audit_auditevent SET occurred_at = %s", [timezone.now() - dt.timedelta(days=days)]
    )


def _restore_triggers() -> None:
    """Back to the real thing, so the purge goes through its permit."""
    from importlib import import_module

    from django.db import connection

    migration = import_module("relais.audit.migrations.0002_audit_append_only")
    if connection.vendor == "postgresql":
        execute("ALTER TABLE audit_auditevent ENABLE TRIGGER ALL")
    else:
        for statement in migration.SQLITE_UP:
            execute(statement)


def test_the_purge_deletes_old_events_and_the_log_still_verifies() -> None:
    fill_log(4)
    _age_events(400)
    _restore_triggers()
    seal_pending()
    fill_log(2)
    assert purge_audit_events(SYSTEM, timezone.now() - dt.timedelta(days=365)) == 4
    seal_pending()
    assert AuditEvent.objects.filter(action="screening.viewed").count() == 2
    assert AuditSeal.objects.filter(purged=True).count() == 4
    code, out, err = run_verify()
    assert code == 0, err
    assert "4 purged" in out


def test_the_purge_is_itself_recorded_with_its_count() -> None:
    fill_log(1)
    seal_pending()
    purge_audit_events(SYSTEM, timezone.now() + dt.timedelta(seconds=1))
    event = AuditEvent.objects.get(action=str(AuditAction.AUDIT_PURGED))
    assert event.details["count"] == 1
    assert event.details["through_position"] == 0


def test_unsealed_events_are_never_purged() -> None:
    fill_log(2)
    assert purge_audit_events(SYSTEM, timezone.now() + dt.timedelta(seconds=1)) == 0
    assert AuditEvent.objects.filter(action="screening.viewed").count() == 2


def test_a_deletion_beyond_what_the_purge_declared_is_still_caught() -> None:
    fill_log(3)
    seal_pending()
    purge_audit_events(SYSTEM, timezone.now() + dt.timedelta(seconds=1))
    fill_log(2)
    seal_pending()
    drop_triggers()
    victim = AuditSeal.objects.order_by("-position").values_list("event_id", "position")[0]
    execute("DELETE FROM audit_auditevent WHERE id = %s", [victim[0]])
    code, _, err = run_verify()
    assert code == 1
    assert f"first bad position {victim[1]}" in err


def test_only_the_system_may_purge(personas: object) -> None:
    with pytest.raises(AccessDeniedError):
        purge_audit_events(Actor(kind="user", id="1", platform_role="auditor"), timezone.now())


def _reads(actor: Actor, pharmacy_id: int, patients: list[str]) -> None:
    record_event(
        AuditAction.PATIENT_FOUND,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="patient",
        object_ids=patients,
    )


def test_the_breach_report_counts_unique_persons_per_pharmacy() -> None:
    thief = Actor(kind="user", id="66")
    _reads(thief, 1, ["p1", "p2"])
    _reads(thief, 1, ["p2", "p3"])
    _reads(thief, 2, ["q1"])
    _reads(Actor(kind="user", id="5"), 1, ["p9"])
    now = timezone.now()
    window = {"start": now - dt.timedelta(hours=1), "end": now + dt.timedelta(hours=1)}
    impacts = breach_report(SYSTEM, platform=True, account="user:66", **window)
    assert {p: i.person_count for p, i in impacts.items()} == {1: 3, 2: 1}
    assert impacts[1].categories == {"identity", "nir", "contact"}
    everyone = breach_report(SYSTEM, platform=True, **window)
    assert everyone[1].person_count == 4


def test_the_breach_report_command_prints_counts_only_by_default() -> None:
    _reads(Actor(kind="user", id="66"), 1, ["p1", "p2"])
    out = io.StringIO()
    today = timezone.localdate()
    call_command(
        "breach_report",
        "--from",
        str(today),
        "--to",
        str(today + dt.timedelta(days=1)),
        "--all",
        stdout=out,
    )
    assert out.getvalue().splitlines()[1].startswith("1,2,1,")
    assert "p1" not in out.getvalue()
    assert AuditEvent.objects.filter(action=str(AuditAction.BREACH_REPORTED)).exists()
