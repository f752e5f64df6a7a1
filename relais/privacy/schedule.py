"""The retention schedule, as code: what is kept, how long, why, and who deletes it.

Periods come from settings (bounded in ``bounds``) and, for screenings, from a pharmacy's
contract. Every reader re-checks the bounds: an out-of-bounds value stops the purge with
``ImproperlyConfigured`` rather than keeping data too long or deleting it too early.
``docs/retention.md`` and the README show this table; ``relais compliance report`` prints
it from the running configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from relais.privacy import bounds
from relais.privacy.models import RetentionContract


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    data: str
    retention: str
    starts: str
    legal_basis: str
    deleted_by: str


def _bounded(bound: bounds.Bound, value: object, source: str = "") -> int:
    try:
        return bound.check(int(str(value)), source)
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None


def _setting(bound: bounds.Bound) -> int:
    return _bounded(bound, getattr(settings, bound.setting))


def default_screening_days() -> int:
    return _setting(bounds.SCREENING_DAYS)


def failed_days() -> int:
    days = _setting(bounds.FAILED_DAYS)
    try:
        bounds.check_warning_fits(warning_days(), days)
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None
    return days


def warning_days() -> int:
    return _setting(bounds.WARNING_DAYS)


def audit_days() -> int:
    return _setting(bounds.AUDIT_DAYS)


def billing_years() -> int:
    return _setting(bounds.BILLING_YEARS)


def preregistration_lifetime() -> timedelta:
    return timedelta(hours=bounds.PREREGISTRATION_HOURS)


def contract_overrides() -> dict[int, int]:
    """Pharmacy id → contractual screening days, each re-checked against the bounds."""
    return {
        pharmacy_id: _bounded(bounds.SCREENING_DAYS, days, f"contract of pharmacy {pharmacy_id}")
        for pharmacy_id, days in RetentionContract.objects.values_list(
            "pharmacy_id", "screening_days"
        )
    }


def screening_days(pharmacy_id: int) -> int:
    return contract_overrides().get(pharmacy_id, default_screening_days())


def schedule() -> list[Rule]:
    """The schedule in force, from the actual configuration."""
    return [
        Rule(
            "preregistration",
            "Pre-registration (identity typed by the patient)",
            f"{bounds.PREREGISTRATION_HOURS} hours",
            "creation",
            "what the public page promises; useless once the test is recorded",
            "relais purge (screening app's purge of expired pre-registrations)",
        ),
        Rule(
            "screening",
            "Screening personal data: identity, NIR, contact, test details and result",
            f"{default_screening_days()} days (contract: "
            f"{bounds.SCREENING_DAYS.minimum}-{bounds.SCREENING_DAYS.maximum})",
            "SI-DEP's final acknowledgement",
            "needed only until the platform has it (data minimisation, GDPR art. 5(1)(e))",
            "relais purge; then the period's keys are destroyed (crypto-shredding)",
        ),
        Rule(
            "failed",
            "Rejected or dead screening awaiting a correction",
            f"until corrected, at most {failed_days()} days "
            f"(owner warned {warning_days()} days before)",
            "the rejection or final failure",
            "the duty to report lets the pharmacy fix it; not beyond",
            "relais purge",
        ),
        Rule(
            "audit",
            "Audit events (ids, actions, never the data)",
            f"{audit_days()} days",
            "the event",
            "CNIL recommendation on logging: 6 months to 1 year",
            "the audit app's retention job (audit.retention)",
        ),
        Rule(
            "billing",
            "Billing records (counts and amounts, no personal data)",
            f"{billing_years()} years",
            "the end of the accounting year",
            "Code de commerce, art. L123-22",
            "kept by the billing app",
        ),
        Rule(
            "statistics",
            "Screening rows without personal data (kind, dates, status) and transmissions",
            f"{billing_years()} years, with the billing records they justify",
            "recording",
            "billing and statistics; no personal data left after the purge",
            "kept by the billing app",
        ),
    ]
