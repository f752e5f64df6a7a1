"""Bulk reads, large exports and canary reads raise alerts: an event and an e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from relais.access.actors import SYSTEM, Actor
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.audit.models import AuditEvent, CanaryRecord
from relais.audit.sealer import seal_pending
from relais.audit.services_upkeep import register_canary
from tests.accounts.conftest import Mailbox
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
READER = Actor(kind="user", id="41")


def _alerts() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=str(AuditAction.ALERT_RAISED)))


def _read(
    pharmacy_id: int, ids: list[str], action: AuditAction = AuditAction.PATIENT_FOUND
) -> None:
    record_event(
        action, actor=READER, pharmacy_id=pharmacy_id, object_type="patient", object_ids=ids
    )


@override_settings(RELAIS_AUDIT_BULK_READ_LIMIT=5)
def test_an_account_reading_too_many_persons_raises_one_alert(
    personas: Personas,
    smtp: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    pharmacy = personas.pharmacy_a.pk
    for index in range(4):
        _read(pharmacy, [f"p{index}", f"p{index + 10}"])
    with django_capture_on_commit_callbacks(execute=True):
        seal_pending()
    (alert,) = _alerts()
    assert alert.details == {"kind": "bulk_read", "actor": "user:41", "count": 8}
    assert alert.pharmacy_id == pharmacy
    _read(pharmacy, ["p99"])
    seal_pending()
    assert len(_alerts()) == 1  # not raised again within the window
    (message,) = smtp.wait_for(1)
    recipients = message["To"]
    assert "owner.a@example.test" in recipients and "op@example.test" in recipients
    assert "owner.b@example.test" not in recipients
    assert "p0" not in Mailbox.body(message)


@override_settings(RELAIS_AUDIT_BULK_READ_LIMIT=5)
def test_reading_the_same_persons_again_is_not_a_bulk_read() -> None:
    for _ in range(10):
        _read(1, ["p1", "p2"])
    seal_pending()
    assert _alerts() == []


@override_settings(RELAIS_AUDIT_EXPORT_LIMIT=3)
def test_an_export_above_the_limit_raises_an_alert() -> None:
    _read(1, ["a", "b", "c", "d"], AuditAction.SCREENINGS_EXPORTED)
    _read(1, ["a", "b", "c"], AuditAction.SCREENINGS_EXPORTED)
    seal_pending()
    (alert,) = _alerts()
    assert alert.details["kind"] == "large_export"
    assert alert.details["count"] == 4


def test_any_read_of_a_canary_record_raises_an_alert(personas: Personas) -> None:
    register_canary(SYSTEM, pharmacy_id=1, object_type="patient", object_id="decoy-1")
    _read(1, ["someone"])
    seal_pending()
    assert _alerts() == []
    _read(1, ["someone", "decoy-1"])
    seal_pending()
    (alert,) = _alerts()
    assert alert.details["kind"] == "canary"
    assert CanaryRecord.objects.count() == 1
    registered = AuditEvent.objects.get(action=str(AuditAction.CANARY_REGISTERED))
    assert registered.object_ids == []  # the log never names the decoy


def test_only_the_operator_side_may_register_a_canary(personas: Personas) -> None:
    from relais.access.errors import AccessDeniedError

    with pytest.raises(AccessDeniedError):
        register_canary(
            personas["owner_a"].actor, pharmacy_id=1, object_type="patient", object_id="x"
        )
