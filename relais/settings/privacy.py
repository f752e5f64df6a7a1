"""Retention periods and the processor's identity (the compliance sheets show both).

Retention as code: relais/privacy/schedule.py and docs/retention.md. The legal bounds of
each period are the privacy app's system checks, which refuse to start out of them; here,
only the values read from the environment.
"""

from __future__ import annotations

from relais.conf.env import env_int, env_str

RELAIS_RETENTION_SCREENING_DAYS = env_int("RELAIS_RETENTION_SCREENING_DAYS", 7)
RELAIS_RETENTION_FAILED_DAYS = env_int("RELAIS_RETENTION_FAILED_DAYS", 30)
RELAIS_RETENTION_WARNING_DAYS = env_int("RELAIS_RETENTION_WARNING_DAYS", 7)
RELAIS_RETENTION_BILLING_YEARS = env_int("RELAIS_RETENTION_BILLING_YEARS", 10)
RELAIS_PURGE_BATCH_SIZE = env_int("RELAIS_PURGE_BATCH_SIZE", 500, minimum=1)
# Who hosts the data (an HDS-certified host in production) and the processor's DPO: both
# appear on every pharmacy's compliance sheet; production refuses to start without them.
RELAIS_HOSTING_PROVIDER = env_str("RELAIS_HOSTING_PROVIDER")
RELAIS_DPO_CONTACT = env_str("RELAIS_DPO_CONTACT")
