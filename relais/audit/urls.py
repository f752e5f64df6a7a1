"""Audit screens: ``/audit/…`` for the auditor, ``/pharmacy-audit/…`` for owners."""

from __future__ import annotations

from django.urls import URLPattern, path

from relais.access.policy import Action
from relais.access.routes import Requires, Rule, register_routes
from relais.audit import views

SCREENS = {
    "home": (views.home, "", False),
    "patient": (views.patient, "patient/", True),
    "account": (views.account, "account/", False),
    "breach": (views.breach, "breach/", False),
    "export": (views.export, "export.csv", False),
}


def _patterns() -> tuple[list[URLPattern], dict[str, Rule]]:
    patterns: list[URLPattern] = []
    rules: dict[str, Rule] = {}
    for prefix, url, platform, action in (
        ("audit", "audit/", True, Action.AUDIT_READ),
        ("pharmacy_audit", "pharmacy-audit/", False, Action.PHARMACY_AUDIT_READ),
    ):
        for screen, (view, suffix, post) in SCREENS.items():
            name = f"{prefix}_{screen}"
            patterns.append(
                path(url + suffix, views.scoped(view, platform=platform, post=post), name=name)
            )
            rules[name] = Requires(action)
    patterns.append(
        path(
            "pharmacy-audit/breach/persons.csv",
            views.breach_persons_view,
            name="pharmacy_audit_breach_persons",
        )
    )
    rules["pharmacy_audit_breach_persons"] = Requires(Action.PHARMACY_AUDIT_READ)
    return patterns, rules


urlpatterns, _rules = _patterns()
register_routes(_rules)
