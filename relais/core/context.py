"""Per-request context (request id, client address) carried to services and the audit log.

Context variables rather than thread locals: they follow the code into async views and
are reset between requests by the middleware.
"""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True, slots=True)
class RequestContext:
    request_id: str
    client_ip: str


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "relais_request_context", default=None
)


def current_request() -> RequestContext | None:
    return _current.get()


def bind_request(context: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(context)


def unbind_request(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex


def client_address(request: HttpRequest) -> str:
    # The reverse proxy in front of Relais is trusted to set REMOTE_ADDR (e.g. with
    # gunicorn's --forwarded-allow-ips); X-Forwarded-For is never read directly.
    return str(request.META.get("REMOTE_ADDR") or "unknown")
