"""HTTPS with mutual TLS to a destination, and what its answer means for each message.

A delivery has three kinds of answer: per-message acknowledgements (HTTP 200), a refusal of
the whole request (400/413/422: something in it is malformed; the caller bisects), or a
transient failure (5xx, 429, timeouts, dropped connections, unreadable answers) to retry.
Error texts stored from here are fixed strings (never a body: bodies carry patient data).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Final

import httpx

from relais.relay.destinations import Destination
from relais.relay.policy import parse_retry_after

logger = logging.getLogger("relais.relay")

CONTENT_TYPES: Final = {"fhir": "application/fhir+json", "hl7": "x-application/hl7-v2+er7"}
WHOLE_REQUEST_REFUSALS: Final = frozenset({400, 413, 422})
MAX_REASONS: Final = 20
MAX_REASON_LENGTH: Final = 300


@dataclass(frozen=True, slots=True)
class Ack:
    accepted: bool
    reference: str = ""
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Answered:
    acks: dict[str, Ack]


@dataclass(frozen=True, slots=True)
class RefusedWhole:
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Failed:
    error: str
    retry_after: float | None = None


Delivery = Answered | RefusedWhole | Failed


def clean_reasons(raw: object) -> tuple[str, ...]:
    """The platform's reasons as bounded texts (never anything but strings, never unbounded)."""
    if not isinstance(raw, list):
        return ()
    texts = (str(item)[:MAX_REASON_LENGTH] for item in raw if isinstance(item, str | int))
    return tuple(texts)[:MAX_REASONS]


def interpret(response: httpx.Response) -> Delivery:
    """What one HTTP answer means for the messages of the request."""
    status = response.status_code
    if status in WHOLE_REQUEST_REFUSALS:
        return RefusedWhole(clean_reasons(_json_or_empty(response).get("reasons")))
    if status != httpx.codes.OK:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return Failed(f"http {status}", retry_after)
    acks = _acks(_json_or_empty(response).get("acknowledgements"))
    if acks is None:
        return Failed("unreadable acknowledgements")
    return Answered(acks)


def _json_or_empty(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _acks(raw: object) -> dict[str, Ack] | None:
    if not isinstance(raw, list):
        return None
    acks: dict[str, Ack] = {}
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("message_id"), str):
            return None
        accepted = item.get("outcome") == "accepted"
        reference = str(item.get("reference") or "")[:100]
        acks[item["message_id"]] = Ack(accepted, reference, clean_reasons(item.get("reasons")))
    return acks


class Transport:
    """One keep-alive HTTPS client per worker and destination."""

    def __init__(self, destination: Destination) -> None:
        self.destination = destination
        self.client = httpx.Client(
            verify=destination.ssl_context(),
            timeout=httpx.Timeout(destination.read_timeout, connect=destination.connect_timeout),
            headers={"Accept": "application/json"},
        )

    def deliver(self, message_format: str, body: bytes) -> Delivery:
        url = f"{self.destination.url.rstrip('/')}/{message_format}"
        headers = {"Content-Type": CONTENT_TYPES[message_format]}
        try:
            response = self.client.post(url, content=body, headers=headers)
        except httpx.TimeoutException:
            return Failed("timeout")
        except httpx.TransportError as error:
            # Class name only: connection errors can echo request details.
            return Failed(f"transport: {type(error).__name__}")
        return interpret(response)

    def close(self) -> None:
        self.client.close()
