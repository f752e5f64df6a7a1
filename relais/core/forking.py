"""What a process drops before it forks workers.

A forked child inherits its parent's open sockets and sessions. Two gunicorn workers
sharing the parent's PostgreSQL socket interleave their queries and read each other's
results (seen under load: one request got another's rows); PKCS#11 forbids a child to use
its parent's HSM session. So the parent closes both before every fork, and each child opens
its own on first use.
"""

from __future__ import annotations

from django.db import connections

from relais.vault.providers import close_provider


def release_before_fork() -> None:
    """Close every database connection and the key provider of this process."""
    connections.close_all()
    close_provider()
