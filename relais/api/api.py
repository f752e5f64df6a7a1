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
from relais.access.policy import scopes_allowing
from relais.api import schemas
from relais.api.auth import ApiKeyAuth
from relais.api.operations import ROUTERS, action_of, served_operations
from relais.core.fielderrors import FieldError, ValidationErrors
from relais.http.problems import ApiProblem, problem_response, respond
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
        scopes = self._scopes_by_operation_id()
        for path in schema["paths"].values():
            for operation in path.values():
                _problem_media_types(operation.get("responses", {}))
                _required_scopes(operation, scopes.get(operation.get("operationId"), []))
        return schema

    def _scopes_by_operation_id(self) -> dict[str, list[str]]:
        """Each operation's scopes, read from the table the edge enforces."""
        found = {}
        for url_name, method, operation in served_operations():
            action = action_of(url_name, method)
            found[self.get_openapi_operation_id(operation)] = (
                scopes_allowing(action) if action is not None else []
            )
        return found


def _required_scopes(operation: dict[str, Any], scopes: list[str]) -> None:
    """OpenAPI 3.1 lets a bearer requirement list the roles it needs: one alternative per
    scope that allows the operation. Said in words too, for readers of the description."""
    operation["security"] = [{"ApiKeyAuth": [scope]} for scope in scopes]
    operation["x-relais-scopes"] = scopes
    needed = " or ".join(f"`{scope}`" for scope in scopes) or "no key scope (refused)"
    text = f"Requires an API key with the scope {needed}."
    description = operation.get("description")
    operation["description"] = f"{description}\n\n{text}" if description else text


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
for router in ROUTERS:
    api.add_router("", router)


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
