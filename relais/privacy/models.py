"""What the privacy app stores: contract overrides of retention, and warnings sent.

Neither holds personal data: pharmacy ids, screening ids (random UUIDs) and dates.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from relais.privacy.bounds import SCREENING_DAYS


class RetentionContract(models.Model):
    """A pharmacy's contractual retention of screening data after acknowledgement.

    Bounded twice: by the service that sets it and by a database constraint, so no bulk
    update can put a pharmacy outside the legal bounds.
    """

    pharmacy = models.OneToOneField("pharmacies.Pharmacy", on_delete=models.PROTECT)
    screening_days = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(screening_days__gte=SCREENING_DAYS.minimum)
                & Q(screening_days__lte=SCREENING_DAYS.maximum),
                name="retention_contract_within_bounds",
            )
        ]

    def __str__(self) -> str:
        return f"RetentionContract pharmacy {self.pharmacy_id}: {self.screening_days} days"


class ExpiryWarning(models.Model):
    """The owner was told this failed screening will be purged on ``purge_on``.

    One row per screening, so a pharmacy is warned once per item, not every hour; deleted
    with the screening's data.
    """

    screening_id = models.UUIDField(unique=True)
    pharmacy = models.ForeignKey("pharmacies.Pharmacy", on_delete=models.PROTECT)
    purge_on = models.DateTimeField()
    warned_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"ExpiryWarning {self.screening_id}"
