"""E-mail (Django 6.1 MAILERS): the console in development, real SMTP in production and in
the tests. Mails never carry a secret or any patient data."""

from __future__ import annotations

from relais.conf.env import env_bool, env_int, env_secret, env_str
from relais.settings.base import PRODUCTION

_BACKEND = env_str(
    "RELAIS_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
_SMTP_OPTIONS = {
    "host": env_str("RELAIS_SMTP_HOST", "localhost"),
    "port": env_int("RELAIS_SMTP_PORT", 25, minimum=1),
    "username": env_str("RELAIS_SMTP_USER") or None,
    "password": env_secret("RELAIS_SMTP_PASSWORD") or None,
    "use_tls": env_bool("RELAIS_SMTP_STARTTLS", default=PRODUCTION),
    "timeout": 10,
}
MAILERS = {
    "default": {
        "BACKEND": _BACKEND,
        "OPTIONS": _SMTP_OPTIONS if _BACKEND.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("RELAIS_FROM_EMAIL", "Relais <no-reply@relais.localhost>")
