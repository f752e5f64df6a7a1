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
