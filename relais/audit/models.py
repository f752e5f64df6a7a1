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
