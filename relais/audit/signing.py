"""The log's signing key (a file outside the database) and checkpoint publication.

Checkpoints are written to the database *and* to an external location: an attacker who
rewrites the database cannot reach the copies, nor forge a signature without the key file.
Publication happens after the sealing transaction commits; a failure is logged and the
next run publishes again (the newest checkpoint covers every older one).
"""

from __future__ import annotations

import logging
import os
import tempfile
import urllib.request
from pathlib import Path

from django.conf import settings

from relais.audit.checkpoint import CheckpointError, Signer, load_signing_key, write_signing_key

logger = logging.getLogger("relais.audit")
_KEY_NAME_FALLBACK = "relais-audit"


def origin() -> str:
    return str(getattr(settings, "RELAIS_AUDIT_ORIGIN", "relais.localhost/audit"))


def key_path() -> Path:
    configured = getattr(settings, "RELAIS_AUDIT_SIGNING_KEY_PATH", None)
    return (
        Path(configured) if configured else Path(settings.DATA_DIR) / "keys" / "audit-signing.key"
    )


def key_name() -> str:
    """A signed-note key name: the origin, without characters the format forbids."""
    name = "".join(char for char in origin() if not char.isspace() and char != "+")
    return name or _KEY_NAME_FALLBACK


def init_signing_key() -> str:
    """Create the signing key file (0600, never overwritten); return the verifier key."""
    path = key_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return write_signing_key(path, key_name())


def load_signer() -> Signer:
    """The signing key; in development it is created on first use (never in production)."""
    path = key_path()
    if not path.exists() and not getattr(settings, "PRODUCTION", True):
        init_signing_key()
    return load_signing_key(path)


def verifier_key(explicit: str = "") -> str:
    """The key checkpoints are checked with: given, pinned in settings, or from the key file."""
    pinned = explicit or str(getattr(settings, "RELAIS_AUDIT_VERIFIER_KEY", "") or "")
    if pinned:
        return pinned
    return load_signing_key(key_path()).verifier().key_string()


def checkpoint_dir() -> Path | None:
    configured = str(getattr(settings, "RELAIS_AUDIT_CHECKPOINT_DIR", "") or "")
    return Path(configured) if configured else None


def publish_checkpoint(size: int, signed_note: str) -> None:
    """Copy one signed checkpoint to every configured external location; never raises."""
    directory = checkpoint_dir()
    if directory is not None:
        try:
            _write_atomically(directory, f"checkpoint-{size:015d}.txt", signed_note)
            _write_atomically(directory, "latest.txt", signed_note)
        except OSError as error:
            logger.error("audit checkpoint %s not copied to directory: %s", size, error.strerror)
    url = str(getattr(settings, "RELAIS_AUDIT_CHECKPOINT_URL", "") or "")
    if url:
        _post(url, size, signed_note)


def _write_atomically(directory: Path, name: str, text: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".checkpoint-")
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, directory / name)


def _post(url: str, size: int, signed_note: str) -> None:
    if not url.startswith(("https://", "http://")):
        logger.error("RELAIS_AUDIT_CHECKPOINT_URL must be an http(s) URL; checkpoint not sent")
        return
    request = urllib.request.Request(  # noqa: S310 - scheme checked just above
        url,
        data=signed_note.encode("utf-8"),
        headers={"Content-Type": "text/plain; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            response.read(1024)
    except OSError as error:
        logger.error("audit checkpoint %s not posted: %s", size, type(error).__name__)


def external_checkpoints() -> list[str]:
    """Every signed note found in the external directory (unparsed; the caller checks)."""
    directory = checkpoint_dir()
    if directory is None or not directory.is_dir():
        return []
    notes = []
    for path in sorted(directory.glob("checkpoint-*.txt")):
        try:
            notes.append(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            logger.warning("unreadable external checkpoint %s", path.name)
    return notes


__all__ = [
    "CheckpointError",
    "checkpoint_dir",
    "external_checkpoints",
    "init_signing_key",
    "load_signer",
    "origin",
    "publish_checkpoint",
    "verifier_key",
]
