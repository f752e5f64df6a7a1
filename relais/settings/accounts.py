"""Staff accounts: django-allauth with e-mail sign-in, mandatory MFA, Argon2id, sessions.

Invitation-only; MFA is enforced by relais.accounts.middleware and its secrets are sealed by
the vault (relais.accounts.adapters).
"""

from __future__ import annotations

from relais.settings.base import PRODUCTION

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "relais.accounts.hashers.RelaisArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "relais.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "relais.accounts.validators.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

# Sessions: server-side and short-lived (the idle limit is enforced by the accounts
# middleware).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 60 * 60
RELAIS_SESSION_IDLE_SECONDS = 15 * 60
RELAIS_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
RELAIS_INVITATION_HOURS = 72

ACCOUNT_ADAPTER = "relais.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # the invitation link proved the address
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_LOGOUT_ON_GET = False
# Relais' own throttle (relais.accounts.throttle) handles failed sign-ins, with growing
# delays and one answer for every failure; allauth's other limits stay on (they use the
# database cache).
ACCOUNT_RATE_LIMITS = {"login_failed": None}

MFA_ADAPTER = "relais.accounts.adapters.MfaAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION  # http://localhost in development/tests
MFA_ALLOW_UNVERIFIED_EMAIL = True  # e-mail is never a factor nor a recovery channel
MFA_TOTP_ISSUER = "Relais"
MFA_TOTP_TOLERANCE = 1  # one 30 s step of clock drift; each code still usable once
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_FORMS = {
    "authenticate": "relais.accounts.forms.ThrottledAuthenticateForm",
    "reauthenticate": "relais.accounts.forms.ThrottledReauthenticateForm",
}
