"""A throwaway model for the vault's own tests, kept out of Django's global app registry.

It lives in a private ``Apps`` registry so migrations (``makemigrations --check``) never
see it; the vault tests create its table once per session (see ``conftest``) and pass it
explicitly to the services that otherwise walk every installed model.
"""

from __future__ import annotations

import uuid

from django.apps.registry import Apps
from django.db import models
from django.utils import timezone

from relais.vault.blind import BlindIndexField
from relais.vault.fields import DataClass, EncryptedField

probe_apps = Apps([])


class VaultProbe(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    pharmacy_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    last_name = EncryptedField(DataClass.IDENTITY)
    first_names = EncryptedField(DataClass.IDENTITY)
    birth_date = EncryptedField(DataClass.IDENTITY, kind="date")
    result = EncryptedField(DataClass.HEALTH)
    symptoms = EncryptedField(DataClass.HEALTH, kind="json")
    pregnant = EncryptedField(DataClass.HEALTH, kind="bool")
    notes = EncryptedField(DataClass.FREE_TEXT)
    nir_index = BlindIndexField()

    class Meta:
        app_label = "vault_probe"
        apps = probe_apps
        db_table = "vault_test_probe"

    def __str__(self) -> str:
        return f"probe {self.pk}"
