"""allauth adapters: invitation-only accounts, throttled sign-in, MFA secrets in the vault.

allauth is the well-kept protocol code (password login stages, TOTP, WebAuthn, recovery
codes, re-authentication); these adapters are where Relais' rules plug into it.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from relais.accounts import sealing, throttle
from relais.accounts.auditing import audit_sign_in_failure, user_actor
from relais.accounts.devices import remember_device
from relais.audit.actions import AuditAction
from relais.core.context import client_address

# One answer for every failure: unknown address, wrong password, locked or inactive account.
SIGN_IN_REFUSED = _(
    "Adresse e-mail ou mot de passe incorrect. Après plusieurs échecs, les tentatives "
    "sont ralenties : patientez quelques minutes avant de réessayer."
)


def burn_password_hash(password: str) -> None:
    """Spend one Argon2id hash, as a real check would, so timing says nothing."""
    get_user_model()().set_password(password)


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": SIGN_IN_REFUSED,
        "too_many_login_attempts": SIGN_IN_REFUSED,
        "account_inactive": SIGN_IN_REFUSED,
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """No public sign-up: accounts only come from invitations."""
        return False

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        """Check the password unless throttled; every failure looks and costs the same."""
        identifier = str(credentials.get("email") or credentials.get("username") or "")
        password = str(credentials.get("password") or "")
        keys = [
            throttle.account_key(identifier),
            throttle.address_key(client_address(request)),
        ]
        if throttle.blocked_for(keys) is not None:
            burn_password_hash(password)
            audit_sign_in_failure(None, reason="throttled")
            return None
        user: AbstractBaseUser | None = super().authenticate(request, **credentials)
        if user is not None and user.is_active:
            throttle.record_success(keys)
            return user
        if throttle.record_failure(keys):
            audit_sign_in_failure(user, reason="locked", action=AuditAction.ACCOUNT_LOCKED)
        audit_sign_in_failure(user, reason="inactive" if user else "credentials")
        return None

    def respond_user_inactive(self, request: HttpRequest, user: AbstractBaseUser) -> HttpResponse:
        """Never reached (inactive accounts fail in ``authenticate``); refuse just in case."""
        from django.http import HttpResponseForbidden

        return HttpResponseForbidden()

    def post_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> Any:
        response = super().post_login(request, user, **kwargs)
        remember_device(request, response, user)
        return response

    def send_notification_mail(self, *args: Any, **kwargs: Any) -> None:
        """allauth's own notices are off: Relais sends its own (``notifications``)."""


class MfaAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def get_totp_label(self, user: AbstractBaseUser) -> str:
        """The label shown in the authenticator app: no e-mail address in the QR code."""
        return f"Relais #{user.pk}"

    def encrypt(self, text: str) -> str:
        return sealing.seal_secret(_owner_id(), text)

    def decrypt(self, encrypted_text: str) -> str:
        return sealing.open_secret(encrypted_text)


def _owner_id() -> str:
    """Whose secret is being sealed: named explicitly, or the signed-in user of the request."""
    explicit = sealing.subject_override()
    if explicit is not None:
        return explicit
    request = getattr(context, "request", None)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise RuntimeError("an MFA secret can only be sealed for a known account")
    return str(user.pk)


__all__ = ["AccountAdapter", "MfaAdapter", "burn_password_hash", "user_actor"]
