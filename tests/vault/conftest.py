"""Vault fixtures: a private keyring per test, the probe table, captured audit events."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from relais.vault.blind import clear_blind_index_cache
from relais.vault.keystore import clear_key_cache
from relais.vault.providers import FileKeyProvider, reset_provider

from .probe import VaultProbe


@pytest.fixture(autouse=True)
def keyring(tmp_path: Path) -> Iterator[FileKeyProvider]:
    """Every test gets its own keyring file: no key ever leaks from one test to another."""
    provider = FileKeyProvider(tmp_path / "keys" / "keyring.json")
    provider.initialise()
    reset_provider(provider)
    clear_key_cache()
    clear_blind_index_cache()
    yield provider
    reset_provider(None)
    clear_key_cache()
    clear_blind_index_cache()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.create_model(VaultProbe)
    yield
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        editor.delete_model(VaultProbe)


@pytest.fixture
def probe_model(db: None) -> type[VaultProbe]:
    return VaultProbe  # rows roll back with the test's transaction


@pytest.fixture
def probe_model_tx(transactional_db: None) -> Iterator[type[VaultProbe]]:
    """For tests that commit: clean the probe table and, through the audit log's own purge
    permit, the events they wrote (the append-only trigger would otherwise block flush)."""
    yield VaultProbe
    VaultProbe.objects.all().delete()
    from relais.audit.models import AuditEvent, AuditPurgePermit

    with transaction.atomic():
        permit = AuditPurgePermit.objects.create()
        AuditEvent.objects.all().delete()
        permit.delete()


def audit_actions() -> list[tuple[str, dict[str, Any]]]:
    from relais.audit.models import AuditEvent

    return [(e.action, e.details) for e in AuditEvent.objects.order_by("occurred_at", "pk")]


SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


def softhsm_available() -> bool:
    return os.path.isfile(SOFTHSM_MODULE)
