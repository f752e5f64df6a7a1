"""The service pattern: one transaction and at least one audit event per call.

Every function that reads or changes pharmacy or personal data is a *service*: a verb-named
function taking the acting ``Actor`` explicitly, decorated with ``@service``. The decorator
opens the transaction and refuses to commit a call that wrote no audit event, so an audit
event cannot be forgotten (a guard test also checks that every public function of every
``services`` module is decorated).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator

from django.db import transaction

from relais.access.errors import AccessDeniedError

_audit_count: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "relais_audit_count", default=None
)
_joining: contextvars.ContextVar[bool] = contextvars.ContextVar("relais_joining", default=False)
_retried: contextvars.ContextVar[bool] = contextvars.ContextVar("relais_retried", default=False)
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


@contextlib.contextmanager
def one_transaction(*, retried_on_conflict: bool = False) -> Iterator[None]:
    """A transaction that the first service called inside joins, without a savepoint of its
    own (two round trips saved): any error rolls the whole block back, never only the
    service's part. A refusal is recorded after that rollback, like any other.

    `retried_on_conflict`: the caller runs the whole block again when it raises
    IntegrityError, so a write racing a concurrent twin needs no savepoint either
    (`conflicts_retry_whole()`)."""
    token = _joining.set(True)
    retried = _retried.set(retried_on_conflict)
    try:
        with transaction.atomic():
            yield
    except AccessDeniedError as refusal:
        record_refusal(refusal)
        raise
    finally:
        _retried.reset(retried)
        _joining.reset(token)


def conflicts_retry_whole() -> bool:
    """Whether an IntegrityError here makes the caller retry its whole transaction."""
    return _retried.get()


def service[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    SERVICE_REGISTRY.add(f"{func.__module__}.{func.__qualname__}")

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        stack = _audit_count.get()
        token = _audit_count.set([*(stack or []), 0])
        joining = _joining.get()
        joined = _joining.set(False)  # services it calls keep their savepoints
        try:
            with transaction.atomic(savepoint=not joining):
                result = func(*args, **kwargs)
                counters = _audit_count.get()
                if counters is None or counters[-1] == 0:
                    raise AuditEventMissingError(
                        f"{func.__qualname__} wrote no audit event; every service must."
                    )
        except AccessDeniedError as refusal:
            if not stack and not joining:
                # The action's transaction rolled back; the refusal is recorded on its own.
                record_refusal(refusal)
            raise
        finally:
            _joining.reset(joined)
            _audit_count.reset(token)
        note_audit_event()
        return result

    wrapper.__relais_service__ = True  # type: ignore[attr-defined]
    return wrapper
