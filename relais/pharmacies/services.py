"""Pharmacies and their staff: creation, invitations, deactivation, access resets."""

from __future__ import annotations

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.access.roles import PharmacyRole
from relais.accounts.models import InvitationKind, User
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.pharmacies import invitations
from relais.pharmacies.finess import normalize_finess
from relais.pharmacies.invitations import IssuedInvitation
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


STAFF_ROLES = frozenset({PharmacyRole.PHARMACIST, PharmacyRole.TECHNICIAN})


def _invitee(email: str, full_name: str) -> User:
    """The invitee's account: new ones have no usable password until they accept."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        user = User.objects.create_user(email.strip(), None, full_name=full_name.strip())
    return user


def _invite_member(
    actor: Actor, pharmacy: Pharmacy, *, email: str, full_name: str, role: str, base_url: str
) -> IssuedInvitation:
    user = _invitee(email, full_name)
    # Inactive until accepted: the role is reserved, nothing is reachable yet.
    membership, _ = Membership.objects.update_or_create(
        user=user, pharmacy=pharmacy, defaults={"role": role, "is_active": False}
    )
    issued = invitations.issue(
        actor,
        user,
        kind=InvitationKind.JOIN,
        base_url=base_url,
        pharmacy_id=pharmacy.pk,
        role=role,
    )
    record_event(
        AuditAction.STAFF_INVITED,
        actor=actor,
        pharmacy_id=pharmacy.pk,
        object_type="membership",
        object_ids=[membership.pk],
        details={"role": role, "invitation": issued.invitation.pk},
    )
    return issued


@service
def invite_owner(
    actor: Actor, pharmacy: Pharmacy, *, email: str, full_name: str, base_url: str
) -> IssuedInvitation:
    """The operator invites a pharmacy's owner pharmacist (single-use link, 72 h)."""
    require(actor, Action.PHARMACY_MANAGE)
    return _invite_member(
        actor,
        pharmacy,
        email=email,
        full_name=full_name,
        role=PharmacyRole.OWNER,
        base_url=base_url,
    )


@service
def invite_staff(
    actor: Actor,
    pharmacy: Pharmacy,
    *,
    email: str,
    full_name: str,
    role: PharmacyRole,
    base_url: str,
) -> IssuedInvitation:
    """An owner invites a pharmacist or a technician to their own pharmacy."""
    require(actor, Action.STAFF_MANAGE, pharmacy.pk)
    if role not in STAFF_ROLES:
        raise ValueError("owners invite pharmacists and technicians; the operator invites owners")
    return _invite_member(
        actor, pharmacy, email=email, full_name=full_name, role=role, base_url=base_url
    )


def _require_manager_of(actor: Actor, membership: Membership) -> None:
    """Owners manage their staff; only the operator manages an owner."""
    if membership.role == PharmacyRole.OWNER:
        require(actor, Action.PHARMACY_MANAGE)
    else:
        require(actor, Action.STAFF_MANAGE, membership.pharmacy_id)


@service
def deactivate_member(actor: Actor, membership: Membership) -> Membership:
    """End a member's access to a pharmacy at once; without any other role the account is
    deactivated and every session of it deleted (API-key hooks run too)."""
    _require_manager_of(actor, membership)
    if actor.kind == "user" and actor.id == str(membership.user_id):
        raise ValueError("one cannot deactivate oneself")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    user = membership.user
    still_member = Membership.objects.filter(user=user, is_active=True).exists()
    if not still_member and not user.platform_role:
        user.is_active = False
        user.save(update_fields=["is_active"])
        invitations.end_sessions(user.pk)
    invitations.run_deactivation_hooks(user.pk, membership.pharmacy_id)
    record_event(
        AuditAction.STAFF_DEACTIVATED,
        actor=actor,
        pharmacy_id=membership.pharmacy_id,
        object_type="membership",
        object_ids=[membership.pk],
        details={"account_deactivated": not user.is_active},
    )
    return membership


@service
def reset_member_access(actor: Actor, membership: Membership, *, base_url: str) -> IssuedInvitation:
    """A lost factor or password: clear the factors, sign out everywhere, send a new link.

    Nobody sets another person's password: the member chooses a new one from the link.
    """
    from relais.accounts.notifications import notify

    _require_manager_of(actor, membership)
    user = membership.user
    removed = invitations.clear_factors(user)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    invitations.end_sessions(user.pk)
    issued = invitations.issue(
        actor,
        user,
        kind=InvitationKind.RESET,
        base_url=base_url,
        pharmacy_id=membership.pharmacy_id,
        role=membership.role,
    )
    record_event(
        AuditAction.FACTOR_REMOVED,
        actor=actor,
        pharmacy_id=membership.pharmacy_id,
        object_type="user",
        object_ids=[user.pk],
        details={"reset": True, "authenticators": removed, "invitation": issued.invitation.pk},
    )
    notify(user, "factors_reset")
    return issued
