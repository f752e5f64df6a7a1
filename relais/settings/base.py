"""The process: its mode, data directory, secret key, served hosts, apps, languages and logs.

Two modes (``RELAIS_ENV``): ``development`` (the default, also the demo) keeps everything in
``RELAIS_DATA_DIR`` and generates its own secrets there; ``production`` refuses to start on a
missing or weak secret, open ALLOWED_HOSTS or debugging left on.
"""

from __future__ import annotations

from pathlib import Path

from relais.conf.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_secret,
    env_str,
    refuse_unless,
)
from relais.conf.secrets import development_secrets, ensure_data_dir, production_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the relais package

RELAIS_ENV = env_choice(
    "RELAIS_ENV",
    {"development": "also the demo", "production": "refuses weak or missing settings"},
    "development",
)
PRODUCTION = RELAIS_ENV == "production"

DATA_DIR = ensure_data_dir(Path(env_str("RELAIS_DATA_DIR", "var")).resolve())

DEBUG = env_bool("RELAIS_DEBUG", default=False)
refuse_unless(not (PRODUCTION and DEBUG), "RELAIS_DEBUG cannot be on in production.")

# Secret key and served hosts: production brings its own, development makes its own.
if PRODUCTION:
    SECRET_KEY = production_secret_key()
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    refuse_unless(
        ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS,
        "ALLOWED_HOSTS must list the host names Relais serves (comma-separated), never '*'.",
    )
else:
    SECRET_KEY = env_secret("SECRET_KEY") or development_secrets(DATA_DIR)["SECRET_KEY"]
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ("localhost", "127.0.0.1", "[::1]", "testserver"))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "relais.core",
    "relais.accounts",
    "relais.pharmacies",
    "relais.audit",
    "relais.vault",
    "relais.screening",
    "relais.relay",
    "relais.web",
    "relais.api",
    "relais.billing",
    "relais.privacy",
    # After Relais' apps, whose templates override theirs.
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # django-ninja's own app only serves the Swagger UI assets, locally (no CDN).
    "ninja",
]

# Languages and time: French first, times stored in UTC and shown in Paris time.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Request bodies: uploads are never accepted; any body stays in memory, never a temp file.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("RELAIS_MAX_BODY_BYTES", 5 * 1024 * 1024, minimum=1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": env_str("RELAIS_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger prints the URL and, on errors, the request: keep it terse.
        "django.request": {"level": "ERROR", "propagate": True},
        "django.security": {"level": "WARNING", "propagate": True},
        # httpx logs every request to SI-DEP at INFO (its URL): noise at 2,000 messages/s.
        # Each message's outcome is in its transmission row and the audit log; failures
        # and an open circuit are logged by the relay as warnings.
        "httpx": {"level": "WARNING", "propagate": True},
    },
}
