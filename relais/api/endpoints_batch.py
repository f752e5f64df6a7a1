"""Batch submission: up to 1,000 screenings, each recorded or refused on its own.

The batch is one transaction (one durable commit) and each item its own savepoint — the
screening service's transaction, nested — so an invalid item rolls back only itself.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from relais.access.policy import Action
from relais.api.auth import ApiCaller
from relais.api.calls import audit_call, issues, require_scope, run_idempotent
from relais.api.endpoints_screenings import ERRORS, _errors, json_object, request_body
from relais.api.schemas import MAX_BATCH, BatchIn, BatchOut
from relais.screening import services as screenings
from relais.screening.validation import FieldError, ValidationErrors

router = Router(tags=["screenings"])


@router.post(
    "/screenings/batch",
    url_name="screening_batch",
    summary="Record up to 1,000 screenings; an outcome per item",
    response={200: BatchOut, **_errors(*ERRORS)},
    openapi_extra=request_body(BatchIn),
)
def create_batch(request: HttpRequest) -> HttpResponse:
    """200 with one outcome per item, in order: `created`, `existing` or `invalid` (with
    its errors). Valid items are kept whatever happens to the others."""
    caller = require_scope(request, Action.SCREENING_CREATE)
    items = _items(json_object(request))

    def work() -> tuple[int, dict[str, Any]]:
        outcomes = [_one(caller, index, item) for index, item in enumerate(items)]
        counts = {
            f"{name}_count": sum(1 for o in outcomes if o["outcome"] == name)
            for name in ("created", "existing", "invalid")
        }
        audit_call(
            caller,
            "screening_batch",
            outcome="success" if not counts["invalid_count"] else "partial",
            object_ids=[o["id"] for o in outcomes if o["id"]],
            details=counts,
        )
        return 200, {"items": outcomes, "counts": counts}

    return run_idempotent(request, caller, f"POST {request.path}", work)


def _items(body: Any) -> list[Any]:
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise ValidationErrors.single("items", "items.required")
    if len(items) > MAX_BATCH:
        raise ValidationErrors.single("items", "items.too_many", max=MAX_BATCH)
    return items


def _one(caller: ApiCaller, index: int, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        return _invalid(index, [FieldError("body", "body.not_object")])
    try:
        outcome = screenings.record_screening(caller.actor, caller.pharmacy_id, item)
    except ValidationErrors as refused:
        return _invalid(index, refused.errors)
    return {
        "index": index,
        "outcome": "created" if outcome.created else "existing",
        "id": str(outcome.screening.pk),
        "status": outcome.screening.status,
        "errors": [],
        "warnings": issues(outcome.warnings),
    }


def _invalid(index: int, errors: Any) -> dict[str, Any]:
    return {
        "index": index,
        "outcome": "invalid",
        "id": None,
        "status": None,
        "errors": issues(errors),
        "warnings": [],
    }
