"""Account screens: one's own security (allauth's MFA pages, linked), staff management and
API keys for owners. Every change here asks for a fresh re-authentication first."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from relais.access.errors import AccessDeniedError
from relais.access.policy import Action, require
from relais.access.roles import PharmacyRole
from relais.accounts.reauth import require_recent_reauthentication
from relais.core.fielderrors import ValidationErrors
from relais.pharmacies.actors import request_actor
from relais.pharmacies.apikeys.services import create_api_key, list_api_keys, revoke_api_key
from relais.pharmacies.current import current_pharmacy
from relais.pharmacies.models import Membership, Pharmacy
from relais.pharmacies.services import deactivate_member, invite_staff

SCOPES = ("screenings:write", "screenings:read")


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "web/account.html")


def _staff_context(request: HttpRequest, pharmacy_id: int) -> dict[str, Any]:
    require(request_actor(request), Action.STAFF_MANAGE, pharmacy_id)
    members = Membership.objects.filter(pharmacy_id=pharmacy_id).select_related("user")
    return {
        "members": members.order_by("-is_active", "role", "user__full_name"),
        "me": request.user,
    }


@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest) -> HttpResponse:
    """The pharmacy's members; an owner invites a pharmacist or a technician."""
    pharmacy_id = current_pharmacy(request, Action.STAFF_MANAGE)
    if request.method == "GET":
        return render(request, "web/staff.html", _staff_context(request, pharmacy_id))
    again = require_recent_reauthentication(request)
    if again is not None:
        return again
    role = request.POST.get("role", "")
    email = request.POST.get("email", "").strip()
    if role not in {PharmacyRole.PHARMACIST, PharmacyRole.TECHNICIAN} or "@" not in email:
        context = _staff_context(request, pharmacy_id)
        context["error"] = _("Indiquez une adresse e-mail et un rôle (pharmacien ou préparateur).")
        return render(request, "web/staff.html", context, status=422)
    invite_staff(
        request_actor(request),
        Pharmacy.objects.get(pk=pharmacy_id),
        email=email,
        full_name=request.POST.get("full_name", ""),
        role=PharmacyRole(role),
        base_url=request.build_absolute_uri("/"),
    )
    messages.success(request, _("Invitation envoyée (lien valable 72 heures)."))
    return redirect("web:staff")


@require_POST
def deactivate(request: HttpRequest, membership_id: int) -> HttpResponse:
    again = require_recent_reauthentication(request)
    if again is not None:
        return again
    pharmacy_id = current_pharmacy(request, Action.STAFF_MANAGE)
    member = Membership.objects.filter(pk=membership_id, pharmacy_id=pharmacy_id).first()
    if member is None:
        raise Http404
    try:
        deactivate_member(request_actor(request), member)
    except (AccessDeniedError, ValueError):
        messages.info(request, _("Ce membre ne peut pas être désactivé ici."))
        return redirect("web:staff")
    messages.success(request, _("Accès désactivé immédiatement."))
    return redirect("web:staff")


@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    """The pharmacy's API keys; a new key's secret is shown in this one response only."""
    again = require_recent_reauthentication(request)
    if again is not None:
        return again
    actor = request_actor(request)
    pharmacy_id = current_pharmacy(request, Action.APIKEY_MANAGE)
    context: dict[str, Any] = {"scopes": SCOPES, "error": ""}
    status = 200
    if request.method == "POST":
        scopes = [s for s in request.POST.getlist("scopes") if s in SCOPES]
        try:
            key, plaintext = create_api_key(
                actor, pharmacy_id, request.POST.get("name", ""), scopes
            )
            context.update(new_key=key, plaintext=plaintext)
        except ValidationErrors:
            context["error"] = _("Donnez un nom (100 caractères au plus) et au moins un droit.")
            status = 422
    context["keys"] = list_api_keys(actor, pharmacy_id)
    return render(request, "web/api_keys.html", context, status=status)


@require_POST
def revoke_key(request: HttpRequest, key_id: int) -> HttpResponse:
    again = require_recent_reauthentication(request)
    if again is not None:
        return again
    try:
        revoke_api_key(request_actor(request), key_id)
    except AccessDeniedError:
        raise Http404 from None
    messages.success(request, _("Clé révoquée : elle est refusée dès maintenant."))
    return redirect("web:api_keys")
