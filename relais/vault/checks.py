"""Start-up check: refuse to serve when the key provider cannot protect data."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from relais.vault.errors import KeyProviderError
from relais.vault.providers import get_provider
from relais.vault.providers.file import FileKeyProvider


def check_key_provider() -> list[str]:
    """Problems that must stop the process (empty list when the provider is usable)."""
    try:
        provider = get_provider()
    except KeyProviderError as exc:
        return [str(exc)]
    problems = list(provider.problems())
    if isinstance(provider, FileKeyProvider):
        problems += _file_provider_problems(provider)
    return problems


def _file_provider_problems(provider: FileKeyProvider) -> list[str]:
    problems = []
    if getattr(settings, "PRODUCTION", False):
        problems.append("production must use RELAIS_KEY_PROVIDER=pkcs11 (an HSM), not a file")
    database = settings.DATABASES.get("default", {})
    name = str(database.get("NAME", ""))
    is_sqlite_file = database.get("ENGINE", "").endswith("sqlite3") and name.startswith("/")
    if is_sqlite_file and Path(name).resolve().parent == provider.path.resolve().parent:
        problems.append(
            f"the keyring {provider.path} sits next to the database: move it "
            "(RELAIS_KEYRING_PATH) so one copied directory never holds both"
        )
    return problems
