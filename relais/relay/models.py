"""The outbox: one transmission per screening version and destination.

A row holds what to send (a version, by reference: the message is rebuilt from the
encrypted version at send time, so no message body is ever stored), where, under which
stable message id (the receiver's idempotency key), and how far it got. No personal data:
`last_error` and `reasons` hold error classes and the platform's own reason codes/texts.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class TransmissionStatus(models.TextChoices):
    QUEUED = "queued", "En attente"
    SENDING = "sending", "En cours d'envoi"
    RETRYING = "retrying", "Nouvel essai prévu"
    ACKNOWLEDGED = "acknowledged", "Accusé de réception"
    REJECTED = "rejected", "Rejetée"
    DEAD = "dead", "Échec définitif"


# Statuses a worker may claim (when due); the others wait for a person (rejected, dead) or
# are done (acknowledged).
CLAIMABLE = (TransmissionStatus.QUEUED, TransmissionStatus.RETRYING, TransmissionStatus.SENDING)
# A later version of a screening is sent only once every earlier one reached one of these.
SETTLED = (TransmissionStatus.ACKNOWLEDGED, TransmissionStatus.REJECTED)


class MessageFormat(models.TextChoices):
    FHIR = "fhir", "FHIR R4"
    HL7 = "hl7", "HL7 v2.5.1"


class Transmission(models.Model):
    """One screening version on its way to one destination.

    `next_attempt_at` is the single "due" clock: the enqueue time for a queued row, the
    backoff for a retrying row and the lease expiry for a sending one, so one index range
    finds every claimable row.
    """

    id = models.BigAutoField(primary_key=True)
    # No index of its own: `transmission_pharmacy` (pharmacy, status, created_at) starts with
    # it and serves every pharmacy query; one index fewer to maintain on each status change.
    pharmacy = models.ForeignKey("pharmacies.Pharmacy", on_delete=models.PROTECT, db_index=False)
    # SET_NULL: a purged version leaves the transmission (billing counts it); a version
    # purged before it was sent makes the transmission dead, never silently dropped.
    version = models.ForeignKey(
        "screening.ScreeningVersion", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    screening_id = models.UUIDField()  # ordering of versions, kept after a purge
    version_number = models.PositiveIntegerField()
    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    destination = models.CharField(max_length=32, default="sidep")
    format = models.CharField(max_length=8, choices=MessageFormat.choices)
    status = models.CharField(
        max_length=16, choices=TransmissionStatus.choices, default=TransmissionStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_owner = models.CharField(max_length=120, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    platform_reference = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["destination", "next_attempt_at"],
                name="transmission_due",
                condition=Q(status__in=["queued", "retrying", "sending"]),
            ),
            models.Index(fields=["screening_id", "version_number"], name="transmission_order"),
            models.Index(fields=["pharmacy", "status", "created_at"], name="transmission_pharmacy"),
        ]

    def __str__(self) -> str:
        return f"Transmission {self.pk} ({self.status})"


class CircuitState(models.TextChoices):
    CLOSED = "closed", "Fermé"
    OPEN = "open", "Ouvert"
    HALF_OPEN = "half_open", "Essai"


class Circuit(models.Model):
    """The circuit breaker of one destination, shared by every worker through the database.

    Shared rather than per process so that N workers on M machines stop together when the
    platform is down, and one of them (whoever wins the conditional update) probes it.
    """

    destination = models.CharField(max_length=32, primary_key=True)
    state = models.CharField(
        max_length=16, choices=CircuitState.choices, default=CircuitState.CLOSED
    )
    consecutive_failures = models.PositiveIntegerField(default=0)
    open_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Circuit {self.destination} ({self.state})"
