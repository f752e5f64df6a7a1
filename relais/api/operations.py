"""Every API operation and the action it performs: the API's part of the route table.

The edge (`relais.http.api_gate`) checks the presented key's scopes against these actions
before any endpoint runs, and the OpenAPI document states the same scopes per operation.
Operations are named per path: one URL pattern serves every method of a path, so the
method picks the action (`GET /screenings` reads, `POST /screenings` records).
"""

from __future__ import annotations

from collections.abc import Iterator

from ninja import Router
from ninja.operation import Operation

from relais.access.policy import Action
from relais.api import endpoints_batch, endpoints_screenings, endpoints_valuesets

# In mount order: the batch path first, or `screenings/batch` would match
# `screenings/{screening_id}`.
ROUTERS: tuple[Router, ...] = (
    endpoints_batch.router,
    endpoints_screenings.router,
    endpoints_valuesets.router,
)

# URL name → HTTP method → the action it performs. A method not listed is refused (405).
OPERATIONS: dict[str, dict[str, Action]] = {
    "screenings": {"POST": Action.SCREENING_CREATE, "GET": Action.SCREENING_READ},
    "screening_batch": {"POST": Action.SCREENING_CREATE},
    "screening": {"GET": Action.SCREENING_READ},
    "screening_correction": {"POST": Action.SCREENING_CORRECT},
    "screening_cancellation": {"POST": Action.SCREENING_CANCEL},
    "valueset_devices": {"GET": Action.VALUESET_READ},
    "valueset_test_kinds": {"GET": Action.VALUESET_READ},
}
PUBLIC_PAGES = ("openapi-json", "openapi-view", "api-root")


def served_operations() -> Iterator[tuple[str, str, Operation]]:
    """(URL name, method, ninja operation) of everything the routers serve."""
    for router in ROUTERS:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield str(operation.url_name or ""), method, operation


def action_of(url_name: str, method: str) -> Action | None:
    return OPERATIONS.get(url_name, {}).get(method)
