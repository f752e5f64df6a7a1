"""The vault's key provider (envelope encryption): production must choose it explicitly."""

from __future__ import annotations

from relais.conf.env import env_choice, env_path, env_secret, env_str, refuse_unless
from relais.settings.base import DATA_DIR, PRODUCTION

RELAIS_KEY_PROVIDER = env_choice(
    "RELAIS_KEY_PROVIDER",
    {"pkcs11": "an HSM, for production", "file": "a keyring"},
    "" if PRODUCTION else "file",
)
RELAIS_KEYRING_PATH = env_path("RELAIS_KEYRING_PATH", DATA_DIR / "keys" / "keyring.json")
RELAIS_PKCS11_MODULE = env_str("RELAIS_PKCS11_MODULE")
RELAIS_PKCS11_TOKEN_LABEL = env_str("RELAIS_PKCS11_TOKEN_LABEL")
RELAIS_PKCS11_PIN = env_secret("RELAIS_PKCS11_PIN")
refuse_unless(
    RELAIS_KEY_PROVIDER != "pkcs11"
    or (RELAIS_PKCS11_MODULE and RELAIS_PKCS11_TOKEN_LABEL and RELAIS_PKCS11_PIN),
    "The pkcs11 key provider needs RELAIS_PKCS11_MODULE, RELAIS_PKCS11_TOKEN_LABEL and "
    "RELAIS_PKCS11_PIN (or RELAIS_PKCS11_PIN_FILE).",
)
