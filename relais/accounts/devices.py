"""Known devices: a random cookie per browser, stored hashed per account.

A sign-in from a browser without a cookie the account knows sends the owner a notice, so a
stolen password used elsewhere does not go unnoticed.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone

from relais.accounts.models import KnownDevice

DEVICE_COOKIE = "__Host-relais-device" if settings.PRODUCTION else "relais-device"
DEVICE_COOKIE_AGE = 400 * 24 * 60 * 60


def _hash(device_id: str) -> str:
    return hashlib.sha256(device_id.encode()).hexdigest()


def remember_device(request: HttpRequest, response: Any, user: AbstractBaseUser) -> bool:
    """Record this browser for ``user``; True (and a notice sent) when it was new."""
    from relais.accounts.notifications import notify

    device_id = request.COOKIES.get(DEVICE_COOKIE, "")
    if len(device_id) < 32:  # noqa: PLR2004
        device_id = secrets.token_urlsafe(32)
    row, created = KnownDevice.objects.get_or_create(user_id=user.pk, device_hash=_hash(device_id))
    if not created:
        KnownDevice.objects.filter(pk=row.pk).update(last_seen_at=timezone.now())
    elif KnownDevice.objects.filter(user_id=user.pk).count() > 1:
        notify(user, "new_device")
    if hasattr(response, "set_cookie"):
        response.set_cookie(
            DEVICE_COOKIE,
            device_id,
            max_age=DEVICE_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return created
