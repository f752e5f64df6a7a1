"""Blind indexes: deterministic, 128 bits, separated by kind and pharmacy."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from relais.vault.blind import INDEX_LENGTH, blind_index


def test_the_same_value_gives_the_same_16_byte_index() -> None:
    first = blind_index(1, "nir", "180027510812345")
    assert first == blind_index(1, "nir", "180027510812345")
    assert len(first) == INDEX_LENGTH == 16


def test_an_email_index_never_matches_a_nir_index_of_the_same_text() -> None:
    assert blind_index(1, "email", "x") != blind_index(1, "nir", "x")


def test_indexes_differ_between_pharmacies() -> None:
    assert blind_index(1, "nir", "180027510812345") != blind_index(2, "nir", "180027510812345")


@given(st.text(max_size=20), st.text(max_size=20))
def test_kind_and_value_cannot_be_shifted_into_each_other(kind: str, value: str) -> None:
    shifted = (kind + value[:1], value[1:])
    if shifted != (kind, value):
        assert blind_index(1, kind, value) != blind_index(1, *shifted)
