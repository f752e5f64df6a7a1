"""Signal receivers: audit every authentication event, notify credential changes.

Signals rather than view code because allauth owns the views; every path it offers (sign-in,
passkey sign-in, re-authentication, enrolment) fires them.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.http import HttpRequest

from relais.accounts import sessions
from relais.accounts.auditing import audit_auth
from relais.accounts.notifications import notify
from relais.audit.actions import AuditAction

SECOND_FACTORS = {"totp", "webauthn"}


@receiver(auth_signals.user_logged_in, dispatch_uid="relais.accounts.logged_in")
def on_logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.mark_started(request)
    audit_auth(AuditAction.SIGN_IN_SUCCEEDED, user)


@receiver(auth_signals.user_logged_out, dispatch_uid="relais.accounts.logged_out")
def on_logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_auth(AuditAction.SIGNED_OUT, user)


@receiver(mfa_signals.authenticator_used, dispatch_uid="relais.accounts.factor_used")
def on_factor_used(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    reauthenticated = bool(kwargs.get("reauthenticated"))
    action = AuditAction.REAUTHENTICATED if reauthenticated else AuditAction.SECOND_FACTOR_SUCCEEDED
    audit_auth(
        action, user, factor=str(authenticator.type), passwordless=bool(kwargs.get("passwordless"))
    )
    if reauthenticated and request is not None:
        request.session.cycle_key()  # a privilege change: a new session id


@receiver(mfa_signals.authentication_failed, dispatch_uid="relais.accounts.factor_failed")
def on_factor_failed(sender: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    """allauth's own failure signal (WebAuthn assertions); codes are audited by our forms."""
    if str(authenticator.type) == "webauthn":
        audit_auth(AuditAction.SECOND_FACTOR_FAILED, user, outcome="failure", factor="webauthn")


@receiver(mfa_signals.authenticator_added, dispatch_uid="relais.accounts.factor_added")
def on_factor_added(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    kind = str(authenticator.type)
    audit_auth(AuditAction.FACTOR_ADDED, user, factor=kind)
    if kind in SECOND_FACTORS:
        notify(user, "factor_added")
        if request is not None and request.user.is_authenticated:
            sessions.mark_factor_proven(request, authenticator.pk, kind)
            request.session.cycle_key()


@receiver(mfa_signals.authenticator_removed, dispatch_uid="relais.accounts.factor_removed")
def on_factor_removed(sender: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit_auth(AuditAction.FACTOR_REMOVED, user, factor=str(authenticator.type))
    notify(user, "factor_removed")


@receiver(mfa_signals.authenticator_reset, dispatch_uid="relais.accounts.factor_reset")
def on_factor_reset(sender: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    audit_auth(AuditAction.FACTOR_ADDED, user, factor=str(authenticator.type), regenerated=True)
    notify(user, "recovery_codes_generated")


@receiver(account_signals.password_changed, dispatch_uid="relais.accounts.password_changed")
def on_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_auth(AuditAction.PASSWORD_CHANGED, user)
    notify(user, "password_changed")
    if request is not None:
        request.session.cycle_key()


@receiver(account_signals.authentication_step_completed, dispatch_uid="relais.accounts.reauth_step")
def on_step(sender: Any, user: Any, method: str, **kwargs: Any) -> None:
    """A password re-authentication (second factors are audited by ``on_factor_used``)."""
    if method == "password" and kwargs.get("reauthenticated"):
        audit_auth(AuditAction.REAUTHENTICATED, user, factor="password")
