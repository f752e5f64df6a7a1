"""The relay to SI-DEP: the destination (HTTPS with mutual TLS) and the worker's tuning.

Development defaults point at the simulator that `relais demo` starts, with the throwaway
PKI it writes under the data directory; production names the platform and its files.
"""

from __future__ import annotations

from pathlib import Path

from relais.conf.env import env_choice, env_int, env_str, refuse_unless
from relais.settings.base import DATA_DIR, PRODUCTION

_DEMO_CERTS = DATA_DIR / "sidep-certs"


def _demo_default(path: str) -> str:
    return "" if PRODUCTION else path


RELAIS_SIDEP_URL = env_str("RELAIS_SIDEP_URL", _demo_default("https://127.0.0.1:8443"))
RELAIS_SIDEP_CLIENT_CERT = env_str(
    "RELAIS_SIDEP_CLIENT_CERT", _demo_default(str(_DEMO_CERTS / "client.pem"))
)
RELAIS_SIDEP_CLIENT_KEY = env_str(
    "RELAIS_SIDEP_CLIENT_KEY", _demo_default(str(_DEMO_CERTS / "client.key"))
)
RELAIS_SIDEP_CA = env_str("RELAIS_SIDEP_CA", _demo_default(str(_DEMO_CERTS / "ca.pem")))
# FHIR R4 transaction bundles, or HL7 v2.5.1 ORU^R01 batches.
RELAIS_SIDEP_FORMAT = env_choice("RELAIS_SIDEP_FORMAT", {"fhir": "", "hl7": ""}, "fhir")
if PRODUCTION:
    refuse_unless(
        RELAIS_SIDEP_URL.startswith("https://"),
        "RELAIS_SIDEP_URL must be the platform's https:// address in production.",
    )
    for _name, _path in (
        ("RELAIS_SIDEP_CLIENT_CERT", RELAIS_SIDEP_CLIENT_CERT),
        ("RELAIS_SIDEP_CLIENT_KEY", RELAIS_SIDEP_CLIENT_KEY),
        ("RELAIS_SIDEP_CA", RELAIS_SIDEP_CA),
    ):
        refuse_unless(
            _path and Path(_path).is_file(),
            f"{_name} must name a readable PEM file (the mutual-TLS client certificate, "
            "its key and the CA bundle of the platform) in production.",
        )
RELAIS_SIDEP_CONNECT_TIMEOUT_MS = env_int("RELAIS_SIDEP_CONNECT_TIMEOUT_MS", 5000, minimum=100)
RELAIS_SIDEP_READ_TIMEOUT_MS = env_int("RELAIS_SIDEP_READ_TIMEOUT_MS", 30000, minimum=100)

# Messages per claim and per request to the platform: per-batch costs (one FHIR schema
# check, claim, outcome UPDATE) spread over 500 cost ~15-20 % less worker CPU than over 200.
RELAIS_RELAY_BATCH_SIZE = env_int("RELAIS_RELAY_BATCH_SIZE", 500, minimum=1)
RELAIS_RELAY_LEASE_SECONDS = env_int("RELAIS_RELAY_LEASE_SECONDS", 60, minimum=1)
RELAIS_RELAY_MAX_ATTEMPTS = env_int("RELAIS_RELAY_MAX_ATTEMPTS", 15, minimum=1)
RELAIS_RELAY_BACKOFF_BASE_MS = env_int("RELAIS_RELAY_BACKOFF_BASE_MS", 1000, minimum=1)
RELAIS_RELAY_BACKOFF_CAP_MS = env_int("RELAIS_RELAY_BACKOFF_CAP_MS", 15 * 60 * 1000, minimum=1)
RELAIS_RELAY_CIRCUIT_THRESHOLD = env_int("RELAIS_RELAY_CIRCUIT_THRESHOLD", 5, minimum=1)
RELAIS_RELAY_CIRCUIT_COOLDOWN_MS = env_int("RELAIS_RELAY_CIRCUIT_COOLDOWN_MS", 30000, minimum=1)
# How long an idle worker waits before looking again: also the worst added delay between a
# submission and its relay when the queue was empty (a claim costs ~1 ms of CPU).
RELAIS_RELAY_IDLE_MS = env_int("RELAIS_RELAY_IDLE_MS", 100, minimum=1)
# After a partial batch, wait this long so the next batch carries what arrived meanwhile:
# at 200 submissions/s, batches of 2-3 messages cost a worker ~4 ms of CPU per message
# (claim, load, request and settle are per batch). 0 sends each arrival at once.
RELAIS_RELAY_LINGER_MS = env_int("RELAIS_RELAY_LINGER_MS", 250, minimum=0)
