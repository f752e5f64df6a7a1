"""Secrets of the development/demo mode, generated on first run.

Production never reaches this module: its secrets must come from the environment.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from relais.conf.env import env_secret

MIN_SECRET_KEY_LENGTH = 50
MIN_DISTINCT_CHARACTERS = 10


def secret_key_problem(value: str) -> str | None:
    """Why ``value`` is not a production-grade SECRET_KEY, or None when it is."""
    if not value:
        return "SECRET_KEY is missing (set SECRET_KEY or SECRET_KEY_FILE)."
    if len(value) < MIN_SECRET_KEY_LENGTH or len(set(value)) < MIN_DISTINCT_CHARACTERS:
        return (
            f"SECRET_KEY is weak: use at least {MIN_SECRET_KEY_LENGTH} random characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(64))").'
        )
    if value.startswith("django-insecure"):
        return "SECRET_KEY is Django's insecure development key: generate a new one."
    return None


def production_secret_key() -> str:
    """SECRET_KEY from the environment (or SECRET_KEY_FILE), refused when missing or weak."""
    value = env_secret("SECRET_KEY")
    problem = secret_key_problem(value)
    if problem:
        raise ImproperlyConfigured(problem)
    return value


def development_secrets(data_dir: Path) -> dict[str, str]:
    """Load, or create with 0600 permissions, the development secrets file."""
    path = data_dir / "dev-secrets.json"
    if not path.exists():
        values = {"SECRET_KEY": secrets.token_urlsafe(64)}
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(values, handle)
    try:
        loaded: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"{path} cannot be read ({exc}); delete it to generate new development secrets."
        ) from None
    return loaded


def ensure_data_dir(path: Path) -> Path:
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"RELAIS_DATA_DIR={path} cannot be created ({exc.strerror}); "
            "choose a writable directory."
        ) from None
    if not os.access(path, os.W_OK | os.R_OK | os.X_OK):
        raise ImproperlyConfigured(
            f"RELAIS_DATA_DIR={path} is not readable and writable by this user."
        )
    return path
