"""Staff accounts. There is no public sign-up: accounts come from invitations.

A staff member's e-mail is their login identifier and stays in clear (it must be looked up
at sign-in and is not patient data); everything secret about an account (MFA secrets,
recovery codes) is encrypted or hashed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.access.roles import PlatformRole


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("A staff account needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    email = models.EmailField(_("adresse e-mail"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=150)
    platform_role = models.CharField(
        _("rôle plateforme"), max_length=16, choices=PlatformRole.choices, blank=True, default=""
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("compte")

    def __str__(self) -> str:
        return f"User {self.pk}"


class InvitationKind(models.TextChoices):
    JOIN = "join", _("Invitation")
    RESET = "reset", _("Réinitialisation des facteurs")


class Invitation(models.Model):
    """A single-use link to set one's password and enrol a second factor.

    Only the SHA-256 of the 256-bit token is stored: a database dump gives no usable link.
    A ``reset`` invitation is how an owner or the operator lets someone who lost a factor
    (or their password) in again: nobody ever sets another person's password.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations")
    pharmacy = models.ForeignKey(
        "pharmacies.Pharmacy", on_delete=models.PROTECT, null=True, blank=True
    )
    role = models.CharField(max_length=16, blank=True, default="")
    kind = models.CharField(max_length=8, choices=InvitationKind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.CharField(max_length=80)  # actor label, not a foreign key
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Invitation {self.pk}"


class LoginThrottle(models.Model):
    """Failures per account key or client address; a table so every worker sees the same.

    ``key`` is an HMAC of the identifier (never the e-mail address in clear).
    """

    scope = models.CharField(max_length=16)
    key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True)
    blocked_until = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="one_throttle_per_key")
        ]

    def __str__(self) -> str:
        return f"LoginThrottle {self.pk}"


class KnownDevice(models.Model):
    """A browser that signed in before (cookie id, stored hashed): new ones are notified."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices")
    device_hash = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "device_hash"], name="one_row_per_device")
        ]

    def __str__(self) -> str:
        return f"KnownDevice {self.pk}"


class CacheEntry(models.Model):
    """The table of Django's database cache (settings.CACHES), created by a migration.

    Shared by every worker: TOTP codes are refused on reuse across processes.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "relais_cache"
        managed = True

    def __str__(self) -> str:
        return "CacheEntry"
