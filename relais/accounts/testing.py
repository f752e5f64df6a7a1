"""Test support: a test client whose session has proven a second factor.

``Client.force_login`` skips allauth's sign-in stages, so the session it makes has proven
nothing and the MFA middleware (rightly) sends it to enrolment. Tests that exercise other
features mark the session as allauth would after a second factor.
"""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.internal.userkit import user_id_to_str
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client

from relais.accounts.models import User


def mark_mfa_verified(client: Client, user: AbstractBaseUser, *, password: bool = False) -> None:
    """Record a TOTP proof (and a password one if asked) in ``client``'s session, now."""
    now = time.time()
    records = [{"method": "mfa", "at": now, "type": "totp", "id": 0}]
    if password:
        records.insert(0, {"method": "password", "at": now})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()


def signed_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    mark_mfa_verified(client, user)
    return client
