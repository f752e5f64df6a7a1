"""EU DCC value-set entries (rapid antigen test devices, test types, results).

Reference data, not personal data: one row per (value set, code), kept when a newer list no
longer names it (deactivated, so older screenings still name their device).
"""

from __future__ import annotations

from django.db import models

DEVICE_VALUE_SET = "covid-19-lab-test-manufacturer-and-name"
TEST_TYPE_VALUE_SET = "covid-19-lab-test-type"
TEST_RESULT_VALUE_SET = "covid-19-lab-result"


class ValueSetEntry(models.Model):
    value_set = models.CharField(max_length=100)
    code = models.CharField(max_length=64)  # the JRC id for devices
    label = models.CharField(max_length=300)  # "Manufacturer, device" as the list displays it
    system = models.CharField(max_length=200, blank=True)
    version = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    value_set_date = models.DateField(null=True)
    imported_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["value_set", "code"], name="one_entry_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.value_set}:{self.code}"
