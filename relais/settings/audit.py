"""The tamper-evident audit log: its signing key, external checkpoint copies, alerts.

The checkpoint signing key lives outside the database (a file, mode 0600, created by
`relais audit init-key` or on first sealing in development). Publish its verifier key
(`relais audit init-key` prints it) to auditors; RELAIS_AUDIT_VERIFIER_KEY pins it.
"""

from __future__ import annotations

from relais.conf.env import env_int, env_list, env_path, env_str
from relais.settings.base import DATA_DIR, PRODUCTION

RELAIS_AUDIT_SIGNING_KEY_PATH = env_path(
    "RELAIS_AUDIT_SIGNING_KEY_PATH", DATA_DIR / "keys" / "audit-signing.key"
)
RELAIS_AUDIT_VERIFIER_KEY = env_str("RELAIS_AUDIT_VERIFIER_KEY")
RELAIS_AUDIT_ORIGIN = env_str("RELAIS_AUDIT_ORIGIN", "relais.localhost/audit")
# External copies of every checkpoint: a directory (another host's mount in production)
# and/or an HTTP endpoint receiving each signed note by POST.
RELAIS_AUDIT_CHECKPOINT_DIR = env_str(
    "RELAIS_AUDIT_CHECKPOINT_DIR", "" if PRODUCTION else str(DATA_DIR / "audit-checkpoints")
)
RELAIS_AUDIT_CHECKPOINT_URL = env_str("RELAIS_AUDIT_CHECKPOINT_URL")
# Within its legal bounds (a system check of the privacy app refuses any other).
RELAIS_AUDIT_RETENTION_DAYS = env_int("RELAIS_AUDIT_RETENTION_DAYS", 365, minimum=1)
RELAIS_AUDIT_BULK_READ_LIMIT = env_int("RELAIS_AUDIT_BULK_READ_LIMIT", 200, minimum=1)
RELAIS_AUDIT_BULK_READ_WINDOW_SECONDS = env_int(
    "RELAIS_AUDIT_BULK_READ_WINDOW_SECONDS", 600, minimum=1
)
RELAIS_AUDIT_EXPORT_LIMIT = env_int("RELAIS_AUDIT_EXPORT_LIMIT", 1000, minimum=1)
RELAIS_AUDIT_ALERT_EMAILS = env_list("RELAIS_AUDIT_ALERT_EMAILS")
# A worker seals for at most this long per run (every 2 s), then relays again; a backlog is
# sealed over several runs. `relais audit seal` has no limit.
RELAIS_AUDIT_SEAL_BUDGET_MS = env_int("RELAIS_AUDIT_SEAL_BUDGET_MS", 300, minimum=1)
