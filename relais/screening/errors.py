"""Refusals of the screening services, beyond access rules and field validation."""

from __future__ import annotations

from relais.access.errors import AccessDeniedError


class ScreeningNotFoundError(AccessDeniedError):
    """No such screening *for this actor*: missing, or another pharmacy's.

    A subclass of `AccessDeniedError` so the service layer audits every such refusal (an
    id probed across pharmacies is worth an alert), while callers answer 404 in both cases:
    the message and the type never tell a missing id from someone else's.
    """

    def __str__(self) -> str:
        return "not found"


class PreRegistrationNotFoundError(ScreeningNotFoundError):
    """No live pre-registration with that code in this pharmacy (wrong, expired, used)."""


class PatientNotFoundError(ScreeningNotFoundError):
    """No such patient for this actor."""


class IdempotencyConflictError(Exception):
    """An idempotency key already used with a different body (the API answers 409)."""


class PreRegistrationClosedError(Exception):
    """The public link is unknown or its pharmacy is not active."""
