"""Key providers, and the one configured for this process (from Django settings)."""

from __future__ import annotations

import threading
from pathlib import Path

from relais.vault.errors import KeyProviderError
from relais.vault.providers.base import KeyProvider
from relais.vault.providers.file import FileKeyProvider

__all__ = [
    "FileKeyProvider",
    "KeyProvider",
    "close_provider",
    "get_provider",
    "provider_from_settings",
    "reset_provider",
]

_lock = threading.Lock()
_provider: KeyProvider | None = None


def default_keyring_path() -> Path:
    from django.conf import settings

    data_dir = Path(getattr(settings, "DATA_DIR", "var"))
    return data_dir / "keys" / "keyring.json"


def provider_from_settings() -> KeyProvider:
    """Build a provider from ``RELAIS_KEY_PROVIDER`` and its settings; no default PIN."""
    from django.conf import settings

    kind = getattr(settings, "RELAIS_KEY_PROVIDER", "file")
    if kind == "file":
        path = getattr(settings, "RELAIS_KEYRING_PATH", None) or default_keyring_path()
        return FileKeyProvider(Path(path))
    if kind == "pkcs11":
        from relais.vault.providers.pkcs11 import Pkcs11KeyProvider

        module = getattr(settings, "RELAIS_PKCS11_MODULE", "")
        label = getattr(settings, "RELAIS_PKCS11_TOKEN_LABEL", "")
        pin = getattr(settings, "RELAIS_PKCS11_PIN", "")
        if not (module and label and pin):
            raise KeyProviderError(
                "RELAIS_KEY_PROVIDER=pkcs11 needs RELAIS_PKCS11_MODULE, "
                "RELAIS_PKCS11_TOKEN_LABEL and RELAIS_PKCS11_PIN (or RELAIS_PKCS11_PIN_FILE)"
            )
        return Pkcs11KeyProvider(str(module), str(label), str(pin))
    raise KeyProviderError(f"RELAIS_KEY_PROVIDER must be 'file' or 'pkcs11', not {kind!r}")


def get_provider() -> KeyProvider:
    global _provider  # noqa: PLW0603 - one provider (one HSM session) per process
    with _lock:
        if _provider is None:
            _provider = provider_from_settings()
        return _provider


def reset_provider(provider: KeyProvider | None = None) -> None:
    """Forget (or replace, in tests) the process's provider, e.g. after settings changed."""
    global _provider  # noqa: PLW0603
    with _lock:
        _provider = provider


def close_provider() -> None:
    """Close and forget the process's provider: a process about to fork calls this, since
    a child must never share its parent's HSM session (PKCS#11 forbids it)."""
    global _provider
    with _lock:
        provider, _provider = _provider, None
    if provider is not None:
        provider.close()
