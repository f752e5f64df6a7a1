"""Reference data for the submission body: the EU device list and the test kinds."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Router

from relais.api.calls import audit_call, caller_of, json_response
from relais.api.endpoints_screenings import _errors
from relais.api.schemas import DevicesOut, TestKindsOut
from relais.screening.kinds import DEVICE_ALLOWED, DEVICE_REQUIRED, Kind, loinc_for
from relais.screening.valuesets import active_devices

router = Router(tags=["value sets"])


@router.get(
    "/valuesets/devices",
    url_name="valueset_devices",
    summary="Rapid antigen test devices accepted as device_id (EU list, active only)",
    response={200: DevicesOut, **_errors(401, 403, 429)},
)
def devices(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    items = [{"id": d.jrc_id, "label": d.label} for d in active_devices()]
    with transaction.atomic():
        audit_call(caller, "valueset_devices")
    return json_response(200, {"items": items})


@router.get(
    "/valuesets/test-kinds",
    url_name="valueset_test_kinds",
    summary="Test kinds accepted as test_kind, with their LOINC code",
    response={200: TestKindsOut, **_errors(401, 403, 429)},
)
def test_kinds(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    items = [
        {
            "code": kind.value,
            "label": str(kind.label),
            "loinc": loinc_for(kind.value),
            "device": _device_rule(kind.value),
        }
        for kind in Kind
    ]
    with transaction.atomic():
        audit_call(caller, "valueset_test_kinds")
    return json_response(200, {"items": items})


def _device_rule(kind: str) -> str:
    if kind in DEVICE_REQUIRED:
        return "required"
    return "allowed" if kind in DEVICE_ALLOWED else "none"
