"""Audit events: append-only. The database itself refuses UPDATE and DELETE (see the
``audit_append_only`` migration), except inside the documented retention purge.
"""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    actor_type = models.CharField(max_length=16)
    actor_id = models.CharField(max_length=64)
    pharmacy_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_ids = models.JSONField(default=list)
    request_id = models.CharField(max_length=64, blank=True)
    client_ip = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=16)
    details = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["actor_type", "actor_id", "occurred_at"])]

    def __str__(self) -> str:
        return f"AuditEvent {self.pk} {self.action}"


class AuditPurgePermit(models.Model):
    """While a row exists here (inside the purge's own transaction), events may be deleted."""

    granted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"AuditPurgePermit {self.pk}"


class AuditSeal(models.Model):
    """One leaf of the Merkle log: which event sits at which seal position.

    ``leaf_hash`` outlives the event: the retention purge deletes old events but keeps
    their seal rows, so checkpoints signed before the purge still verify.
    """

    position = models.BigIntegerField(primary_key=True)
    event_id = models.BigIntegerField(unique=True)
    leaf_hash = models.BinaryField(max_length=32)
    purged = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"AuditSeal {self.position}"


class SealerState(models.Model):
    """The sealer's resumable state: one row, the accumulator's compact range.

    Also the sealer's lock: a run updates this row first, so two sealers never interleave.
    """

    size = models.BigIntegerField(default=0)
    accumulator = models.JSONField(default=dict)
    updated_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"SealerState size={self.size}"


class AuditCheckpoint(models.Model):
    """A signed tree head (C2SP signed note); copies also go to an external location."""

    size = models.BigIntegerField(unique=True)
    root_hash = models.BinaryField(max_length=32)
    signed_note = models.TextField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"AuditCheckpoint size={self.size}"


class CanaryRecord(models.Model):
    """A decoy record: no legitimate flow reads it, so any read of it raises an alert.

    Kept only here, in a table no screen or API shows; the decoy itself looks ordinary.
    """

    pharmacy_id = models.BigIntegerField(db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id"], name="one_canary_per_object"
            )
        ]

    def __str__(self) -> str:
        return f"CanaryRecord {self.pk}"
