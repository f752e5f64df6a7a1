"""API keys, idempotency records and per-key rate counters.

None of these rows holds personal data: a key is stored only as a digest, an idempotency
record keeps the creation response (ids and statuses) and an HMAC of the request body.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.pharmacies.models import Pharmacy


class ApiKey(models.Model):
    """A pharmacy software's credential: one pharmacy, some scopes, revocable at once."""

    pharmacy = models.ForeignKey(Pharmacy, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(_("nom"), max_length=100)
    # The visible part of the key (`rls_live_<prefix>_…`): how a key is found and recognised.
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.BinaryField(max_length=32)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("clé d'API")

    def __str__(self) -> str:
        return f"ApiKey {self.pk} (rls_live_{self.prefix}_…)"


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
