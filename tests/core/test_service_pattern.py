"""Guard: services own their transaction and always write an audit event."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import relais
from relais.access.actors import ANONYMOUS, SYSTEM
from relais.access.errors import AccessDeniedError
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.audit.models import AuditEvent
from relais.core.services import AuditEventMissingError, one_transaction, service
from relais.pharmacies.models import Pharmacy


def service_modules() -> list[object]:
    modules = []
    for info in pkgutil.walk_packages(relais.__path__, "relais."):
        if info.name == "relais.core.services":  # the pattern itself
            continue
        if info.name.endswith(".services") or ".services." in info.name:
            modules.append(importlib.import_module(info.name))
    return modules


def test_there_are_service_modules_to_check() -> None:
    assert len(service_modules()) >= 1


def test_every_public_function_of_a_services_module_is_a_service() -> None:
    undecorated = []
    for module in service_modules():
        for name, func in inspect.getmembers(module, inspect.isfunction):
            own = func.__module__ == module.__name__  # type: ignore[attr-defined]
            public = not name.startswith("_")
            if own and public and not getattr(func, "__relais_service__", False):
                undecorated.append(f"{module.__name__}.{name}")  # type: ignore[attr-defined]
    assert undecorated == []


@pytest.mark.django_db
def test_a_service_that_writes_no_audit_event_is_rolled_back() -> None:
    @service
    def forgetful() -> None:
        Pharmacy.objects.create(name="X", finess="690000013")

    with pytest.raises(AuditEventMissingError):
        forgetful()
    assert not Pharmacy.objects.exists()


@pytest.mark.django_db
def test_a_refused_action_is_rolled_back_and_its_refusal_audited() -> None:
    @service
    def guarded() -> None:
        Pharmacy.objects.create(name="X", finess="690000013")
        require(ANONYMOUS, Action.PHARMACY_MANAGE)

    with pytest.raises(AccessDeniedError):
        guarded()
    assert not Pharmacy.objects.exists()
    refusal = AuditEvent.objects.get()
    assert refusal.action == "access.denied"
    assert refusal.outcome == "denied"
    assert refusal.details == {"action": "pharmacy.manage"}


def _recording_service() -> Callable[[str], None]:
    @service
    def record(finess: str) -> None:
        Pharmacy.objects.create(name="Pharmacie du Parc", finess=finess)
        record_event(AuditAction.API_CALL, actor=SYSTEM, outcome="success")

    return record


@pytest.mark.django_db
def test_a_service_called_first_in_one_transaction_joins_it_without_a_savepoint() -> None:
    record = _recording_service()

    with CaptureQueriesContext(connection) as sent, one_transaction():
        record("690000013")
        record("690000021")  # a later call keeps its savepoint

    savepoints = [q["sql"] for q in sent.captured_queries if q["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) == 1
    assert Pharmacy.objects.count() == 2


@pytest.mark.django_db
def test_an_error_in_one_transaction_rolls_back_the_block_and_the_joined_service() -> None:
    record = _recording_service()

    with pytest.raises(RuntimeError), one_transaction():
        Pharmacy.objects.create(name="Pharmacie de la Gare", finess="690000039")
        record("690000013")
        raise RuntimeError("the caller's own step fails after the service")

    assert not Pharmacy.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_refusal_inside_one_transaction_is_audited_after_the_rollback() -> None:
    @service
    def guarded() -> None:
        Pharmacy.objects.create(name="X", finess="690000013")
        require(ANONYMOUS, Action.PHARMACY_MANAGE)

    with pytest.raises(AccessDeniedError), one_transaction():
        guarded()

    assert not Pharmacy.objects.exists()
    refusal = AuditEvent.objects.get()
    assert (refusal.action, refusal.outcome) == ("access.denied", "denied")
