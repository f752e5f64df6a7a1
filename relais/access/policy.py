"""The permission table: which role may do which action. Nothing else grants access.

Pharmacy actions are granted by a membership role *in that pharmacy*; platform actions by a
platform role. The operator and the auditor hold no pharmacy role, so no pharmacy action —
in particular no read of patient data — can ever be granted to them by this table.
"""

from __future__ import annotations

from enum import StrEnum

from relais.access.actors import Actor
from relais.access.errors import AccessDeniedError
from relais.access.roles import PharmacyRole, PlatformRole

OWNER, PHARMACIST, TECHNICIAN = PharmacyRole.OWNER, PharmacyRole.PHARMACIST, PharmacyRole.TECHNICIAN
ALL_STAFF = frozenset({OWNER, PHARMACIST, TECHNICIAN})


class Action(StrEnum):
    # Pharmacy actions (patient data and the pharmacy's own administration).
    SCREENING_CREATE = "screening.create"
    SCREENING_READ = "screening.read"
    SCREENING_CORRECT = "screening.correct"
    SCREENING_CANCEL = "screening.cancel"
    SCREENING_EXPORT = "screening.export"
    PREREGISTRATION_PICKUP = "preregistration.pickup"
    TRANSMISSION_REPLAY = "transmission.replay"
    DASHBOARD_VIEW = "dashboard.view"
    STAFF_MANAGE = "staff.manage"
    APIKEY_MANAGE = "apikey.manage"
    BILLING_READ = "billing.read"
    SUBJECT_REQUEST = "subject_request.handle"
    PHARMACY_AUDIT_READ = "pharmacy_audit.read"
    VALUESET_READ = "valueset.read"  # reference data (devices, test kinds): no personal data
    # Platform actions (never patient data).
    PHARMACY_MANAGE = "pharmacy.manage"
    RELAY_MONITOR = "relay.monitor"
    BILLING_MANAGE = "billing.manage"
    AUDIT_READ = "audit.read"
    BREACH_REPORT = "breach.report"


PHARMACY_PERMISSIONS: dict[Action, frozenset[str]] = {
    Action.SCREENING_CREATE: ALL_STAFF,
    Action.SCREENING_READ: ALL_STAFF,
    Action.SCREENING_CORRECT: ALL_STAFF,
    Action.SCREENING_CANCEL: frozenset({OWNER, PHARMACIST}),
    Action.SCREENING_EXPORT: frozenset({OWNER, PHARMACIST}),
    Action.PREREGISTRATION_PICKUP: ALL_STAFF,
    Action.TRANSMISSION_REPLAY: frozenset({OWNER, PHARMACIST}),
    Action.DASHBOARD_VIEW: ALL_STAFF,
    Action.STAFF_MANAGE: frozenset({OWNER}),
    Action.APIKEY_MANAGE: frozenset({OWNER}),
    Action.BILLING_READ: frozenset({OWNER}),
    Action.SUBJECT_REQUEST: frozenset({OWNER, PHARMACIST}),
    Action.PHARMACY_AUDIT_READ: frozenset({OWNER}),
    Action.VALUESET_READ: ALL_STAFF,
}

PLATFORM_PERMISSIONS: dict[Action, frozenset[str]] = {
    Action.PHARMACY_MANAGE: frozenset({PlatformRole.OPERATOR}),
    Action.RELAY_MONITOR: frozenset({PlatformRole.OPERATOR}),
    Action.BILLING_MANAGE: frozenset({PlatformRole.OPERATOR}),
    Action.AUDIT_READ: frozenset({PlatformRole.AUDITOR}),
    Action.BREACH_REPORT: frozenset({PlatformRole.AUDITOR}),
}

# Actions an API key may perform, by scope. Keys never manage staff, keys or billing.
# Writing covers the whole life of what the software submitted (record, correct, cancel)
# without reading anything back; reading is the status and versions. The reference data
# that both need (the device list, the test kinds) comes with either scope.
API_KEY_SCOPES: dict[str, frozenset[Action]] = {
    "screenings:write": frozenset(
        {
            Action.SCREENING_CREATE,
            Action.SCREENING_CORRECT,
            Action.SCREENING_CANCEL,
            Action.VALUESET_READ,
        }
    ),
    "screenings:read": frozenset({Action.SCREENING_READ, Action.VALUESET_READ}),
}


def scopes_allowing(action: Action) -> list[str]:
    """The API-key scopes any one of which allows `action` (none: no key may)."""
    return sorted(scope for scope, actions in API_KEY_SCOPES.items() if action in actions)


def is_platform_action(action: Action) -> bool:
    return action in PLATFORM_PERMISSIONS


def can(actor: Actor, action: Action, pharmacy_id: int | None = None) -> bool:
    """May ``actor`` perform ``action`` (on ``pharmacy_id`` for pharmacy actions)?"""
    if actor.kind == "anonymous":
        return False
    if actor.kind == "system":
        # The system actor exists only in processes started by the operator's own shell
        # (worker, purge, demo-data); no request can ever act as it.
        return True
    if actor.allowed_actions is not None and action not in actor.allowed_actions:
        return False
    if action in PLATFORM_PERMISSIONS:
        return actor.kind == "user" and actor.platform_role in PLATFORM_PERMISSIONS[action]
    roles = PHARMACY_PERMISSIONS.get(action)
    if roles is None or pharmacy_id is None:
        return False
    role = actor.role_in(pharmacy_id)
    return role is not None and role in roles


def can_anywhere(actor: Actor, action: Action) -> bool:
    """May ``actor`` perform ``action`` in at least one pharmacy (or on the platform)?"""
    if action in PLATFORM_PERMISSIONS:
        return can(actor, action)
    return any(can(actor, action, pharmacy_id) for pharmacy_id in actor.memberships)


def pharmacies_for(actor: Actor, action: Action) -> list[int]:
    """The pharmacies in which ``actor`` may perform ``action``: the scope of every query."""
    return sorted(p for p in actor.memberships if can(actor, action, p))


def require(actor: Actor, action: Action, pharmacy_id: int | None = None) -> None:
    if not can(actor, action, pharmacy_id):
        raise AccessDeniedError(actor, action, pharmacy_id)
