"""Guard: services own their transaction and always write an audit event."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import relais
from relais.access.actors import ANONYMOUS
from relais.access.errors import AccessDeniedError
from relais.access.policy import Action, require
from relais.audit.models import AuditEvent
from relais.core.services import AuditEventMissingError, service
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
