"""Settings of Relais: environment only, failing closed in production.

Two modes (``RELAIS_ENV``): ``development`` (the default, also the demo) keeps everything in
``RELAIS_DATA_DIR`` and generates its own secrets there; ``production`` refuses to start on a
missing or weak secret, a missing database URL, open ALLOWED_HOSTS or key-provider settings.
See ``.env.example`` for every variable.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from relais.conf.database import database_from_url
from relais.conf.env import env_bool, env_int, env_list, env_secret, env_str
from relais.conf.secrets import development_secrets, ensure_data_dir, secret_key_problem

BASE_DIR = Path(__file__).resolve().parent

RELAIS_ENV = env_str("RELAIS_ENV", "development")
if RELAIS_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"RELAIS_ENV must be 'development' or 'production', not {RELAIS_ENV!r}."
    )
PRODUCTION = RELAIS_ENV == "production"

DATA_DIR = ensure_data_dir(Path(env_str("RELAIS_DATA_DIR", "var")).resolve())

DEBUG = env_bool("RELAIS_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("RELAIS_DEBUG cannot be on in production.")

if PRODUCTION:
    SECRET_KEY = env_secret("SECRET_KEY")
    problem = secret_key_problem(SECRET_KEY)
    if problem:
        raise ImproperlyConfigured(problem)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must list the host names Relais serves (comma-separated), never '*'."
        )
    if not env_secret("DATABASE_URL"):
        raise ImproperlyConfigured(
            "DATABASE_URL is required in production (postgresql://user@host:5432/relais)."
        )
else:
    SECRET_KEY = env_secret("SECRET_KEY") or development_secrets(DATA_DIR)["SECRET_KEY"]
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ("localhost", "127.0.0.1", "[::1]", "testserver"))

DATABASES = {"default": database_from_url(env_secret("DATABASE_URL"), data_dir=DATA_DIR)}
if PRODUCTION and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production runs on PostgreSQL: DATABASE_URL must be postgresql://.")
# Key provider of the vault (envelope encryption). Production must choose explicitly.
RELAIS_KEY_PROVIDER = env_str("RELAIS_KEY_PROVIDER", "" if PRODUCTION else "file")
if RELAIS_KEY_PROVIDER not in {"file", "pkcs11"}:
    raise ImproperlyConfigured(
        "RELAIS_KEY_PROVIDER must be 'pkcs11' (an HSM, for production) or 'file' (a keyring)."
    )
RELAIS_KEYRING_PATH = Path(
    env_str("RELAIS_KEYRING_PATH") or DATA_DIR / "keys" / "keyring.json"
).resolve()
RELAIS_PKCS11_MODULE = env_str("RELAIS_PKCS11_MODULE")
RELAIS_PKCS11_TOKEN_LABEL = env_str("RELAIS_PKCS11_TOKEN_LABEL")
RELAIS_PKCS11_PIN = env_secret("RELAIS_PKCS11_PIN")
if RELAIS_KEY_PROVIDER == "pkcs11" and not (
    RELAIS_PKCS11_MODULE and RELAIS_PKCS11_TOKEN_LABEL and RELAIS_PKCS11_PIN
):
    raise ImproperlyConfigured(
        "The pkcs11 key provider needs RELAIS_PKCS11_MODULE, RELAIS_PKCS11_TOKEN_LABEL and "
        "RELAIS_PKCS11_PIN (or RELAIS_PKCS11_PIN_FILE)."
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
    "relais.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "relais.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "relais.access.middleware.AccessMiddleware",
]

ROOT_URLCONF = "relais.urls"
WSGI_APPLICATION = "relais.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "relais.accounts.hashers.RelaisArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Sessions: server-side, short-lived (idle timeout enforced by the accounts middleware).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Host-relais-session" if PRODUCTION else "relais-session"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("RELAIS_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Uploads are never accepted; keep any request body in memory, never in a temp file.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("RELAIS_MAX_BODY_BYTES", 5 * 1024 * 1024, minimum=1024)

# E-mail (Django 6.1 MAILERS). Development prints mail to the console; production and the
# tests speak real SMTP. Mails never carry a secret or any patient data.
_EMAIL_BACKEND = env_str(
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
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": _SMTP_OPTIONS if _EMAIL_BACKEND.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("RELAIS_FROM_EMAIL", "Relais <no-reply@relais.localhost>")

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
    },
}
