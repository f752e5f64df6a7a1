import pytest

from relais.access.actors import ANONYMOUS
from relais.access.policy import (
    PHARMACY_PERMISSIONS,
    PLATFORM_PERMISSIONS,
    Action,
    can,
    pharmacies_for,
)
from tests.conftest import Personas


def test_every_action_is_in_exactly_one_permission_table() -> None:
    pharmacy, platform = set(PHARMACY_PERMISSIONS), set(PLATFORM_PERMISSIONS)
    assert pharmacy.isdisjoint(platform)
    assert pharmacy | platform == set(Action)


@pytest.mark.parametrize("action", sorted(PHARMACY_PERMISSIONS))
def test_no_pharmacy_action_is_granted_in_the_other_pharmacy(
    personas: Personas, action: Action
) -> None:
    for name in ("owner_a", "pharmacist_a", "technician_a"):
        assert not can(personas[name].actor, action, personas.pharmacy_b.pk)


@pytest.mark.parametrize("action", sorted(PHARMACY_PERMISSIONS))
def test_the_operator_and_the_auditor_get_no_pharmacy_action(
    personas: Personas, action: Action
) -> None:
    for name in ("operator", "auditor"):
        for pharmacy in (personas.pharmacy_a, personas.pharmacy_b):
            assert not can(personas[name].actor, action, pharmacy.pk)


def test_an_anonymous_visitor_can_do_nothing() -> None:
    assert not any(can(ANONYMOUS, action, 1) for action in Action)


def test_a_technician_cannot_export_records(personas: Personas) -> None:
    assert not can(personas["technician_a"].actor, Action.SCREENING_EXPORT, personas.pharmacy_a.pk)
    assert can(personas["pharmacist_a"].actor, Action.SCREENING_EXPORT, personas.pharmacy_a.pk)


def test_only_the_owner_manages_staff_and_api_keys(personas: Personas) -> None:
    pharmacy = personas.pharmacy_a.pk
    for action in (Action.STAFF_MANAGE, Action.APIKEY_MANAGE):
        assert can(personas["owner_a"].actor, action, pharmacy)
        assert not can(personas["pharmacist_a"].actor, action, pharmacy)
        assert not can(personas["technician_a"].actor, action, pharmacy)


def test_the_operator_manages_pharmacies_but_the_auditor_only_reads_the_audit_log(
    personas: Personas,
) -> None:
    operator, auditor = personas["operator"].actor, personas["auditor"].actor
    assert can(operator, Action.PHARMACY_MANAGE) and not can(operator, Action.AUDIT_READ)
    assert can(auditor, Action.AUDIT_READ) and not can(auditor, Action.PHARMACY_MANAGE)


def test_a_pharmacy_role_never_grants_a_platform_action(personas: Personas) -> None:
    for action in PLATFORM_PERMISSIONS:
        assert not can(personas["owner_a"].actor, action)


def test_queries_are_scoped_to_the_pharmacies_where_the_action_is_allowed(
    personas: Personas,
) -> None:
    assert pharmacies_for(personas["owner_b"].actor, Action.SCREENING_READ) == [
        personas.pharmacy_b.pk
    ]
    assert pharmacies_for(personas["operator"].actor, Action.SCREENING_READ) == []


def test_a_deactivated_membership_grants_nothing(personas: Personas) -> None:
    persona = personas["pharmacist_a"]
    persona.user.membership_set.update(is_active=False)  # type: ignore[union-attr]
    assert not can(persona.actor, Action.SCREENING_READ, personas.pharmacy_a.pk)
