"""The tenants (pharmacies), their staff's memberships and their software's API keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.access.roles import PharmacyRole


class PharmacyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspendue")


class Pharmacy(models.Model):
    """A pharmacy (officine): the tenant, and the data controller of its patients' data."""

    name = models.CharField(_("nom"), max_length=200)
    finess = models.CharField(_("numéro FINESS"), max_length=9, unique=True)
    address_line = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    status = models.CharField(
        max_length=16, choices=PharmacyStatus.choices, default=PharmacyStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pharmacie")

    def __str__(self) -> str:
        return f"Pharmacy {self.pk} ({self.finess})"


class Membership(models.Model):
    """A staff member's role in one pharmacy. Deactivated, never deleted (audit trail)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    pharmacy = models.ForeignKey(Pharmacy, on_delete=models.PROTECT)
    role = models.CharField(max_length=16, choices=PharmacyRole.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "pharmacy"], name="one_membership_per_pharmacy")
        ]

    def __str__(self) -> str:
        return f"Membership {self.pk}"


class ApiKey(models.Model):
    """A pharmacy software's credential: one pharmacy, some scopes, revocable at once.

    Stored as a digest only (`relais.pharmacies.apikeys.tokens`); no personal data.
    """

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
