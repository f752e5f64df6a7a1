"""Checks run before a long-lived process starts: refuse to start rather than fail later."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

STARTUP_CHECKS: list[str] = []


def check_database() -> None:
    connection.ensure_connection()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise ImproperlyConfigured("the database has unapplied migrations: run `relais migrate`.")


def check_ready_to_serve() -> None:
    """Database reachable and migrated; key provider usable (once the vault is installed)."""
    check_database()
    from django.apps import apps

    if apps.is_installed("relais.vault"):
        from relais.vault.checks import check_key_provider

        problems = check_key_provider()
        if problems:
            raise ImproperlyConfigured("; ".join(problems))
