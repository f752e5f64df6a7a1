"""DATABASE_URL → Django DATABASES, with actionable errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SUPPORTED_ENGINES = {
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.postgresql": "postgresql",
}


def database_from_url(url: str, *, data_dir: Path) -> dict[str, Any]:
    if not url:
        # The database lives in its own directory, apart from the keyring (``keys/``), so a
        # copy of the database directory never carries the keys that decrypt it.
        db_dir = data_dir / "db"
        db_dir.mkdir(mode=0o700, exist_ok=True)
        url = f"sqlite:///{db_dir / 'relais.sqlite3'}"
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a valid database URL ({exc}); expected "
            "postgresql://user@host:5432/name or sqlite:////absolute/path.sqlite3."
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in SUPPORTED_ENGINES:
        raise ImproperlyConfigured(
            f"DATABASE_URL uses an unsupported engine ({engine}); use postgresql:// or sqlite://."
        )
    if SUPPORTED_ENGINES[engine] == "postgresql":
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
        options = config.setdefault("OPTIONS", {})
        options["connect_timeout"] = 5
        # Django's own cursors bind client-side and never prepare; the hot path's statements
        # (relais.core.rows) bind server-side, and psycopg prepares those that repeat. A
        # transaction-mode pooler in front of PostgreSQL must then track prepared
        # statements (PgBouncer >= 1.21, max_prepared_statements).
        options["prepare_threshold"] = 5  # executions of a statement before it is prepared
        config["TEST"] = {"NAME": f"test_{config['NAME']}"}
    else:
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config
