"""Screening endpoints: record one, read one, list, correct, cancel. Thin: parse, call the
screening service, shape the answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import AwareDatetime

from relais.api.calls import caller_of, issues, json_response, run_idempotent
from relais.api.parsing import read_json
from relais.api.schemas import (
    CancellationIn,
    CorrectionIn,
    Problem,
    RecordedOut,
    ScreeningOut,
    ScreeningPageOut,
    SubmissionIn,
    VersionRecordedOut,
)
from relais.core.fielderrors import FieldError, ValidationErrors
from relais.relay.services.status import TransmissionView, transmission_status_for
from relais.screening import services as screenings
from relais.screening.readmodels import ScreeningView, VersionOutcome

router = Router(tags=["screenings"])
CURSOR_SALT = "relais.api.cursor"
ERRORS = (400, 401, 403, 404, 409, 413, 415, 422, 429)


def _errors(*statuses: int) -> dict[int, Any]:
    return dict.fromkeys(statuses, Problem)


def request_body(schema: type) -> dict[str, Any]:
    """Document `schema` as the JSON body (the service validates it, field by field)."""
    ref = {"$ref": f"#/components/schemas/{schema.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def json_object(request: HttpRequest) -> Mapping[str, Any]:
    document = read_json(request)
    if not isinstance(document, dict):
        raise ValidationErrors.single("body", "body.not_object")
    return document


@router.post(
    "/screenings",
    url_name="screenings",
    summary="Record one screening",
    response={201: RecordedOut, 200: RecordedOut, **_errors(*ERRORS)},
    openapi_extra=request_body(SubmissionIn),
)
def create_screening(request: HttpRequest) -> HttpResponse:
    """201 with the new screening's id; 200 with the existing one's when it was already
    recorded (same patient, test kind and sample minute)."""
    caller = caller_of(request)
    data = json_object(request)

    def work() -> tuple[int, dict[str, Any]]:
        # Idempotency is the API's record (24 h, any POST), not the service's own key.
        outcome = screenings.record_screening(caller.actor, caller.pharmacy_id, data)
        body = {
            "id": str(outcome.screening.pk),
            "status": outcome.screening.status,
            "version": outcome.screening.current_version,
            "outcome": "created" if outcome.created else "existing",
            "warnings": issues(outcome.warnings),
        }
        return (201 if outcome.created else 200), body

    return run_idempotent(request, caller, f"POST {request.path}", work)


@router.get(
    "/screenings/{screening_id}",
    url_name="screening",
    summary="A screening's versions and transmission state",
    response={200: ScreeningOut, **_errors(401, 403, 404, 429)},
)
def read_screening(request: HttpRequest, screening_id: str) -> HttpResponse:
    caller = caller_of(request)
    view = screenings.get_screening(caller.actor, screening_id)
    transmissions = transmission_status_for(caller.actor, view.id)
    return json_response(200, screening_out(view, transmissions))


def screening_out(view: ScreeningView, transmissions: list[TransmissionView]) -> dict[str, Any]:
    return {
        "id": view.id,
        "test_kind": view.kind,
        "loinc": view.loinc,
        "status": view.status,
        "current_version": view.current_version,
        "external_ref": view.external_ref,
        "created_at": view.created_at.isoformat(),
        "patient": {
            "nir_masked": view.patient.nir_masked,
            "no_nir_reason": view.patient.no_nir_reason,
        },
        "versions": [
            {
                "number": v.number,
                "action": v.action,
                "created_at": v.created_at.isoformat(),
                "sampled_at": v.sampled_at.isoformat(),
                "result": v.result,
                "device_id": v.device_id,
            }
            for v in view.versions
        ],
        "transmissions": [transmission_out(t) for t in transmissions],
    }


def transmission_out(row: TransmissionView) -> dict[str, Any]:
    return {
        "version": row.version_number,
        "status": row.status,
        "attempts": row.attempts,
        "platform_reference": row.platform_reference,
        "reasons": list(row.reasons),
        "acknowledged_at": row.acknowledged_at.isoformat() if row.acknowledged_at else None,
        "next_attempt_at": row.next_attempt_at.isoformat() if row.next_attempt_at else None,
    }


@router.get(
    "/screenings",
    url_name="screenings",
    summary="The pharmacy's screenings, newest first, cursor-paginated (no personal data)",
    response={200: ScreeningPageOut, **_errors(401, 403, 422, 429)},
)
def list_screenings(  # noqa: PLR0917 (ninja maps each query parameter)
    request: HttpRequest,
    recorded_from: AwareDatetime | None = Query(None, alias="from"),  # type: ignore[type-arg]  # noqa: B008
    recorded_to: AwareDatetime | None = Query(None, alias="to"),  # type: ignore[type-arg]  # noqa: B008
    status: str | None = Query(None, pattern="^(active|cancelled)$"),  # type: ignore[type-arg]
    cursor: str | None = Query(None, max_length=512),  # type: ignore[type-arg]
    limit: int = Query(50, ge=1, le=200),  # type: ignore[type-arg]
) -> HttpResponse:
    caller = caller_of(request)
    page = screenings.list_screenings(
        caller.actor,
        caller.pharmacy_id,
        recorded_from=recorded_from,
        recorded_to=recorded_to,
        status=status,
        cursor=_open_cursor(cursor, caller.pharmacy_id),
        limit=limit,
    )
    body = {
        "items": [
            {
                "id": s.id,
                "test_kind": s.kind,
                "status": s.status,
                "current_version": s.current_version,
                "external_ref": s.external_ref,
                "created_at": s.created_at.isoformat(),
            }
            for s in page.items
        ],
        "next_cursor": _seal_cursor(page.next_cursor, caller.pharmacy_id),
    }
    return json_response(200, body)


def _seal_cursor(cursor: str | None, pharmacy_id: int) -> str | None:
    """Signed, so only cursors Relais issued (to this pharmacy) ever reach the service."""
    if cursor is None:
        return None
    return signing.dumps([pharmacy_id, cursor], salt=CURSOR_SALT, compress=True)


def _open_cursor(sealed: str | None, pharmacy_id: int) -> str | None:
    if not sealed:
        return None
    try:
        owner, cursor = signing.loads(sealed, salt=CURSOR_SALT, max_age=7 * 86400)
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationErrors.single("cursor", "cursor.invalid") from None
    if owner != pharmacy_id or not isinstance(cursor, str):
        raise ValidationErrors.single("cursor", "cursor.invalid")
    return cursor


@router.post(
    "/screenings/{screening_id}/correction",
    url_name="screening_correction",
    summary="Correct a screening (a new version, relayed again)",
    response={200: VersionRecordedOut, **_errors(*ERRORS)},
    openapi_extra=request_body(CorrectionIn),
)
def correct(request: HttpRequest, screening_id: str) -> HttpResponse:
    caller = caller_of(request)
    changes = json_object(request)

    def work() -> tuple[int, dict[str, Any]]:
        return 200, version_out(screenings.correct_screening(caller.actor, screening_id, changes))

    return run_idempotent(request, caller, f"POST {request.path}", work)


@router.post(
    "/screenings/{screening_id}/cancellation",
    url_name="screening_cancellation",
    summary="Cancel a screening entered by mistake",
    response={200: VersionRecordedOut, **_errors(*ERRORS)},
    openapi_extra=request_body(CancellationIn),
)
def cancel(request: HttpRequest, screening_id: str) -> HttpResponse:
    caller = caller_of(request)
    body = json_object(request)
    reason = body.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationErrors([FieldError("reason", "reason.required")])

    def work() -> tuple[int, dict[str, Any]]:
        return 200, version_out(screenings.cancel_screening(caller.actor, screening_id, reason))

    return run_idempotent(request, caller, f"POST {request.path}", work)


def version_out(outcome: VersionOutcome) -> dict[str, Any]:
    return {
        "id": str(outcome.screening.pk),
        "status": outcome.screening.status,
        "version": outcome.version.number,
        "warnings": issues(outcome.warnings),
    }
