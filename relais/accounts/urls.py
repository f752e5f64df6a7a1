"""Account routes: sign-in and out, second factors, re-authentication, invitations.

Only the allauth views Relais offers are routed (no sign-up, no e-mail management, no
password reset by e-mail: a lost password or factor goes through an owner or the operator).
Every route is declared in the permission table here.
"""

from __future__ import annotations

from allauth.account import views as account_views
from allauth.account.internal.stagekit import get_pending_stage
from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_views
from allauth.mfa.totp import views as totp_views
from allauth.mfa.webauthn import views as webauthn_views
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import path

from relais.access.routes import Public, SignedIn, register_routes
from relais.accounts import views
from relais.accounts.reauth import View, reauthentication_required


def _only_during_sign_in(view: View) -> View:
    """The second-factor step without a sign-in in progress: say so, without a redirect."""

    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if get_pending_stage(request) is None:
            return render(request, "accounts/no_sign_in_in_progress.html", status=400)
        return view(request, *args, **kwargs)

    return wrapper


def _script_endpoint(view: View) -> View:
    """The passkey sign-in endpoint answers the sign-in page's script, not a browser visit."""

    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method == "GET" and request.headers.get("Accept") != "application/json":
            return HttpResponseNotAllowed(["POST"])
        return view(request, *args, **kwargs)

    return wrapper


sensitive = reauthentication_required

urlpatterns = [
    path("login/", account_views.login, name="account_login"),
    path("account/logout/", account_views.logout, name="account_logout"),
    path("account/reauthenticate/", account_views.reauthenticate, name="account_reauthenticate"),
    path(
        "account/password/",
        sensitive(account_views.password_change),
        name="account_change_password",
    ),
    path("account/2fa/", mfa_views.index, name="mfa_index"),
    path(
        "account/2fa/authenticate/",
        _only_during_sign_in(mfa_views.authenticate),
        name="mfa_authenticate",
    ),
    path("account/2fa/reauthenticate/", mfa_views.reauthenticate, name="mfa_reauthenticate"),
    path(
        "account/2fa/totp/activate/",
        sensitive(totp_views.activate_totp),
        name="mfa_activate_totp",
    ),
    path(
        "account/2fa/totp/deactivate/",
        sensitive(totp_views.deactivate_totp),
        name="mfa_deactivate_totp",
    ),
    path(
        "account/2fa/recovery-codes/",
        sensitive(recovery_views.view_recovery_codes),
        name="mfa_view_recovery_codes",
    ),
    path(
        "account/2fa/recovery-codes/generate/",
        sensitive(recovery_views.generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "account/2fa/recovery-codes/download/",
        sensitive(recovery_views.download_recovery_codes),
        name="mfa_download_recovery_codes",
    ),
    path("account/2fa/passkeys/", webauthn_views.list_webauthn, name="mfa_list_webauthn"),
    path(
        "account/2fa/passkeys/add/",
        sensitive(webauthn_views.add_webauthn),
        name="mfa_add_webauthn",
    ),
    path(
        "account/2fa/passkeys/reauthenticate/",
        webauthn_views.reauthenticate_webauthn,
        name="mfa_reauthenticate_webauthn",
    ),
    path(
        "account/2fa/passkeys/<int:pk>/remove/",
        sensitive(webauthn_views.remove_webauthn),
        name="mfa_remove_webauthn",
    ),
    path(
        "account/2fa/passkeys/<int:pk>/edit/",
        webauthn_views.edit_webauthn,
        name="mfa_edit_webauthn",
    ),
    path(
        "passkey/sign-in/",
        _script_endpoint(webauthn_views.login_webauthn),
        name="mfa_login_webauthn",
    ),
    path("invitation/", views.accept_invitation, name="invitation_accept"),
    path("invitation/<str:token>/", views.open_invitation, name="invitation_open"),
]

register_routes(
    {
        "account_login": Public(),
        "mfa_authenticate": Public(),  # the second step of a sign-in: not signed in yet
        "mfa_login_webauthn": Public(),
        "invitation_open": Public(),
        "invitation_accept": Public(),
        "account_logout": SignedIn(),
        "account_reauthenticate": SignedIn(),
        "account_change_password": SignedIn(),
        "mfa_index": SignedIn(),
        "mfa_reauthenticate": SignedIn(),
        "mfa_activate_totp": SignedIn(),
        "mfa_deactivate_totp": SignedIn(),
        "mfa_view_recovery_codes": SignedIn(),
        "mfa_generate_recovery_codes": SignedIn(),
        "mfa_download_recovery_codes": SignedIn(),
        "mfa_list_webauthn": SignedIn(),
        "mfa_add_webauthn": SignedIn(),
        "mfa_reauthenticate_webauthn": SignedIn(),
        "mfa_remove_webauthn": SignedIn(),
        "mfa_edit_webauthn": SignedIn(),
    }
)
