"""Batch submission: up to 1,000 screenings, each recorded or refused on its own.

The batch is one transaction (one durable commit) and one call of the screening service,
which validates every item first and records the valid ones together, so an invalid item
is refused on its own and never rolls back the others.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Router

from relais.api.calls import audit_call, caller_of, issues, run_idempotent
from relais.api.endpoints_screenings import ERRORS, _errors, json_object, request_body
from relais.api.schemas import MAX_BATCH, BatchIn, BatchOut
from relais.core.fielderrors import FieldError, ValidationErrors
from relais.pharmacies.apikeys.authentication import ApiCaller
from relais.screening import services as screenings

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
    caller = caller_of(request)
    items = _items(json_object(request))

    @transaction.atomic  # the batch's service call and the API call's audit event
    def work() -> tuple[int, dict[str, Any]]:
        outcomes = _record(caller, items)
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


def _record(caller: ApiCaller, items: list[Any]) -> list[dict[str, Any]]:
    """Each item's outcome, in order; objects go to the service in one call."""
    objects = [item for item in items if isinstance(item, dict)]
    recorded = iter(screenings.record_screenings(caller.actor, caller.pharmacy_id, objects))
    outcomes = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            outcomes.append(_invalid(index, [FieldError("body", "body.not_object")]))
            continue
        outcome = next(recorded)
        if isinstance(outcome, ValidationErrors):
            outcomes.append(_invalid(index, outcome.errors))
            continue
        outcomes.append(
            {
                "index": index,
                "outcome": "created" if outcome.created else "existing",
                "id": str(outcome.screening.pk),
                "status": outcome.screening.status,
                "errors": [],
                "warnings": issues(outcome.warnings),
            }
        )
    return outcomes


def _invalid(index: int, errors: Any) -> dict[str, Any]:
    return {
        "index": index,
        "outcome": "invalid",
        "id": None,
        "status": None,
        "errors": issues(errors),
        "warnings": [],
    }
