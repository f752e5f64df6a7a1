"""Shared helpers of the audit tests: fill the log, run the CLI, act as an attacker."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import connection

from relais.access.actors import Actor
from relais.audit.actions import AuditAction
from relais.audit.events import record_event

READER = Actor(kind="user", id="7")


def fill_log(count: int, *, pharmacy_id: int = 1) -> None:
    for index in range(count):
        record_event(
            AuditAction.SCREENING_VIEWED,
            actor=READER,
            pharmacy_id=pharmacy_id,
            object_type="screening",
            object_ids=[f"s-{index}"],
            details={"n": index},
        )


def run_verify(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def drop_triggers() -> None:
    """What an attacker with database access does first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


def execute(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
