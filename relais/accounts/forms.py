"""Forms: the second-factor forms with Relais' throttle, and the invitation's password form."""

from __future__ import annotations

from typing import Any, NoReturn

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from relais.accounts import throttle
from relais.accounts.auditing import audit_auth
from relais.audit.actions import AuditAction
from relais.core.context import client_address

CODE_REFUSED = _(
    "Code incorrect. Après plusieurs échecs, les tentatives sont ralenties : patientez "
    "quelques minutes avant de réessayer."
)
MAX_CODE_LENGTH = 32


class _ThrottledCodeMixin:
    """Refuse malformed codes early, count failures per account and address, then let
    allauth check the code (TOTP: once per code; recovery codes: once each)."""

    user: Any
    cleaned_data: dict[str, Any]

    def clean_code(self) -> str:
        code = str(self.cleaned_data.get("code", "")).strip()
        request = context.request
        keys = [throttle.mfa_key(self.user.pk), throttle.address_key(client_address(request))]
        if throttle.blocked_for(keys) is not None:
            audit_auth(
                AuditAction.SECOND_FACTOR_FAILED, self.user, outcome="failure", reason="throttled"
            )
            raise ValidationError(CODE_REFUSED)
        if not code or len(code) > MAX_CODE_LENGTH or not code.replace(" ", "").isalnum():
            self._count_failure(keys, "malformed")
        try:
            result: str = super().clean_code()  # type: ignore[misc]
        except ValidationError:
            self._count_failure(keys, "incorrect")
        throttle.record_success(keys)
        return result

    def _count_failure(self, keys: list[throttle.ThrottleKey], reason: str) -> NoReturn:
        if throttle.record_failure(keys):
            audit_auth(AuditAction.ACCOUNT_LOCKED, self.user, outcome="failure", reason="mfa")
        audit_auth(AuditAction.SECOND_FACTOR_FAILED, self.user, outcome="failure", reason=reason)
        raise ValidationError(CODE_REFUSED)


class ThrottledAuthenticateForm(_ThrottledCodeMixin, AuthenticateForm):  # type: ignore[misc]
    pass


class ThrottledReauthenticateForm(_ThrottledCodeMixin, ReauthenticateForm):  # type: ignore[misc]
    pass


class ChoosePasswordForm(forms.Form):
    """Set one's own password from an invitation: twice, checked by the password policy."""

    password1 = forms.CharField(
        label=_("Nouveau mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )
    password2 = forms.CharField(
        label=_("Confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            raise ValidationError(_("Les deux mots de passe diffèrent."))
        if first:
            password_validation.validate_password(first, self.user)
        return data
