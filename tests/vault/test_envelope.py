"""The token format, without Django: round trip, binding to its context, tamper detection."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.vault.codec import decode_value, encode_value
from relais.vault.envelope import (
    FORMAT_VERSION,
    HEADER_LENGTH,
    NONCE_LENGTH,
    Context,
    associated_data,
    open_token,
    seal,
    token_key_id,
)
from relais.vault.errors import DecryptionError

DEK = os.urandom(32)
KEY_ID = uuid.uuid4()
CTX = Context(7, "screening.Patient", "last_name", str(uuid.uuid4()), "2025-01")


def test_a_sealed_value_opens_to_the_same_bytes() -> None:
    token = seal(DEK, KEY_ID, CTX, b"Dupont")
    assert open_token(DEK, CTX, token) == b"Dupont"
    assert b"Dupont" not in token


def test_the_associated_data_encoding_never_changes() -> None:
    # Every stored token was sealed with exactly these bytes: a change would orphan them all.
    ctx = Context(7, "screening.Patient", "last_name", "0f0e0d0c-0b0a-0908-0706-050403020100", "")
    key_id = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")
    assert associated_data(ctx, key_id).hex() == (
        "72656c6169732d7661756c740100112233445566778899aabbccddeeff0000000137000000117363"
        "7265656e696e672e50617469656e74000000096c6173745f6e616d65000000243066306530643063"
        "2d306230612d303930382d303730362d303530343033303230313030"
    )


def test_the_header_carries_the_format_and_key_id_in_clear() -> None:
    token = seal(DEK, KEY_ID, CTX, b"x")
    assert token[0] == FORMAT_VERSION
    assert token_key_id(CTX, token) == KEY_ID


@pytest.mark.parametrize(
    "other",
    [
        Context(7, "screening.Patient", "first_names", CTX.record_id, "2025-01"),
        Context(7, "screening.Patient", "last_name", str(uuid.uuid4()), "2025-01"),
        Context(8, "screening.Patient", "last_name", CTX.record_id, "2025-01"),
        Context(7, "screening.Screening", "last_name", CTX.record_id, "2025-01"),
    ],
    ids=["other field", "other record", "other pharmacy", "other record type"],
)
def test_a_token_copied_elsewhere_is_refused_naming_record_and_field(other: Context) -> None:
    token = seal(DEK, KEY_ID, CTX, b"Dupont")
    with pytest.raises(DecryptionError) as refused:
        open_token(DEK, other, token)
    assert other.record_id in str(refused.value)
    assert repr(other.field) in str(refused.value)
    assert "Dupont" not in str(refused.value)


@pytest.mark.parametrize("position", [0, 1, HEADER_LENGTH - 1, HEADER_LENGTH, -1])
def test_a_tampered_token_is_refused(position: int) -> None:
    token = bytearray(seal(DEK, KEY_ID, CTX, b"negative"))
    token[position] ^= 0x01
    with pytest.raises(DecryptionError):
        open_token(DEK, CTX, bytes(token))


def test_a_token_under_another_key_is_refused() -> None:
    token = seal(DEK, KEY_ID, CTX, b"negative")
    with pytest.raises(DecryptionError, match="authentication failed"):
        open_token(os.urandom(32), CTX, token)


def test_a_truncated_token_is_refused() -> None:
    with pytest.raises(DecryptionError, match="truncated"):
        open_token(DEK, CTX, seal(DEK, KEY_ID, CTX, b"")[:HEADER_LENGTH])


def test_nonces_never_repeat_over_many_encryptions() -> None:
    nonces = {
        seal(DEK, KEY_ID, CTX, b"same")[HEADER_LENGTH - NONCE_LENGTH : HEADER_LENGTH]
        for _ in range(20_000)
    }
    assert len(nonces) == 20_000


def test_associated_data_is_unambiguous_when_parts_shift() -> None:
    left = Context(1, "a.B", "cd", "e", "2025-01")
    right = Context(1, "a.Bc", "d", "e", "2025-01")
    assert associated_data(left, KEY_ID) != associated_data(right, KEY_ID)


plain_values = st.one_of(
    st.text(),
    st.booleans(),
    st.integers(),
    st.dates(),
    st.datetimes(timezones=st.just(dt.UTC)),
    st.dictionaries(st.text(), st.one_of(st.text(), st.integers(), st.booleans())),
    st.lists(st.text()),
)


@given(plain_values)
def test_every_supported_value_round_trips_with_its_type(value: object) -> None:
    decoded = decode_value(encode_value(value))  # type: ignore[arg-type]
    assert decoded == value
    assert type(decoded) is type(value)


def test_unsupported_types_are_refused_rather_than_stringified() -> None:
    with pytest.raises(TypeError):
        encode_value(1.5)  # type: ignore[arg-type]
