"""Demo and scripted sign-in: enrol a TOTP authenticator and hand back its secret.

Only for ``relais demo-data`` (demo accounts) and tests: scripts compute codes with any
RFC 6238 implementation (allauth's ``hotp_value``, pyotp) from the returned base32 secret.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from relais.accounts.models import User
from relais.accounts.sealing import sealing_for


def enrol_demo_totp(user: User) -> str:
    """Replace ``user``'s TOTP authenticator with a fresh one; return its base32 secret."""
    secret = generate_totp_secret()
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    with sealing_for(user.pk):
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)
    return str(secret)
