"""Before gunicorn forks, the master lets go of its database connection and HSM session."""

from __future__ import annotations

import pytest
from django.db import connection

from relais.core.forking import release_before_fork
from relais.core.server import gunicorn_options
from relais.vault import providers

in_memory_sqlite = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="Django never closes SQLite's in-memory test database (it would lose it)",
)


@in_memory_sqlite
@pytest.mark.django_db(transaction=True)
def test_release_before_fork_closes_the_database_connection() -> None:
    connection.ensure_connection()

    release_before_fork()

    assert connection.connection is None


def test_release_before_fork_forgets_the_key_provider_and_its_session() -> None:
    held = providers.get_provider()

    release_before_fork()

    assert providers.get_provider() is not held


def test_the_gunicorn_master_releases_them_before_every_fork() -> None:
    hook = gunicorn_options(host="127.0.0.1", port=8000, workers=2, threads=1)["pre_fork"]
    held = providers.get_provider()

    hook(None, None)

    assert providers.get_provider() is not held
