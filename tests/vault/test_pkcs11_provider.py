"""The PKCS#11 provider against a real SoftHSM2 token created for the test session."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from relais.vault.errors import KeyProviderError
from relais.vault.providers.base import derive_blind_index_key

from .conftest import SOFTHSM_MODULE, softhsm_available

pytestmark = pytest.mark.skipif(
    not softhsm_available(),
    reason=f"SoftHSM2 module {SOFTHSM_MODULE} is absent: apt-get install softhsm2",
)
LABEL = "relais-test"
PIN = "1234"
DEK = os.urandom(32)


@pytest.fixture(scope="module")
def hsm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A private token in a temp dir (SOFTHSM2_CONF must be set before the module loads)."""
    from relais.vault.providers.pkcs11 import Pkcs11KeyProvider

    root = tmp_path_factory.mktemp("softhsm")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\n")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            LABEL,
            "--pin",
            PIN,
            "--so-pin",
            "5678",
        ],
        check=True,
        capture_output=True,
    )
    provider = Pkcs11KeyProvider(SOFTHSM_MODULE, LABEL, PIN)
    provider.initialise()
    yield provider
    provider.close()
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def test_a_kek_generated_in_the_hsm_wraps_and_unwraps(hsm: object) -> None:
    hsm.create_kek("kek-2025-03-v1")  # type: ignore[attr-defined]
    wrapped = hsm.wrap("kek-2025-03-v1", DEK)  # type: ignore[attr-defined]
    assert DEK not in wrapped
    assert hsm.unwrap("kek-2025-03-v1", wrapped) == DEK  # type: ignore[attr-defined]
    assert "kek-2025-03-v1" in hsm.list_keks()  # type: ignore[attr-defined]


def test_hsm_keks_are_sensitive_and_never_extractable(hsm: object) -> None:
    from pkcs11 import Attribute, KeyType

    hsm.create_kek("kek-2025-04-v1")  # type: ignore[attr-defined]
    session = hsm._open()  # type: ignore[attr-defined]
    (key,) = hsm._find(session, "kek-2025-04-v1", KeyType.AES)  # type: ignore[attr-defined]
    assert key[Attribute.SENSITIVE] is True
    assert key[Attribute.EXTRACTABLE] is False
    assert key[Attribute.TOKEN] is True


def test_a_dek_wrapped_under_one_kek_does_not_open_under_another(hsm: object) -> None:
    hsm.create_kek("kek-2025-05-v1")  # type: ignore[attr-defined]
    hsm.create_kek("kek-2025-06-v1")  # type: ignore[attr-defined]
    wrapped = hsm.wrap("kek-2025-05-v1", DEK)  # type: ignore[attr-defined]
    with pytest.raises(KeyProviderError):
        hsm.unwrap("kek-2025-06-v1", wrapped)  # type: ignore[attr-defined]


def test_a_destroyed_hsm_kek_can_no_longer_unwrap(hsm: object) -> None:
    hsm.create_kek("kek-2025-07-v1")  # type: ignore[attr-defined]
    wrapped = hsm.wrap("kek-2025-07-v1", DEK)  # type: ignore[attr-defined]
    hsm.destroy_kek("kek-2025-07-v1")  # type: ignore[attr-defined]
    assert not hsm.has_kek("kek-2025-07-v1")  # type: ignore[attr-defined]
    with pytest.raises(KeyProviderError, match="does not open"):
        hsm.unwrap("kek-2025-07-v1", wrapped)  # type: ignore[attr-defined]


def test_creating_an_existing_kek_is_refused(hsm: object) -> None:
    hsm.create_kek("kek-2025-08-v1")  # type: ignore[attr-defined]
    with pytest.raises(KeyProviderError, match="already exists"):
        hsm.create_kek("kek-2025-08-v1")  # type: ignore[attr-defined]


def test_hsm_blind_index_keys_are_per_pharmacy_hmacs(hsm: object) -> None:
    first = hsm.blind_index_key(1)  # type: ignore[attr-defined]
    assert len(first) == 32
    assert first == hsm.blind_index_key(1)  # type: ignore[attr-defined]
    assert first != hsm.blind_index_key(2)  # type: ignore[attr-defined]
    assert first != derive_blind_index_key(b"\0" * 32, 1)


def test_a_wrong_pin_is_reported_as_a_provider_problem(hsm: object) -> None:
    from relais.vault.providers.pkcs11 import Pkcs11KeyProvider

    problems = Pkcs11KeyProvider(SOFTHSM_MODULE, LABEL, "0000").problems()
    assert problems and "HSM error" in problems[0]


def test_a_missing_module_is_reported_with_its_setting(tmp_path: Path) -> None:
    from relais.vault.providers.pkcs11 import Pkcs11KeyProvider

    problems = Pkcs11KeyProvider(str(tmp_path / "nope.so"), LABEL, PIN).problems()
    assert problems and "RELAIS_PKCS11_MODULE" in problems[0]
