"""Screening records, split by concept: patients, screenings and their versions, value sets,
pre-registrations and the rate-limit counters of the public page."""

from relais.screening.models.patient import Patient
from relais.screening.models.preregistration import (
    PreRegistration,
    PreRegistrationLink,
    RateLimitCounter,
)
from relais.screening.models.screening import Screening, ScreeningVersion
from relais.screening.models.valuesets import ValueSetEntry

__all__ = [
    "Patient",
    "PreRegistration",
    "PreRegistrationLink",
    "RateLimitCounter",
    "Screening",
    "ScreeningVersion",
    "ValueSetEntry",
]
