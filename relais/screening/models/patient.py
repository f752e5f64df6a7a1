"""A patient of one pharmacy: identity and contact, all sealed by the vault.

The same person tested in two pharmacies is two rows: each pharmacy is the controller of
its own patients' data, and blind indexes are keyed per pharmacy so they never join.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from relais.vault.blind import BlindIndexField
from relais.vault.fields import DataClass, EncryptedField


class Patient(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Every query is per pharmacy: the composite indexes below lead with it.
    pharmacy = models.ForeignKey("pharmacies.Pharmacy", on_delete=models.PROTECT, db_index=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    last_name = EncryptedField(DataClass.IDENTITY)
    first_names = EncryptedField(DataClass.IDENTITY, kind="json")  # list of given names
    sex = EncryptedField(DataClass.IDENTITY)
    birth_date = EncryptedField(DataClass.IDENTITY, kind="date")
    nir = EncryptedField(DataClass.NIR)
    no_nir_reason = EncryptedField(DataClass.IDENTITY)
    email = EncryptedField(DataClass.CONTACT)
    phone = EncryptedField(DataClass.CONTACT)
    address = EncryptedField(DataClass.CONTACT, kind="json")  # {line, postal_code, city, country}

    nir_index = BlindIndexField(db_index=False)
    email_index = BlindIndexField(db_index=False)
    identity_index = BlindIndexField(db_index=False)  # last name (letters only) + birth date

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pharmacy", "nir_index"], name="one_patient_per_nir_per_pharmacy"
            )
        ]
        indexes = [
            models.Index(fields=["pharmacy", "identity_index"], name="patient_identity"),
            models.Index(fields=["pharmacy", "email_index"], name="patient_email"),
        ]

    def __str__(self) -> str:
        return f"Patient {self.pk}"
