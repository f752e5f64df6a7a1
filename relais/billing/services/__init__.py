"""Billing services: each takes the acting Actor, checks access and writes its audit event."""

from relais.billing.services.contracts import set_contract
from relais.billing.services.reads import (
    get_statement,
    list_statements,
    month_statement_file,
    statement_file,
)
from relais.billing.services.reports import month_overview, reconcile_month
from relais.billing.services.statements import (
    issue_credit_note,
    issue_statement,
    mark_statement_paid,
    prepare_statement,
)
from relais.billing.services.usage import record_usage

__all__ = [
    "get_statement",
    "issue_credit_note",
    "issue_statement",
    "list_statements",
    "mark_statement_paid",
    "month_overview",
    "month_statement_file",
    "prepare_statement",
    "reconcile_month",
    "record_usage",
    "set_contract",
    "statement_file",
]
