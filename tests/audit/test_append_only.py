import pytest
from django.db import DatabaseError, transaction

from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.audit.models import AuditEvent, AuditPurgePermit


@pytest.mark.django_db
def test_the_database_refuses_to_update_an_audit_event() -> None:
    event = record_event(AuditAction.SIGNED_OUT)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    assert AuditEvent.objects.get(pk=event.pk).action == "auth.signed_out"


@pytest.mark.django_db
def test_the_database_refuses_to_delete_an_audit_event() -> None:
    event = record_event(AuditAction.SIGNED_OUT)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_deletion_is_possible_only_under_a_purge_permit() -> None:
    event = record_event(AuditAction.SIGNED_OUT)
    with transaction.atomic():
        permit = AuditPurgePermit.objects.create()
        AuditEvent.objects.filter(pk=event.pk).delete()
        permit.delete()
    assert not AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_an_event_carries_no_more_than_ids() -> None:
    event = record_event(AuditAction.SCREENING_VIEWED, object_type="screening", object_ids=[1, "b"])
    assert event.object_ids == ["1", "b"]
    assert event.actor_type == "system"
