"""Audit events of authentication. Ids only: never an e-mail address, password or code."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from relais.access.actors import ANONYMOUS, Actor
from relais.audit.actions import AuditAction
from relais.audit.events import DetailValue, record_event


def user_actor(user: AbstractBaseUser | None) -> Actor:
    if user is None or user.pk is None:
        return ANONYMOUS
    return Actor(kind="user", id=str(user.pk), platform_role=getattr(user, "platform_role", ""))


def audit_auth(
    action: AuditAction,
    user: AbstractBaseUser | None,
    *,
    outcome: str = "success",
    **details: DetailValue,
) -> None:
    """Write one authentication event in its own transaction (it must survive a refusal)."""
    with transaction.atomic():
        record_event(
            action,
            actor=user_actor(user),
            object_type="user" if user is not None else "",
            object_ids=[user.pk] if user is not None else [],
            outcome=outcome,
            details=details,
        )


def audit_sign_in_failure(
    user: AbstractBaseUser | None,
    *,
    reason: str,
    action: AuditAction = AuditAction.SIGN_IN_FAILED,
) -> None:
    """A failed sign-in: the account when the password matched it (inactive), else none."""
    audit_auth(action, user, outcome="failure", reason=reason)
