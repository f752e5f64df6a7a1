"""Pharmacies and their staff. Invitations and deactivation land with the accounts issue."""

from __future__ import annotations

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.access.roles import PharmacyRole
from relais.accounts.models import User
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.pharmacies.finess import normalize_finess
from relais.pharmacies.models import Membership, Pharmacy, PharmacyStatus


@service
def create_pharmacy(
    actor: Actor,
    *,
    name: str,
    finess: str,
    address_line: str = "",
    postal_code: str = "",
    city: str = "",
) -> Pharmacy:
    require(actor, Action.PHARMACY_MANAGE)
    pharmacy = Pharmacy.objects.create(
        name=name.strip(),
        finess=normalize_finess(finess),
        address_line=address_line,
        postal_code=postal_code,
        city=city,
    )
    record_event(
        AuditAction.PHARMACY_CREATED,
        actor=actor,
        pharmacy_id=pharmacy.pk,
        object_type="pharmacy",
        object_ids=[pharmacy.pk],
    )
    return pharmacy


@service
def set_pharmacy_status(actor: Actor, pharmacy: Pharmacy, status: PharmacyStatus) -> Pharmacy:
    require(actor, Action.PHARMACY_MANAGE)
    pharmacy.status = status
    pharmacy.save(update_fields=["status"])
    action = (
        AuditAction.PHARMACY_SUSPENDED
        if status == PharmacyStatus.SUSPENDED
        else AuditAction.PHARMACY_REACTIVATED
    )
    record_event(
        action,
        actor=actor,
        pharmacy_id=pharmacy.pk,
        object_type="pharmacy",
        object_ids=[pharmacy.pk],
    )
    return pharmacy


@service
def add_member(actor: Actor, pharmacy: Pharmacy, user: User, role: PharmacyRole) -> Membership:
    """Give ``user`` a role in ``pharmacy`` (the operator for owners, owners for staff)."""
    if role == PharmacyRole.OWNER:
        require(actor, Action.PHARMACY_MANAGE)
    else:
        require(actor, Action.STAFF_MANAGE, pharmacy.pk)
    membership, _ = Membership.objects.update_or_create(
        user=user, pharmacy=pharmacy, defaults={"role": role, "is_active": True}
    )
    record_event(
        AuditAction.STAFF_JOINED,
        actor=actor,
        pharmacy_id=pharmacy.pk,
        object_type="membership",
        object_ids=[membership.pk],
        details={"role": str(role)},
    )
    return membership
