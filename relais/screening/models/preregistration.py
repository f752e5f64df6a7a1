"""Pre-registration by the patient: the pharmacy's public link, the short-lived identities
patients leave there, and the counters that rate-limit the public page.

The code a patient receives is never stored, only its HMAC (blind index, pharmacy key), so
a copy of the table cannot be used to pick up anybody's identity.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from relais.vault.blind import BlindIndexField
from relais.vault.fields import DataClass, EncryptedField


class PreRegistrationLink(models.Model):
    """The non-guessable public address of one pharmacy's pre-registration page."""

    pharmacy = models.OneToOneField("pharmacies.Pharmacy", on_delete=models.PROTECT)
    slug = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"PreRegistrationLink {self.pk}"


class PreRegistration(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pharmacy = models.ForeignKey("pharmacies.Pharmacy", on_delete=models.PROTECT)
    code_index = BlindIndexField()
    identity = EncryptedField(DataClass.IDENTITY, kind="json")  # the patient's own input
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pharmacy", "code_index"], name="one_code_per_pharmacy")
        ]

    def __str__(self) -> str:
        return f"PreRegistration {self.pk}"


class RateLimitCounter(models.Model):
    """Hits of one bucket (client or pharmacy) in one fixed window; shared by all processes.

    The bucket of a client is an HMAC of its address, never the address itself.
    """

    bucket = models.CharField(max_length=80)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "window_start"], name="one_counter_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"RateLimitCounter {self.pk}"
