"""Legal bounds of every configurable retention period (the defaults are the settings').

The privacy app's system checks (``checks``) refuse an out-of-bounds value at start-up
(fail closed); the schedule checks the same bounds again at run time, so an override made
after start-up (a test, a contract row) cannot slip past them either.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bound:
    setting: str
    minimum: int
    maximum: int
    why: str

    def check(self, value: int, source: str = "") -> int:
        """``value`` if within bounds, else ``ValueError`` naming the setting and the bounds."""
        if not self.minimum <= value <= self.maximum:
            where = source or self.setting
            raise ValueError(
                f"{where} must be between {self.minimum} and {self.maximum} "
                f"({self.why}), not {value}."
            )
        return value


# A screening's personal data after SI-DEP's final acknowledgement: at least a day (the
# pharmacy sees the outcome and may issue the patient's receipt), at most 30 days: past
# that, an intermediary has no purpose left for the data (the pharmacy keeps its own
# records in its own software, as controller).
SCREENING_DAYS = Bound(
    "RELAIS_RETENTION_SCREENING_DAYS", 1, 30, "days after SI-DEP's final acknowledgement"
)
# A rejected or dead item waits at least a week for its correction, at most 30 days.
FAILED_DAYS = Bound(
    "RELAIS_RETENTION_FAILED_DAYS", 7, 30, "days a rejected or dead item waits for a fix"
)
# The pharmacy's owner is warned this many days before a failed item is purged.
WARNING_DAYS = Bound(
    "RELAIS_RETENTION_WARNING_DAYS", 1, 14, "days of notice before a failed item is purged"
)
# Access logs: 6 months to 1 year (CNIL recommendation on logging, 2021).
AUDIT_DAYS = Bound("RELAIS_AUDIT_RETENTION_DAYS", 180, 366, "CNIL: 6 to 12 months")
# Accounting records: 10 years (Code de commerce, art. L123-22); not configurable.
BILLING_YEARS = Bound("RELAIS_RETENTION_BILLING_YEARS", 10, 10, "Code de commerce L123-22")
# Pre-registrations: what the public page promises the patient (48 hours); not configurable.
PREREGISTRATION_HOURS = 48

ALL_BOUNDS = (SCREENING_DAYS, FAILED_DAYS, WARNING_DAYS, AUDIT_DAYS, BILLING_YEARS)


def check_warning_fits(warning_days: int, failed_days: int) -> None:
    """A warning must come before the purge it announces."""
    if warning_days >= failed_days:
        raise ValueError(
            f"{WARNING_DAYS.setting} ({warning_days}) must be less than "
            f"{FAILED_DAYS.setting} ({failed_days})."
        )
