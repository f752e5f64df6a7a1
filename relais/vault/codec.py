"""Typed plaintext encoding: one tag byte, then the value.

The tag travels inside the ciphertext, so a decrypted value comes back with the type it was
stored with (a ``date`` stays a ``date``) and nothing about the type leaks from the token.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

Plain = str | bytes | bool | int | dt.date | dt.datetime | dict[str, Any] | list[Any]

_DECODERS: dict[int, Callable[[bytes], Any]] = {
    ord("s"): lambda raw: raw.decode("utf-8"),
    ord("y"): bytes,
    ord("b"): lambda raw: raw == b"1",
    ord("i"): lambda raw: int(raw.decode("ascii")),
    ord("d"): lambda raw: dt.date.fromisoformat(raw.decode("ascii")),
    ord("t"): lambda raw: dt.datetime.fromisoformat(raw.decode("ascii")),
    ord("j"): lambda raw: json.loads(raw.decode("utf-8")),
}


# Order matters: bool before int (bool is an int), datetime before date.
_ENCODERS: tuple[tuple[type | tuple[type, ...], bytes, Callable[[Any], bytes]], ...] = (
    (str, b"s", lambda value: value.encode("utf-8")),
    (bytes, b"y", bytes),
    (bool, b"b", lambda value: b"1" if value else b"0"),
    (int, b"i", lambda value: str(value).encode("ascii")),
    (dt.datetime, b"t", lambda value: value.isoformat().encode("ascii")),
    (dt.date, b"d", lambda value: value.isoformat().encode("ascii")),
    (
        (dict, list),
        b"j",
        lambda value: json.dumps(value, separators=(",", ":"), sort_keys=True).encode(),
    ),
)


def encode_value(value: Plain) -> bytes:
    """Encode a plaintext value with its type tag; refuse types we cannot round-trip."""
    for kind, tag, encoder in _ENCODERS:
        if isinstance(value, kind):
            return tag + encoder(value)
    raise TypeError(f"the vault cannot store values of type {type(value).__name__}")


def decode_value(payload: bytes) -> Plain:
    if not payload or payload[0] not in _DECODERS:
        raise ValueError("unknown plaintext encoding")
    result: Plain = _DECODERS[payload[0]](payload[1:])
    return result
