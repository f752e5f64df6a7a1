"""The service pattern: one transaction and at least one audit event per call.

Every function that reads or changes pharmacy or personal data is a *service*: a verb-named
function taking the acting ``Actor`` explicitly, decorated with ``@service``. The decorator
opens the transaction and refuses to commit a call that wrote no audit event, so an audit
event cannot be forgotten (a guard test also checks that every public function of every
``services`` module is decorated).
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable

from django.db import transaction

from relais.access.errors import AccessDeniedError

_audit_count: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "relais_audit_count", default=None
)
SERVICE_REGISTRY: set[str] = set()


class AuditEventMissingError(RuntimeError):
    """A service finished without writing its audit event: a programming error."""


def note_audit_event() -> None:
    """Called by the audit writer for every event, so enclosing services know."""
    counters = _audit_count.get()
    if counters is not None:
        counters[-1] += 1


def record_refusal(refusal: AccessDeniedError) -> None:
    from relais.audit.events import record_refusal as write_refusal

    with transaction.atomic():
        write_refusal(refusal)


def service[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    SERVICE_REGISTRY.add(f"{func.__module__}.{func.__qualname__}")

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        stack = _audit_count.get()
        token = _audit_count.set([*(stack or []), 0])
        try:
            with transaction.atomic():
                result = func(*args, **kwargs)
                counters = _audit_count.get()
                if counters is None or counters[-1] == 0:
                    raise AuditEventMissingError(
                        f"{func.__qualname__} wrote no audit event; every service must."
                    )
        except AccessDeniedError as refusal:
            if not stack:
                # The action's transaction rolled back; the refusal is recorded on its own.
                record_refusal(refusal)
            raise
        finally:
            _audit_count.reset(token)
        note_audit_event()
        return result

    wrapper.__relais_service__ = True  # type: ignore[attr-defined]
    return wrapper
