"""Session limits and mandatory MFA, enforced before any view runs.

``SessionTimeoutMiddleware``: a signed-in session ends after 15 minutes without a request or
12 hours after sign-in, whichever comes first (the session row is deleted, not just hidden).
``MfaRequiredMiddleware``: a signed-in account whose session has not proven a second factor
reaches only enrolment, re-authentication and sign-out — nothing else, personal data
least of all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from relais.access.routes import ROUTES, Public
from relais.accounts import sessions
from relais.accounts.auditing import audit_auth
from relais.audit.actions import AuditAction

# Routes an account may reach before its session proved a second factor.
ENROLMENT_ROUTES = frozenset(
    {
        "account_logout",
        "logout",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "mfa_reauthenticate",
        "mfa_reauthenticate_webauthn",
    }
)


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            reason = sessions.expired(request, now)
            if reason is not None:
                user = request.user
                logout(request)
                audit_auth(AuditAction.SIGNED_OUT, user, reason=f"{reason}_timeout")
                return redirect_to_login(request.get_full_path())
            else:
                sessions.touch(request, now)
        return self.get_response(request)


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not request.user.is_authenticated or sessions.mfa_verified(request):
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in ENROLMENT_ROUTES or isinstance(ROUTES.get(name), Public):
            return None
        from allauth.mfa.utils import is_mfa_enabled

        if is_mfa_enabled(request.user):
            # Signed in without passing the second factor (should not happen): prove it now.
            return redirect_to_login(request.get_full_path(), login_url="mfa_reauthenticate")
        return redirect("mfa_index")
