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
    "relais.screening",
    "relais.relay",
    "relais.web",
    "relais.api",
    "relais.billing",
    "relais.privacy",
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
        # httpx logs every request to SI-DEP at INFO (its URL): noise at 2,000 messages/s.
        # Each message's outcome is in its transmission row and the audit log; failures
        # and an open circuit are logged by the relay as warnings.
        "httpx": {"level": "WARNING", "propagate": True},
    },
}

# --- accounts (issue 6) ---
# django-allauth (accounts + MFA): invitation-only, e-mail login, MFA mandatory (enforced by
# relais.accounts.middleware), secrets sealed by the vault (relais.accounts.adapters).
INSTALLED_APPS += ["django.contrib.humanize", "allauth", "allauth.account", "allauth.mfa"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "relais.accounts.middleware.SessionTimeoutMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("relais.accounts.middleware.SessionTimeoutMiddleware") + 1,
    "allauth.account.middleware.AccountMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("allauth.account.middleware.AccountMiddleware") + 1,
    "relais.accounts.middleware.MfaRequiredMiddleware",
)
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
ACCOUNT_ADAPTER = "relais.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # the invitation link proved the address
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_LOGOUT_ON_GET = False
# Our own throttle (relais.accounts.throttle) handles failed logins, with growing delays and
# one answer for every failure; allauth's other limits stay on (they use the DB cache below).
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
# A cache shared by every worker (TOTP codes used once, allauth's rate limits): a table
# created by the accounts migrations, so no `createcachetable` step.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "relais_cache",
    }
}
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "relais.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "relais.accounts.validators.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
RELAIS_SESSION_IDLE_SECONDS = 15 * 60
RELAIS_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
RELAIS_INVITATION_HOURS = 72
# --- end accounts ---

# --- relay (issue 5) ---
# The SI-DEP destination: HTTPS with mutual TLS. Development defaults point at the simulator
# that `relais demo` starts, with the throwaway PKI it writes under the data directory.
_SIDEP_CERTS = DATA_DIR / "sidep-certs"
RELAIS_SIDEP_URL = env_str("RELAIS_SIDEP_URL", "" if PRODUCTION else "https://127.0.0.1:8443")
RELAIS_SIDEP_CLIENT_CERT = env_str(
    "RELAIS_SIDEP_CLIENT_CERT", "" if PRODUCTION else str(_SIDEP_CERTS / "client.pem")
)
RELAIS_SIDEP_CLIENT_KEY = env_str(
    "RELAIS_SIDEP_CLIENT_KEY", "" if PRODUCTION else str(_SIDEP_CERTS / "client.key")
)
RELAIS_SIDEP_CA = env_str("RELAIS_SIDEP_CA", "" if PRODUCTION else str(_SIDEP_CERTS / "ca.pem"))
RELAIS_SIDEP_FORMAT = env_str("RELAIS_SIDEP_FORMAT", "fhir")
if RELAIS_SIDEP_FORMAT not in {"fhir", "hl7"}:
    raise ImproperlyConfigured(
        f"RELAIS_SIDEP_FORMAT must be 'fhir' or 'hl7', not {RELAIS_SIDEP_FORMAT!r}."
    )
if PRODUCTION:
    if not RELAIS_SIDEP_URL.startswith("https://"):
        raise ImproperlyConfigured(
            "RELAIS_SIDEP_URL must be the platform's https:// address in production."
        )
    for _name in ("RELAIS_SIDEP_CLIENT_CERT", "RELAIS_SIDEP_CLIENT_KEY", "RELAIS_SIDEP_CA"):
        if not globals()[_name] or not Path(globals()[_name]).is_file():
            raise ImproperlyConfigured(
                f"{_name} must name a readable PEM file (the mutual-TLS client certificate, "
                "its key and the CA bundle of the platform) in production."
            )
RELAIS_SIDEP_CONNECT_TIMEOUT_MS = env_int("RELAIS_SIDEP_CONNECT_TIMEOUT_MS", 5000, minimum=100)
RELAIS_SIDEP_READ_TIMEOUT_MS = env_int("RELAIS_SIDEP_READ_TIMEOUT_MS", 30000, minimum=100)
# Messages per claim and per request to the platform: per-batch costs (one FHIR schema
# check, claim, outcome UPDATE) spread over 500 cost ~15-20 % less worker CPU than over 200.
RELAIS_RELAY_BATCH_SIZE = env_int("RELAIS_RELAY_BATCH_SIZE", 500, minimum=1)
RELAIS_RELAY_LEASE_SECONDS = env_int("RELAIS_RELAY_LEASE_SECONDS", 60, minimum=1)
RELAIS_RELAY_MAX_ATTEMPTS = env_int("RELAIS_RELAY_MAX_ATTEMPTS", 15, minimum=1)
RELAIS_RELAY_BACKOFF_BASE_MS = env_int("RELAIS_RELAY_BACKOFF_BASE_MS", 1000, minimum=1)
RELAIS_RELAY_BACKOFF_CAP_MS = env_int("RELAIS_RELAY_BACKOFF_CAP_MS", 15 * 60 * 1000, minimum=1)
RELAIS_RELAY_CIRCUIT_THRESHOLD = env_int("RELAIS_RELAY_CIRCUIT_THRESHOLD", 5, minimum=1)
RELAIS_RELAY_CIRCUIT_COOLDOWN_MS = env_int("RELAIS_RELAY_CIRCUIT_COOLDOWN_MS", 30000, minimum=1)
# How long an idle worker waits before looking again: also the worst added delay between a
# submission and its relay when the queue was empty (a claim costs ~1 ms of CPU).
RELAIS_RELAY_IDLE_MS = env_int("RELAIS_RELAY_IDLE_MS", 100, minimum=1)
# After a partial batch, wait this long so the next batch carries what arrived meanwhile:
# at 200 submissions/s, batches of 2-3 messages cost a worker ~4 ms of CPU per message
# (claim, load, request and settle are per batch). 0 sends each arrival at once.
RELAIS_RELAY_LINGER_MS = env_int("RELAIS_RELAY_LINGER_MS", 250, minimum=0)
# --- end relay ---

# --- audit (issue 9) ---
# The checkpoint signing key lives outside the database (a file here, mode 0600; created by
# `relais audit init-key`, or on first sealing in development). Publish its verifier key
# (`relais audit init-key` prints it) to auditors; RELAIS_AUDIT_VERIFIER_KEY pins it.
RELAIS_AUDIT_SIGNING_KEY_PATH = Path(
    env_str("RELAIS_AUDIT_SIGNING_KEY_PATH") or DATA_DIR / "keys" / "audit-signing.key"
).resolve()
RELAIS_AUDIT_VERIFIER_KEY = env_str("RELAIS_AUDIT_VERIFIER_KEY")
RELAIS_AUDIT_ORIGIN = env_str("RELAIS_AUDIT_ORIGIN", "relais.localhost/audit")
# External copies of every checkpoint: a directory (another host's mount in production)
# and/or an HTTP endpoint receiving each signed note by POST.
RELAIS_AUDIT_CHECKPOINT_DIR = env_str(
    "RELAIS_AUDIT_CHECKPOINT_DIR", "" if PRODUCTION else str(DATA_DIR / "audit-checkpoints")
)
RELAIS_AUDIT_CHECKPOINT_URL = env_str("RELAIS_AUDIT_CHECKPOINT_URL")
RELAIS_AUDIT_RETENTION_DAYS = env_int("RELAIS_AUDIT_RETENTION_DAYS", 365, minimum=180)
RELAIS_AUDIT_BULK_READ_LIMIT = env_int("RELAIS_AUDIT_BULK_READ_LIMIT", 200, minimum=1)
RELAIS_AUDIT_BULK_READ_WINDOW_SECONDS = env_int(
    "RELAIS_AUDIT_BULK_READ_WINDOW_SECONDS", 600, minimum=1
)
RELAIS_AUDIT_EXPORT_LIMIT = env_int("RELAIS_AUDIT_EXPORT_LIMIT", 1000, minimum=1)
RELAIS_AUDIT_ALERT_EMAILS = env_list("RELAIS_AUDIT_ALERT_EMAILS")
# A worker seals for at most this long per run (every 2 s), then relays again; a backlog is
# sealed over several runs. `relais audit seal` has no limit.
RELAIS_AUDIT_SEAL_BUDGET_MS = env_int("RELAIS_AUDIT_SEAL_BUDGET_MS", 300, minimum=1)
# --- end audit ---

# --- api (issue 8) ---
# django-ninja's own app only serves the Swagger UI assets locally (no CDN: the docs page
# loads nothing from another origin).
INSTALLED_APPS += ["ninja"]
# Requests per key per window, counted in the database so every server process shares the
# count (a 429 with Retry-After beyond it). Generous for a pharmacy's software; benchmarks
# raise it.
RELAIS_API_RATE_LIMIT = env_int("RELAIS_API_RATE_LIMIT", 1200, minimum=1)
RELAIS_API_RATE_WINDOW_SECONDS = env_int("RELAIS_API_RATE_WINDOW_SECONDS", 60, minimum=1)
RELAIS_API_IDEMPOTENCY_HOURS = env_int("RELAIS_API_IDEMPOTENCY_HOURS", 24, minimum=1)
# --- end api ---

# --- web (issue 7) ---
# Strict Content-Security-Policy (Django's own): every script is a file of ours or carries the
# request's nonce; no inline style, no other origin, no framing, forms post only to us.
from django.utils.csp import CSP  # noqa: E402

MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
)
# Pages of a signed-in session may carry personal data: never cached by browser or proxy.
MIDDLEWARE.append("relais.web.middleware.NoStoreForSignedInMiddleware")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
TEMPLATES[0]["OPTIONS"]["context_processors"] += [  # type: ignore[index]
    "django.template.context_processors.csp",
    "django.template.context_processors.i18n",
    "relais.web.context.navigation",
]
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Exports: at most this many records per request (streamed, never stored).
RELAIS_EXPORT_MAX_RECORDS = env_int("RELAIS_EXPORT_MAX_RECORDS", 50000, minimum=1)
# --- end web ---

# --- privacy (issue 11) ---
# Retention as code (relais/privacy/schedule.py, docs/retention.md): periods within legal
# bounds (relais/privacy/bounds.py), refused at start-up when out of them (fail closed).
from relais.privacy import bounds as _retention  # noqa: E402


def _retention_setting(bound: _retention.Bound) -> int:
    try:
        return bound.check(env_int(bound.setting, bound.default))
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None


RELAIS_RETENTION_SCREENING_DAYS = _retention_setting(_retention.SCREENING_DAYS)
RELAIS_RETENTION_FAILED_DAYS = _retention_setting(_retention.FAILED_DAYS)
RELAIS_RETENTION_WARNING_DAYS = _retention_setting(_retention.WARNING_DAYS)
RELAIS_RETENTION_BILLING_YEARS = _retention_setting(_retention.BILLING_YEARS)
try:
    _retention.AUDIT_DAYS.check(RELAIS_AUDIT_RETENTION_DAYS)
    _retention.check_warning_fits(RELAIS_RETENTION_WARNING_DAYS, RELAIS_RETENTION_FAILED_DAYS)
except ValueError as _exc:
    raise ImproperlyConfigured(str(_exc)) from None
RELAIS_PURGE_BATCH_SIZE = env_int("RELAIS_PURGE_BATCH_SIZE", 500, minimum=1)
# Who hosts the data (an HDS-certified host in production) and the processor's DPO: both
# appear on every pharmacy's compliance sheet, so production refuses to start without them.
RELAIS_HOSTING_PROVIDER = env_str("RELAIS_HOSTING_PROVIDER") or (
    "" if PRODUCTION else _retention.HOSTING_PLACEHOLDER
)
RELAIS_DPO_CONTACT = env_str("RELAIS_DPO_CONTACT") or (
    "" if PRODUCTION else _retention.DPO_PLACEHOLDER
)
if PRODUCTION:
    for _name, _placeholder in (
        ("RELAIS_HOSTING_PROVIDER", _retention.HOSTING_PLACEHOLDER),
        ("RELAIS_DPO_CONTACT", _retention.DPO_PLACEHOLDER),
    ):
        if globals()[_name] in {"", _placeholder}:
            raise ImproperlyConfigured(
                f"{_name} is required in production (the HDS-certified host of the data and "
                "the processor's DPO contact appear on every pharmacy's compliance sheet)."
            )
# --- end privacy ---
