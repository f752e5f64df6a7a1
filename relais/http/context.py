"""Give every request an id (echoed in a response header) and bind the request's context
(id, client address) for the services and the audit log below."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from relais.core.context import (
    RequestContext,
    bind_request,
    client_address,
    new_request_id,
    unbind_request,
)

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else new_request_id()
        token = bind_request(RequestContext(request_id, client_address(request)))
        try:
            response = self.get_response(request)
        finally:
            unbind_request(token)
        response["X-Request-Id"] = request_id
        return response
