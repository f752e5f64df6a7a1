"""A screening and its immutable versions (create, correct, cancel).

`Screening` holds what never changes and what is searched (kind, status, dedup key);
everything measured about the test lives on a `ScreeningVersion`, sealed. A correction or a
cancellation adds a version and keeps the previous ones, because SI-DEP receives every one.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from relais.screening.kinds import Kind, Status, VersionAction
from relais.vault.blind import BlindIndexField
from relais.vault.fields import DataClass, EncryptedField


class Screening(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Every query is per pharmacy: the constraints and index below lead with it.
    pharmacy = models.ForeignKey("pharmacies.Pharmacy", on_delete=models.PROTECT, db_index=False)
    patient = models.ForeignKey("screening.Patient", on_delete=models.PROTECT)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    current_version = models.PositiveIntegerField(default=1)
    # HMAC of (patient, kind, sample minute): the same test entered twice finds the first.
    dedup_key = BlindIndexField(db_index=False)  # unique per pharmacy (constraint below)
    # The API's Idempotency-Key (vendor-chosen, not personal) and an HMAC of the body it came
    # with: the same key with another body is a conflict, not a new screening.
    # NULL, not "", for "no key": the unique constraint must ignore screenings without one.
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    request_fingerprint = BlindIndexField(db_index=False)
    external_ref = models.CharField(max_length=100, blank=True)  # the vendor's own id
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    created_by = models.CharField(max_length=100)  # actor label ("user:12", "api_key:…")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pharmacy", "dedup_key"], name="one_screening_per_patient_kind_time"
            ),
            models.UniqueConstraint(
                fields=["pharmacy", "idempotency_key"], name="one_screening_per_idempotency_key"
            ),
        ]
        indexes = [models.Index(fields=["pharmacy", "created_at", "id"], name="screening_list")]

    def __str__(self) -> str:
        return f"Screening {self.pk}"


class ImmutableVersionError(RuntimeError):
    """A screening version was saved twice: versions are written once, never updated."""


class ScreeningVersion(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by the (screening, number) constraint.
    screening = models.ForeignKey(
        Screening, on_delete=models.CASCADE, related_name="versions", db_index=False
    )
    pharmacy = models.ForeignKey("pharmacies.Pharmacy", on_delete=models.PROTECT)
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=VersionAction.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    performed_by = models.CharField(max_length=100)  # actor label, never a name

    # The device is reference data (EU list), not about the patient: kept in clear.
    device_id = models.CharField(max_length=64, blank=True)
    device_label = models.CharField(max_length=300, blank=True)
    sampled_at = EncryptedField(DataClass.HEALTH, kind="datetime")
    result = EncryptedField(DataClass.HEALTH)
    symptoms = EncryptedField(DataClass.HEALTH, kind="bool")
    symptoms_onset = EncryptedField(DataClass.HEALTH, kind="date")
    consent = EncryptedField(DataClass.HEALTH, kind="bool")
    notes = EncryptedField(DataClass.FREE_TEXT)  # reason of a correction or cancellation

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["screening", "number"], name="one_version_number")
        ]
        ordering = ("screening", "number")

    def __str__(self) -> str:
        return f"ScreeningVersion {self.pk} ({self.number})"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ImmutableVersionError("a screening version is never changed; add a new one")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
