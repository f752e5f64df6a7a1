"""The database (SQLite in the data directory by default, PostgreSQL in production) and the
cache shared by every process."""

from __future__ import annotations

from relais.conf.database import database_from_url
from relais.conf.env import env_secret, refuse_unless
from relais.settings.base import DATA_DIR, PRODUCTION

_URL = env_secret("DATABASE_URL")
refuse_unless(
    _URL or not PRODUCTION,
    "DATABASE_URL is required in production (postgresql://user@host:5432/relais).",
)
DATABASES = {"default": database_from_url(_URL, data_dir=DATA_DIR)}
refuse_unless(
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" or not PRODUCTION,
    "Production runs on PostgreSQL: DATABASE_URL must be postgresql://.",
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by every worker (TOTP codes used once, allauth's rate limits): a table
# created by the accounts migrations, so no `createcachetable` step.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "relais_cache",
    }
}
