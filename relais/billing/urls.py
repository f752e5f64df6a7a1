"""Billing routes (``/billing/…``) and what each requires, registered in the route table."""

from __future__ import annotations

from django.urls import path

from relais.access.policy import Action
from relais.access.routes import Requires, register_routes
from relais.billing import views

app_name = "billing"

READ, MANAGE = Requires(Action.BILLING_READ), Requires(Action.BILLING_MANAGE)
STATEMENT = "<int:statement_id>/"
FILE = "<int:statement_id>.<str:file_format>"

_ROUTES = [
    ("statements", "", views.statements, READ),
    ("statement", f"statements/{STATEMENT}", views.statement, READ),
    ("download", f"statements/{FILE}", views.download, READ),
    ("operator", "operator/", views.operator, MANAGE),
    ("operator_prepare", "operator/prepare/", views.operator_prepare, MANAGE),
    ("operator_statement", f"operator/statements/{STATEMENT}", views.operator_statement, MANAGE),
    ("operator_download", f"operator/statements/{FILE}", views.operator_download, MANAGE),
    ("operator_issue", f"operator/statements/{STATEMENT}issue/", views.operator_issue, MANAGE),
    ("operator_paid", f"operator/statements/{STATEMENT}paid/", views.operator_paid, MANAGE),
    ("operator_credit", f"operator/statements/{STATEMENT}credit/", views.operator_credit, MANAGE),
]

urlpatterns = [path(route, view, name=name) for name, route, view, _rule in _ROUTES]
register_routes({f"{app_name}:{name}": rule for name, _route, _view, rule in _ROUTES})
