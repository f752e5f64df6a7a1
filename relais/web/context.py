"""Template context for the navigation: which screens this actor may open."""

from __future__ import annotations

from django.http import HttpRequest

from relais.access.policy import Action, can_anywhere
from relais.pharmacies.actors import request_actor

NAV_ACTIONS = {
    "counter": Action.SCREENING_CREATE,
    "followup": Action.SCREENING_READ,
    "dashboard": Action.DASHBOARD_VIEW,
    "export": Action.SCREENING_EXPORT,
    "staff": Action.STAFF_MANAGE,
    "apikeys": Action.APIKEY_MANAGE,
    "privacy": Action.SUBJECT_REQUEST,
    "billing": Action.BILLING_READ,
    "billing_operator": Action.BILLING_MANAGE,
    "audit": Action.AUDIT_READ,
    "pharmacy_audit": Action.PHARMACY_AUDIT_READ,
}


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    actor = request_actor(request)
    return {"nav": {name: can_anywhere(actor, a) for name, a in NAV_ACTIONS.items()}}
