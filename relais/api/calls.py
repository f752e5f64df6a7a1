"""What every endpoint does around its service: the caller the edge admitted (its key and
scope already checked there), the audit of the call's outcome (ids and counts, never a
body), and idempotent execution of POSTs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse

from relais.api import idempotency
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.fielderrors import FieldError
from relais.core.services import one_transaction
from relais.http.problems import ApiProblem, field_error, language
from relais.pharmacies.apikeys.authentication import ApiCaller

IDEMPOTENCY_HEADER = "Idempotency-Key"


def caller_of(request: HttpRequest) -> ApiCaller:
    """The caller the edge admitted (ninja's auth hands it over as `request.auth`)."""
    caller = getattr(request, "auth", None)
    if not isinstance(caller, ApiCaller):  # the edge admitted it: cannot happen, fail closed
        raise ApiProblem("unauthenticated")
    return caller


def audit_call(
    caller: ApiCaller,
    operation: str,
    *,
    outcome: str = "success",
    object_ids: Iterable[object] = (),
    details: Mapping[str, str | int] | None = None,
) -> None:
    """An API_CALL event: which key did what, with which ids (no body, no values)."""
    record_event(
        AuditAction.API_CALL,
        actor=caller.actor,
        pharmacy_id=caller.pharmacy_id,
        object_type="screening",
        object_ids=object_ids,
        outcome=outcome,
        details={"operation": operation, **(details or {})},
    )


def issues(errors: Iterable[FieldError]) -> list[dict[str, str]]:
    lang = language()
    return [field_error(e, lang) for e in errors]


def json_response(status: int, body: dict[str, Any], *, replayed: bool = False) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def run_idempotent(
    request: HttpRequest,
    caller: ApiCaller,
    operation: str,
    work: Callable[[], tuple[int, dict[str, Any]]],
) -> HttpResponse:
    """Run `work` in one transaction with the Idempotency-Key record (when one is sent).

    Without a key, `work` runs as it is: each endpoint's work is one service call, which is
    its own transaction (an outer one would only add a savepoint to every request)."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        status, body = work()
        return json_response(status, body)
    try:
        return _idempotent_once(request, caller, key, operation, work, retried_on_conflict=True)
    except IntegrityError:
        # A concurrent request won a unique constraint (the same patient or screening):
        # everything rolled back; the second run finds what it recorded.
        return _idempotent_once(request, caller, key, operation, work, retried_on_conflict=False)


def _idempotent_once(
    request: HttpRequest,
    caller: ApiCaller,
    key: str,
    operation: str,
    work: Callable[[], tuple[int, dict[str, Any]]],
    *,
    retried_on_conflict: bool,
) -> HttpResponse:
    with one_transaction(retried_on_conflict=retried_on_conflict):  # no savepoints
        claimed = idempotency.claim(caller.pharmacy_id, key, operation, request.body)
        if claimed.replay is not None:
            status, body = claimed.replay
            return json_response(status, body, replayed=True)
        status, body = work()
        idempotency.complete(claimed, status, body)
    return json_response(status, body)
