"""Checks run before a long-lived process starts: refuse to start rather than fail later.

`relais serve` and `relais worker` call `check_ready_to_serve()`: Django's system checks
(the apps' domain rules among them, e.g. retention within its legal bounds), then the
database, then what the apps registered here (e.g. the vault's key provider). Every
problem ends the process with one line (`ImproperlyConfigured`, exit status 2).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

StartupCheck = Callable[[], list[str]]  # the problems that must stop the process
_startup_checks: list[StartupCheck] = []


def register_startup_check(check: StartupCheck) -> None:
    """Run `check` before serving (from an app's `ready()`; registering twice is a no-op)."""
    if check not in _startup_checks:
        _startup_checks.append(check)


def check_configuration() -> None:
    """Django's system checks, the apps' own among them: any error stops the process."""
    errors = [message for message in checks.run_checks() if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("; ".join(f"{e.msg} ({e.id})" for e in errors))


def check_database() -> None:
    connection.ensure_connection()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise ImproperlyConfigured("the database has unapplied migrations: run `relais migrate`.")


def check_ready_to_serve() -> None:
    """Configuration valid, database reachable and migrated, every registered check clean."""
    check_configuration()
    check_database()
    problems = [problem for check in _startup_checks for problem in check()]
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
