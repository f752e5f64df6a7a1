"""Every audit test gets its own signing key and external checkpoint directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from relais.audit.signing import init_signing_key
from tests.accounts.conftest import smtp  # noqa: F401 - the real SMTP server, shared


@pytest.fixture(autouse=True)
def audit_key(tmp_path: Path) -> Iterator[str]:
    keys = tmp_path / "audit-keys"
    with override_settings(
        RELAIS_AUDIT_SIGNING_KEY_PATH=keys / "audit-signing.key",
        RELAIS_AUDIT_CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
        RELAIS_AUDIT_CHECKPOINT_URL="",
        RELAIS_AUDIT_VERIFIER_KEY="",
    ):
        yield init_signing_key()
