"""The NinjaAPI of Relais (`/api/v1`): routers, problem-details handlers, OpenAPI 3.1.

Every exception reaching ninja becomes an RFC 9457 problem; an unexpected one is logged by
type and stack only (an exception's message could quote a submitted value) and answered
500 — no input is meant to get there, and the tests fuzz for it.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger

from relais.access.errors import AccessDeniedError
from relais.api import endpoints_batch, endpoints_screenings, endpoints_valuesets, schemas
from relais.api.auth import ApiKeyAuth
from relais.api.problems import ApiProblem, problem_response, respond
from relais.core.fielderrors import FieldError, ValidationErrors
from relais.screening.errors import IdempotencyConflictError, ScreeningNotFoundError

logger = logging.getLogger("relais.api")

DOCUMENTED_INPUTS = (
    schemas.SubmissionIn,
    schemas.BatchIn,
    schemas.CorrectionIn,
    schemas.CancellationIn,
)
STATUS_SLUGS = {
    400: "malformed-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "idempotency-conflict",
    413: "body-too-large",
    415: "unsupported-media-type",
    422: "validation",
    429: "rate-limited",
}


class RelaisApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in DOCUMENTED_INPUTS:
            document = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(document.pop("$defs", {}))
            components[model.__name__] = document
        for path in schema["paths"].values():
            for operation in path.values():
                _problem_media_types(operation.get("responses", {}))
        return schema


def _problem_media_types(responses: dict[str, Any]) -> None:
    for status, response in responses.items():
        content = response.get("content", {})
        if int(status) >= 400 and "application/json" in content:  # noqa: PLR2004
            response["content"] = {"application/problem+json": content["application/json"]}


api = RelaisApi(
    title="Relais API",
    version="1",
    description=(
        "Submit COVID-19 screening results to Relais, which validates, encrypts and relays "
        "them to SI-DEP. Authenticate with `Authorization: Bearer rls_live_…`. Errors are "
        "RFC 9457 problem details. See the vendor guide (docs/api-integration.md)."
    ),
    urls_namespace="api-v1",
    auth=ApiKeyAuth(),
    docs=Swagger(settings={"persistAuthorization": False, "tryItOutEnabled": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
# The batch path first: `screenings/batch` would otherwise match `screenings/{screening_id}`.
api.add_router("", endpoints_batch.router)
api.add_router("", endpoints_screenings.router)
api.add_router("", endpoints_valuesets.router)


@api.exception_handler(ApiProblem)
def _problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(exc)


@api.exception_handler(ValidationErrors)
def _invalid(request: HttpRequest, exc: ValidationErrors) -> HttpResponse:
    return respond("validation", errors=exc.errors)


@api.exception_handler(NinjaValidationError)
def _invalid_parameters(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [_parameter_error(e) for e in exc.errors]
    return respond("validation", errors=errors)


def _parameter_error(error: dict[str, Any]) -> FieldError:
    location = [str(part) for part in error.get("loc", ())]
    field = ".".join(location[1:] if len(location) > 1 else location) or "request"
    return FieldError(field, f"parameter.{error.get('type', 'invalid')}")


@api.exception_handler(AccessDeniedError)
def _denied(request: HttpRequest, exc: AccessDeniedError) -> HttpResponse:
    # The service layer already audited the refusal.
    if isinstance(exc, ScreeningNotFoundError) or str(exc) == "not found":
        return respond("not-found")
    return respond("forbidden")


@api.exception_handler(IdempotencyConflictError)
def _conflict(request: HttpRequest, exc: IdempotencyConflictError) -> HttpResponse:
    return respond("idempotency-conflict")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return respond("unauthenticated")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return respond(STATUS_SLUGS.get(exc.status_code, "malformed-request"))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return respond("not-found")


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return respond("body-too-large")


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    stack = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("api: unexpected %s\n%s", type(exc).__name__, stack)
    return respond("server-error")
