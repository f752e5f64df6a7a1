"""Fault tests: real worker processes and a real simulator, on PostgreSQL only."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "relay"))

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if not POSTGRES:
        pytest.skip("fault tests need several workers: run with DATABASE_URL=postgresql://...")


@pytest.fixture(autouse=True)
def _empty_the_audit_log_before_the_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """See tests/relay/conftest.py: empty the append-only log under a permit before flush."""
    yield
    if "transactional_db" not in request.fixturenames:
        return
    from relais.audit.models import AuditEvent, AuditPurgePermit

    AuditPurgePermit.objects.create()
    AuditEvent.objects.all().delete()
