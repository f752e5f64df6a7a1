"""What a process drops before it forks workers.

A forked child inherits its parent's open sockets and sessions. Gunicorn workers sharing
the parent's PostgreSQL socket interleave their queries and read one another's results
(seen in a burst at start-up: a key lookup decoding another query's row, IndexError and
ProgrammingError, hangs); PKCS#11 forbids a child to use its parent's HSM session. So the
parent closes both before every fork, and each child opens its own on first use.
"""

from __future__ import annotations

from django.db import connections

from relais.vault.providers import close_provider


def release_before_fork() -> None:
    """Close every database connection and the key provider of this process."""
    connections.close_all()
    close_provider()
