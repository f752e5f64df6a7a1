"""Strict JSON bodies: what a lenient parser would guess at is refused with a 400.

Refused: another media type (415), a body over the size limit (413, checked on the declared
length *and* on what was read), invalid UTF-8, a byte-order mark, duplicate keys in an
object (which value would count?), NaN and Infinity (not JSON), integers beyond Python's
digit limit, and nesting deeper than any real submission needs.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest

from relais.http.problems import ApiProblem

MAX_DEPTH = 12


class _DuplicateKeyError(ValueError):
    pass


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def body_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440)


def read_json(request: HttpRequest) -> Any:
    """The request's JSON document, or an `ApiProblem` (400, 413, 415)."""
    raw = _read_body(request)
    if not raw.strip():
        raise ApiProblem("malformed-request", "empty body")
    _check_media_type(request)
    return parse_json(raw)


def parse_json(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiProblem("malformed-request", "the body is not valid UTF-8") from None
    try:
        document = json.loads(
            text,
            object_pairs_hook=_object_without_duplicates,
            parse_constant=_refuse_constant,
        )
    except _DuplicateKeyError:
        raise ApiProblem("malformed-request", "duplicate key in a JSON object") from None
    except RecursionError:
        raise ApiProblem("malformed-request", "JSON nested too deeply") from None
    except ValueError:
        raise ApiProblem("malformed-request", "the body is not valid JSON") from None
    if _depth(document) > MAX_DEPTH:
        raise ApiProblem("malformed-request", "JSON nested too deeply")
    return document


def _check_media_type(request: HttpRequest) -> None:
    media = (request.content_type or "").lower()
    if media != "application/json" and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        raise ApiProblem("unsupported-media-type")


def _read_body(request: HttpRequest) -> bytes:
    limit = body_limit()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiProblem("malformed-request", "invalid Content-Length") from None
    if declared > limit:
        raise ApiProblem("body-too-large", f"at most {limit} bytes")
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ApiProblem("body-too-large", f"at most {limit} bytes") from None
    if len(raw) > limit:
        raise ApiProblem("body-too-large", f"at most {limit} bytes")
    return raw


def _depth(document: Any) -> int:
    """Nesting depth, walked iteratively (a recursive walk could itself overflow)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        if isinstance(value, dict):
            stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, level + 1) for v in value)
    return deepest
