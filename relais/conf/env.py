"""Typed readers for environment variables.

Every setting of Relais comes from the environment. Secrets may also come from a file named
by ``NAME_FILE`` (Docker/Kubernetes secrets, systemd credentials), so they never need to sit
in a process listing or a shell history.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, *, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_choice(name: str, choices: Mapping[str, str], default: str) -> str:
    """One of ``choices`` (each value → what it means, for the error); anything else,
    including an empty default that production leaves for the operator, is refused."""
    value = env_str(name, default)
    if value not in choices:
        options = " or ".join(
            f"{choice!r} ({meaning})" if meaning else repr(choice)
            for choice, meaning in choices.items()
        )
        raise ImproperlyConfigured(f"{name} must be {options}, not {value!r}.")
    return value


def env_path(name: str, default: Path) -> Path:
    """An absolute path: ``name`` if set, else ``default``."""
    return Path(env_str(name) or default).resolve()


def refuse_unless(condition: object, message: str) -> None:
    """Fail closed: stop the process with ``message`` unless ``condition`` holds."""
    if not condition:
        raise ImproperlyConfigured(message)


def env_list(name: str, default: tuple[str, ...] = ()) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str) -> str:
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE``.

    Setting both is refused: the operator would not know which one is in force.
    """
    direct = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if direct is not None and file_name is not None:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if file_name is not None:
        path = Path(file_name)
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE points to {path}, which cannot be read ({exc.strerror})."
            ) from None
    return (direct or "").strip()
