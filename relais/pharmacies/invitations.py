"""Invitation links: single use, 72 hours, 256-bit random tokens of which only a hash is kept.

Issuing is done by the services (``invite_owner``, ``invite_staff``, ``reset_access``) under
the permission table. Accepting is done by whoever holds the link — an anonymous visitor — so
it is not a permission decision but a token check; it still runs in one transaction and is
audited like a service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from relais.access.actors import Actor
from relais.accounts.models import Invitation, InvitationKind, User
from relais.accounts.notifications import send_invitation
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.pharmacies.models import Membership

TOKEN_BYTES = 32
DeactivationHook = Callable[[int, int | None], None]
_deactivation_hooks: list[DeactivationHook] = []


class InvitationInvalidError(Exception):
    """Unknown, expired, used or revoked: one error, so the page says nothing more."""


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once (in the e-mail); never stored

    @property
    def path(self) -> str:
        return f"/invitation/{self.token}/"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(
    actor: Actor,
    user: User,
    *,
    kind: InvitationKind,
    base_url: str,
    pharmacy_id: int | None = None,
    role: str = "",
) -> IssuedInvitation:
    """Create the invitation (revoking older open ones for the user) and mail the link."""
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at=None, revoked_at=None).update(revoked_at=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation.objects.create(
        user=user,
        pharmacy_id=pharmacy_id,
        role=role,
        kind=kind,
        token_hash=token_hash(token),
        created_by=actor.label,
        created_at=now,
        expires_at=now + dt.timedelta(hours=settings.RELAIS_INVITATION_HOURS),
    )
    issued = IssuedInvitation(invitation, token)
    send_invitation(
        user.email,
        base_url.rstrip("/") + issued.path,
        reset=kind == InvitationKind.RESET,
        hours=settings.RELAIS_INVITATION_HOURS,
    )
    return issued


def find_open(token: str) -> Invitation:
    """The open invitation of ``token``, or InvitationInvalidError."""
    if not token or len(token) > 128:  # noqa: PLR2004
        raise InvitationInvalidError
    invitation = (
        Invitation.objects.select_related("user")
        .filter(token_hash=token_hash(token), used_at=None, revoked_at=None)
        .first()
    )
    if invitation is None or invitation.expires_at <= timezone.now():
        raise InvitationInvalidError
    return invitation


def accept(token: str, password: str) -> User:
    """Consume the invitation: the invitee sets their own password; their factors come next."""
    with transaction.atomic():
        invitation = find_open(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise InvitationInvalidError
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        user = invitation.user
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        if invitation.pharmacy_id is not None:
            Membership.objects.filter(user=user, pharmacy_id=invitation.pharmacy_id).update(
                is_active=True
            )
        invitee = Actor(kind="user", id=str(user.pk), platform_role=user.platform_role)
        record_event(
            AuditAction.STAFF_JOINED,
            actor=invitee,
            pharmacy_id=invitation.pharmacy_id,
            object_type="invitation",
            object_ids=[invitation.pk],
            details={"kind": invitation.kind},
        )
        record_event(
            AuditAction.PASSWORD_CHANGED, actor=invitee, object_type="user", object_ids=[user.pk]
        )
    return user


def clear_factors(user: User) -> int:
    """Remove every MFA authenticator of ``user`` (a reset); returns how many."""
    deleted, _ = Authenticator.objects.filter(user=user).delete()
    return int(deleted)


def end_sessions(user_id: int) -> int:
    """Delete every server-side session of ``user_id``: signed out everywhere, at once."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()
            ended += 1
    return ended


def register_deactivation_hook(hook: DeactivationHook) -> None:
    """Let another app (API keys) act when a member is deactivated: hook(user_id, pharmacy)."""
    if hook not in _deactivation_hooks:
        _deactivation_hooks.append(hook)


def run_deactivation_hooks(user_id: int, pharmacy_id: int | None) -> None:
    for hook in list(_deactivation_hooks):
        hook(user_id, pharmacy_id)
