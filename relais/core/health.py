"""Liveness and readiness probes: no authentication, no details."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _migrations_applied() -> bool:
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    return not executor.migration_plan(targets)


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    try:
        ready = _migrations_applied()
    except DatabaseError:
        ready = False
    status = 200 if ready else 503
    return JsonResponse({"status": "ready" if ready else "not ready"}, status=status)
