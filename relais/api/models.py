"""Idempotency records and per-key rate counters (the keys themselves are the pharmacies').

Neither holds personal data: an idempotency record keeps the creation response (ids and
statuses) and an HMAC of the request body.
"""

from __future__ import annotations

from django.db import models

from relais.pharmacies.models import Pharmacy


class IdempotencyRecord(models.Model):
    """The first answer to a POST carrying an `Idempotency-Key`, replayed for 24 hours.

    `response_status` is 0 while the first request is still running (its transaction holds
    the row, so a concurrent twin waits on the unique index, then sees the final answer).
    """

    pharmacy = models.ForeignKey(Pharmacy, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.BinaryField(max_length=32)
    response_status = models.PositiveSmallIntegerField(default=0)
    response_body = models.JSONField(default=dict)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pharmacy", "key"], name="api_one_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"IdempotencyRecord {self.pk}"


class ApiRateCounter(models.Model):
    """Requests of one key in one fixed window, shared by every server process."""

    key_id = models.BigIntegerField()
    window_start = models.BigIntegerField()  # epoch seconds of the window's start
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key_id", "window_start"], name="api_one_counter_per_key_window"
            )
        ]

    def __str__(self) -> str:
        return f"ApiRateCounter {self.key_id}@{self.window_start}"
