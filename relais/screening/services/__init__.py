"""Screening services: the only way screening data is written or read.

Each takes the acting `Actor` first, checks it through `relais.access.policy`, runs in one
transaction (the `@service` decorator) and writes its audit event there.
"""

from relais.screening.services.documents import export_screenings, issue_receipt
from relais.screening.services.figures import count_tests_by_day
from relais.screening.services.preregistration import (
    create_preregistration,
    pickup_preregistration,
    preregistration_link,
    purge_expired_preregistrations,
    record_from_preregistration,
)
from relais.screening.services.reads import find_patient, get_screening, list_screenings
from relais.screening.services.records import (
    cancel_screening,
    correct_screening,
    record_screening,
    record_screenings,
)
from relais.screening.services.returning import record_for_patient
from relais.screening.services.valuesets import import_value_set

__all__ = [
    "cancel_screening",
    "correct_screening",
    "count_tests_by_day",
    "create_preregistration",
    "export_screenings",
    "find_patient",
    "get_screening",
    "import_value_set",
    "issue_receipt",
    "list_screenings",
    "pickup_preregistration",
    "preregistration_link",
    "purge_expired_preregistrations",
    "record_for_patient",
    "record_from_preregistration",
    "record_screening",
    "record_screenings",
]
