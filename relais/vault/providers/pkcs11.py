"""The PKCS#11 provider (production: an HSM at the HDS host; tested with SoftHSM2).

KEKs are AES-256 secret keys generated *inside* the token, sensitive and non-extractable,
labelled with their KEK id. Wrapping is AES-GCM performed by the HSM (``CKM_AES_GCM``,
associated data = KEK id): SoftHSM2 2.6 refuses ``CKM_AES_KEY_WRAP_PAD`` for C_Encrypt, and
C_WrapKey would require importing every DEK into the token as an object first. The
blind-index master is a generic secret in the token; per-pharmacy keys are
HMAC-SHA256(master, label) computed by the HSM (``CKM_SHA256_HMAC``), see ``base``.

One logged-in session per provider, serialised by a lock: PKCS#11 sessions are not safe
for concurrent use. Processes that fork must create their provider after the fork.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pkcs11
from pkcs11 import Attribute, KeyType, Mechanism, MechanismFlag, ObjectClass
from pkcs11.exceptions import PKCS11Error
from pkcs11.mechanisms import GCMParams

from relais.vault.errors import KeyProviderError
from relais.vault.providers.base import (
    BLIND_INDEX_MASTER_LABEL,
    blind_index_label,
    wrap_associated_data,
)

_NONCE = 12
_T = TypeVar("_T")
_PRIVATE_KEY_TEMPLATE = {
    Attribute.SENSITIVE: True,
    Attribute.EXTRACTABLE: False,
    Attribute.PRIVATE: True,
}


class Pkcs11KeyProvider:
    name = "pkcs11"

    def __init__(self, module: str, token_label: str, pin: str) -> None:
        self.module = module
        self.token_label = token_label
        self._pin = pin
        self._session: Any = None
        self._lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------
    def initialise(self) -> bool:
        def create_master(session: Any) -> bool:
            if self._find(session, BLIND_INDEX_MASTER_LABEL, KeyType.GENERIC_SECRET):
                return False
            session.generate_key(
                KeyType.GENERIC_SECRET,
                256,
                label=BLIND_INDEX_MASTER_LABEL,
                store=True,
                capabilities=MechanismFlag.SIGN | MechanismFlag.VERIFY,
                template=_PRIVATE_KEY_TEMPLATE,
            )
            return True

        return self._run(create_master)

    def problems(self) -> list[str]:
        if not os.path.isfile(self.module):
            return [f"PKCS#11 module {self.module} does not exist (RELAIS_PKCS11_MODULE)"]
        try:
            found = self._run(
                lambda s: self._find(s, BLIND_INDEX_MASTER_LABEL, KeyType.GENERIC_SECRET)
            )
        except KeyProviderError as exc:
            return [str(exc)]
        return [] if found else ["the HSM holds no blind-index master: run `relais keys init`"]

    def close(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None

    # -- KEKs ------------------------------------------------------------------------
    def create_kek(self, kek_id: str) -> None:
        def create(session: Any) -> None:
            if self._find(session, kek_id, KeyType.AES):
                raise KeyProviderError(f"KEK {kek_id} already exists in the HSM")
            session.generate_key(
                KeyType.AES,
                256,
                label=kek_id,
                store=True,
                capabilities=MechanismFlag.ENCRYPT | MechanismFlag.DECRYPT,
                template=_PRIVATE_KEY_TEMPLATE,
            )

        self._run(create)

    def destroy_kek(self, kek_id: str) -> None:
        def destroy(session: Any) -> None:
            for key in self._find(session, kek_id, KeyType.AES):
                key.destroy()

        self._run(destroy)

    def list_keks(self) -> list[str]:
        def labels(session: Any) -> list[str]:
            template = {Attribute.CLASS: ObjectClass.SECRET_KEY, Attribute.KEY_TYPE: KeyType.AES}
            return sorted({str(key[Attribute.LABEL]) for key in session.get_objects(template)})

        return [label for label in self._run(labels) if label.startswith("kek-")]

    def has_kek(self, kek_id: str) -> bool:
        return bool(self._run(lambda s: self._find(s, kek_id, KeyType.AES)))

    def wrap(self, kek_id: str, dek: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        params = GCMParams(nonce, wrap_associated_data(kek_id))

        def encrypt(session: Any) -> bytes:
            keys = self._find(session, kek_id, KeyType.AES)
            if not keys:
                raise KeyProviderError(f"KEK {kek_id} is not in the HSM")
            return bytes(keys[0].encrypt(dek, mechanism=Mechanism.AES_GCM, mechanism_param=params))

        return nonce + self._run(encrypt)

    def unwrap(self, kek_id: str, wrapped: bytes) -> bytes:
        params = GCMParams(wrapped[:_NONCE], wrap_associated_data(kek_id))

        def decrypt(session: Any) -> bytes:
            # Two processes racing to create a KEK may leave two objects with one label:
            # try each, the right one authenticates.
            for key in self._find(session, kek_id, KeyType.AES):
                try:
                    return bytes(
                        key.decrypt(
                            wrapped[_NONCE:], mechanism=Mechanism.AES_GCM, mechanism_param=params
                        )
                    )
                except PKCS11Error:
                    continue
            raise KeyProviderError(f"wrapped key does not open under {kek_id} (missing or wrong)")

        return self._run(decrypt)

    def blind_index_key(self, pharmacy_id: int) -> bytes:
        def sign(session: Any) -> bytes:
            masters = self._find(session, BLIND_INDEX_MASTER_LABEL, KeyType.GENERIC_SECRET)
            if not masters:
                raise KeyProviderError(
                    "the HSM holds no blind-index master: run `relais keys init`"
                )
            label = blind_index_label(pharmacy_id)
            return bytes(masters[0].sign(label, mechanism=Mechanism.SHA256_HMAC))

        return self._run(sign)

    # -- internals -------------------------------------------------------------------
    @staticmethod
    def _find(session: Any, label: str, key_type: KeyType) -> list[Any]:
        template = {
            Attribute.CLASS: ObjectClass.SECRET_KEY,
            Attribute.KEY_TYPE: key_type,
            Attribute.LABEL: label,
        }
        return list(session.get_objects(template))

    def _run(self, operation: Callable[[Any], _T]) -> _T:
        with self._lock:
            try:
                return operation(self._open())
            except PKCS11Error as exc:
                raise KeyProviderError(f"HSM error: {type(exc).__name__}") from None

    def _open(self) -> Any:
        if self._session is None:
            if not os.path.isfile(self.module):
                raise KeyProviderError(f"PKCS#11 module {self.module} does not exist")
            try:
                token = pkcs11.lib(self.module).get_token(token_label=self.token_label)
            except (PKCS11Error, RuntimeError) as exc:
                raise KeyProviderError(
                    f"no HSM token labelled {self.token_label!r} ({type(exc).__name__})"
                ) from None
            self._session = token.open(user_pin=self._pin, rw=True)
        return self._session
