"""Invitation pages: open the link, choose a password, then enrol a second factor.

The token leaves the URL at once (kept in the session, redirected to a clean address), so
it does not linger in the history, in Referer headers or in later access-log lines.
"""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from relais.accounts import throttle
from relais.accounts.devices import remember_device
from relais.accounts.forms import ChoosePasswordForm
from relais.core.context import client_address
from relais.pharmacies import invitations

TOKEN_SESSION_KEY = "relais.invitation_token"  # noqa: S105 (a session key name)
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _refused(request: HttpRequest) -> HttpResponse:
    """Invalid, used or expired: one page, counted like a failed sign-in for the address."""
    throttle.record_failure([throttle.address_key(client_address(request))])
    request.session.pop(TOKEN_SESSION_KEY, None)
    return render(request, "accounts/invitation_invalid.html", status=410)


@never_cache
@require_http_methods(["GET"])
def open_invitation(request: HttpRequest, token: str) -> HttpResponse:
    if throttle.blocked_for([throttle.address_key(client_address(request))]):
        return render(request, "accounts/invitation_invalid.html", status=429)
    try:
        invitations.find_open(token)
    except invitations.InvitationInvalidError:
        return _refused(request)
    if request.user.is_authenticated:
        logout(request)  # the link is for its invitee, whoever used this browser before
    request.session[TOKEN_SESSION_KEY] = token
    return redirect("invitation_accept")


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest) -> HttpResponse:
    token = str(request.session.get(TOKEN_SESSION_KEY, ""))
    try:
        invitation = invitations.find_open(token)
    except invitations.InvitationInvalidError:
        return _refused(request)
    form = ChoosePasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept(token, form.cleaned_data["password1"])
        except invitations.InvitationInvalidError:
            return _refused(request)
        request.session.pop(TOKEN_SESSION_KEY, None)
        login(request, user, backend=BACKEND)
        # Choosing the password just now counts as a fresh password authentication, so the
        # enrolment pages do not ask for it again; the second factor comes next.
        record_authentication(request, user, method="password", reauthenticated=True)
        response = redirect("mfa_index")
        remember_device(request, response, user)
        return response
    return render(request, "accounts/invitation_accept.html", {"form": form})
