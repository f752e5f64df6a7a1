"""The simulator's HTTP application: delivery endpoints, fault injection, control.

Delivery (POST /fhir, POST /hl7) runs one pipeline: latency, request-level fault, parse,
acknowledge (dedup + validation + store), optional drop after store, ack delay, answer.
Logs carry counts and request numbers only, never message content.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections.abc import Callable
from typing import Any

from aiohttp import web

from relais.relay.messages.fhir_parse import parse_fhir_bundle
from relais.relay.messages.hl7_parse import parse_hl7
from relais.relay.messages.parsed import MessageInvalid, ParsedMessage
from relais.sidep_sim.faults import Fault, FaultConfigError
from relais.sidep_sim.responses import fhir_response, hl7_acks
from relais.sidep_sim.state import SimulatorState
from relais.sidep_sim.store import Acknowledgement

logger = logging.getLogger("relais.sidep_sim")

STATE: web.AppKey[SimulatorState] = web.AppKey("sidep_sim_state", SimulatorState)
MAX_BODY_BYTES = 64 * 1024 * 1024
FHIR_TYPES = frozenset({"application/fhir+json", "application/json"})
Parser = Callable[[bytes], list[ParsedMessage]]
Responder = Callable[[web.Request, list[ParsedMessage], list[Acknowledgement]], web.Response]


class _Dropped(Exception):
    """The connection was aborted on purpose; there is no response to send."""


@web.middleware
async def _dropped_middleware(
    request: web.Request, handler: Callable[[web.Request], Any]
) -> web.StreamResponse:
    """Turn an on-purpose abort into a silent empty answer (the transport is gone)."""
    try:
        response: web.StreamResponse = await handler(request)
    except _Dropped:
        return web.Response(status=204)
    return response


def make_app(state: SimulatorState) -> web.Application:
    """The aiohttp application around `state`."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[_dropped_middleware])
    app[STATE] = state
    app.router.add_post("/fhir", _post_fhir)
    app.router.add_post("/hl7", _post_hl7)
    app.router.add_get("/sim/stats", _get_stats)
    app.router.add_post("/sim/reset", _post_reset)
    app.router.add_get("/sim/faults", _get_faults)
    app.router.add_post("/sim/faults", _post_faults)
    return app


async def _post_fhir(request: web.Request) -> web.StreamResponse:
    if request.content_type not in FHIR_TYPES:
        return _json({"reasons": ["Content-Type must be application/fhir+json"]}, status=415)
    return await _deliver(request, parse_fhir_bundle, _fhir_answer)


async def _post_hl7(request: web.Request) -> web.StreamResponse:
    return await _deliver(request, _parse_er7, _hl7_answer)


def _parse_er7(body: bytes) -> list[ParsedMessage]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MessageInvalid(["HL7 body must be UTF-8"]) from error
    return parse_hl7(text)


def _fhir_answer(
    _request: web.Request, _messages: list[ParsedMessage], acks: list[Acknowledgement]
) -> web.Response:
    return _json(fhir_response(acks), content_type="application/fhir+json")


def _hl7_answer(
    request: web.Request, messages: list[ParsedMessage], acks: list[Acknowledgement]
) -> web.Response:
    if "application/json" in request.headers.get("Accept", ""):
        return _json({"acknowledgements": [ack.as_json() for ack in acks]})
    return web.Response(
        text=hl7_acks(messages, acks), content_type="x-application/hl7-v2+er7", charset="utf-8"
    )


async def _deliver(request: web.Request, parse: Parser, answer: Responder) -> web.StreamResponse:
    state = request.app[STATE]
    state.counters["requests_received"] += 1
    number = state.counters["requests_received"]
    body = await request.read()
    await _sleep_ms(state, state.faults.latency_ms, "latency")
    fault = state.dice.request_fault(state.faults)
    if fault is not None:
        state.fault_counts[fault] += 1
        logger.info("request %d: injected fault %s", number, fault)
    early = await _early_fault(request, state, fault)
    if early is not None:
        return early
    try:
        messages = parse(body)
    except MessageInvalid as error:
        state.counters["bad_requests"] += 1
        return _json({"reasons": error.reasons}, status=400)
    acks = state.acknowledge(messages)
    accepted = sum(1 for ack in acks if ack.outcome == "accepted")
    logger.info("request %d: %d messages, %d accepted", number, len(acks), accepted)
    if fault == "drop_after_store":
        _drop(request)
    await _sleep_ms(state, state.faults.ack_delay_ms, "ack_delay")
    return answer(request, messages, acks)


async def _early_fault(
    request: web.Request, state: SimulatorState, fault: Fault | None
) -> web.Response | None:
    """Faults that strike before the platform reads the messages (nothing is stored)."""
    if fault == "outage":
        retry = str(math.ceil(state.faults.outage_remaining()))
        return _unavailable("simulated outage", retry)
    if fault == "error":
        retry_after = state.faults.retry_after_seconds
        return _unavailable("simulated error", None if retry_after is None else str(retry_after))
    if fault == "timeout":
        await asyncio.sleep(state.faults.timeout_seconds)
        return _unavailable("simulated timeout", None)
    if fault == "drop":
        _drop(request)
    return None


def _drop(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.abort()
    raise _Dropped


async def _sleep_ms(state: SimulatorState, milliseconds: int, counter: str) -> None:
    if milliseconds > 0:
        state.fault_counts[counter] += 1
        await asyncio.sleep(milliseconds / 1000)


def _unavailable(reason: str, retry_after: str | None) -> web.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else None
    return _json({"reasons": [reason]}, status=503, headers=headers)


def _json(
    data: Any,
    *,
    status: int = 200,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> web.Response:
    return web.Response(
        text=json.dumps(data, ensure_ascii=False),
        status=status,
        content_type=content_type,
        charset="utf-8",
        headers=headers,
    )


async def _get_stats(request: web.Request) -> web.Response:
    return _json(request.app[STATE].stats())


async def _post_reset(request: web.Request) -> web.Response:
    state = request.app[STATE]
    state.reset()
    logger.info("state reset")
    return _json(state.stats())


async def _get_faults(request: web.Request) -> web.Response:
    return _json(request.app[STATE].faults.as_json())


async def _post_faults(request: web.Request) -> web.Response:
    state = request.app[STATE]
    try:
        changes = await request.json()
        if not isinstance(changes, dict):
            raise FaultConfigError("the body must be a JSON object")
        state.faults = state.faults.updated(changes)
    except (FaultConfigError, ValueError) as error:
        return _json({"reasons": [str(error)]}, status=400)
    logger.info("faults updated: %s", ", ".join(sorted(changes)))
    return _json(state.faults.as_json())
