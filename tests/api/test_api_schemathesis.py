"""schemathesis against the live OpenAPI document, through Django's WSGI application, with
a key holding both scopes: every operation, no 5xx, every response conforms to the schema.

The operations are driven with hypothesis directly (schemathesis' lazy pytest fixture does
not run under pytest 9); examples are few and derandomised to keep the run short.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import Api, Keys, valid_body

EXAMPLES = 30


@contextmanager
def keeping_the_test_connection() -> Iterator[None]:
    """Calling the WSGI application directly (unlike Django's test client) fires
    request_finished, whose close_old_connections would close the test's PostgreSQL
    connection in the middle of its transaction; detach it as the test client does. (The
    test client reconnects it after each of its own requests: detach after those.)"""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_the_api_honours_its_openapi_document(keys: Keys, settings: Any) -> None:
    settings.RELAIS_API_RATE_LIMIT = 1_000_000
    created = Api(keys["a_both"]).post("/screenings", valid_body(1))
    assert created.status_code == 201
    with keeping_the_test_connection():
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
        headers = {"Authorization": f"Bearer {keys['a_both']}"}
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 8
        for operation in operations:
            _exercise(operation, headers)


def _exercise(operation: Any, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(
            headers=headers, checks=[not_a_server_error, response_schema_conformance]
        )

    run()
