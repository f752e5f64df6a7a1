"""Key metadata. Only *wrapped* DEKs live here; the KEKs that open them live in the provider."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q


class KeyStatus(models.TextChoices):
    ACTIVE = "active", "active"
    RETIRED = "retired", "retired"
    DESTROYED = "destroyed", "destroyed"


class PeriodKey(models.Model):
    """The KEK currently in force for a period, and whether the period was shredded.

    Not in the original design: a row per period gives DEK creation and KEK rotation one
    row to lock, so no DEK can be wrapped under a KEK that a concurrent rotation is about to
    destroy, and a shredded period stays refused for new writes.
    """

    period = models.CharField(max_length=7, primary_key=True)
    kek_id = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=KeyStatus.choices, default=KeyStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.period} ({self.kek_id}, {self.status})"


class DataKey(models.Model):
    """A data-encryption key of one pharmacy and one period, wrapped by the period's KEK."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pharmacy_id = models.BigIntegerField()
    period = models.CharField(max_length=7)
    version = models.PositiveIntegerField()
    wrapped_key = models.BinaryField()
    kek_id = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=KeyStatus.choices, default=KeyStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pharmacy_id", "period", "version"], name="vault_datakey_unique_version"
            ),
            models.UniqueConstraint(
                fields=["pharmacy_id", "period"],
                condition=Q(status="active"),
                name="vault_datakey_one_active_per_period",
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="vault_datakey_period_status")]

    def __str__(self) -> str:
        return f"DEK {self.id} pharmacy {self.pharmacy_id} {self.period} v{self.version}"
