"""RFC 9162 hashing, the incremental accumulator, proofs and the canonical leaf encoding."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.audit.merkle import (
    EMPTY_ROOT,
    MerkleAccumulator,
    consistency_proof,
    encode_leaf,
    inclusion_proof,
    leaf_hash,
    leaf_hashes,
    node_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

# The classic Certificate Transparency test leaves and their published roots.
CT_LEAVES = [
    bytes.fromhex(item)
    for item in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def reference_mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1 MTH, written recursively straight from the text."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + reference_mth(leaves[:k]) + reference_mth(leaves[k:])).digest()


def reference_subproof(leaves: list[bytes], m: int, complete: bool) -> list[bytes]:
    """RFC 9162 §2.1.4.1 SUBPROOF, recursively."""
    n = len(leaves)
    if m == n:
        return [] if complete else [reference_mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*reference_subproof(leaves[:k], m, complete), reference_mth(leaves[k:])]
    return [*reference_subproof(leaves[k:], m - k, False), reference_mth(leaves[:k])]


def numbered_leaves(n: int) -> list[bytes]:
    return [f"event-{index}".encode() for index in range(n)]


def test_the_empty_tree_root_is_the_sha256_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert root_from_leaf_hashes([]) == EMPTY_ROOT
    assert MerkleAccumulator().root() == EMPTY_ROOT


@pytest.mark.parametrize("size", range(1, len(CT_LEAVES) + 1))
def test_roots_match_the_certificate_transparency_test_vectors(size: int) -> None:
    hashes = leaf_hashes(CT_LEAVES[:size])
    assert root_from_leaf_hashes(hashes).hex() == CT_ROOTS[size - 1]
    accumulator = MerkleAccumulator()
    accumulator.extend(hashes)
    assert accumulator.root().hex() == CT_ROOTS[size - 1]


def test_leaf_and_node_hashes_use_the_rfc_domain_separation_prefixes() -> None:
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert (
        node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    )


@given(st.lists(st.binary(max_size=40), max_size=70))
def test_every_way_of_computing_the_root_agrees_with_the_recursive_definition(
    leaves: list[bytes],
) -> None:
    expected = reference_mth(leaves)
    hashes = leaf_hashes(leaves)
    accumulator = MerkleAccumulator()
    for data in leaves:
        accumulator.append_leaf(data)
    assert root_from_leaf_hashes(hashes) == expected
    assert accumulator.root() == expected
    assert accumulator.size == len(leaves)


@given(st.lists(st.binary(max_size=8), max_size=70), st.data())
def test_an_accumulator_resumed_from_its_saved_state_continues_the_same_tree(
    leaves: list[bytes], data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(leaves)))
    first = MerkleAccumulator()
    first.extend(leaf_hashes(leaves[:cut]))
    state = json.loads(json.dumps(first.to_state()))
    resumed = MerkleAccumulator.from_state(state)
    resumed.extend(leaf_hashes(leaves[cut:]))
    assert resumed.root() == reference_mth(leaves)
    assert len(state["stack"]) == cut.bit_count()


@pytest.mark.parametrize(
    "state",
    [
        {"size": 3, "stack": ["00" * 32]},
        {"size": -1, "stack": []},
        {"size": True, "stack": ["00" * 32]},
        {"size": 1, "stack": ["zz" * 32]},
        {"size": 1, "stack": ["00" * 31]},
        {"size": 1},
    ],
)
def test_an_impossible_accumulator_state_is_refused(state: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="accumulator state"):
        MerkleAccumulator.from_state(state)


def test_appending_something_that_is_not_a_leaf_hash_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        MerkleAccumulator().append(b"short")


def test_inclusion_proofs_verify_for_every_leaf_of_every_tree_up_to_64() -> None:
    hashes = leaf_hashes(numbered_leaves(64))
    for size in range(1, 65):
        root = root_from_leaf_hashes(hashes[:size])
        for index in range(size):
            proof = inclusion_proof(hashes, index, size)
            assert verify_inclusion(hashes[index], index, size, proof, root), (index, size)


def test_an_inclusion_proof_fails_for_another_leaf_index_or_a_damaged_path() -> None:
    hashes = leaf_hashes(numbered_leaves(13))
    root = root_from_leaf_hashes(hashes)
    proof = inclusion_proof(hashes, 5, 13)
    assert not verify_inclusion(hashes[5], 6, 13, proof, root)
    assert not verify_inclusion(hashes[6], 5, 13, proof, root)
    assert not verify_inclusion(hashes[5], 5, 13, [*proof[:-1], b"\x00" * 32], root)
    assert not verify_inclusion(hashes[5], 5, 13, [*proof, b"\x00" * 32], root)
    assert not verify_inclusion(hashes[5], 13, 13, proof, root)


def test_consistency_proofs_match_the_rfc_and_verify_for_every_pair_up_to_64() -> None:
    leaves = numbered_leaves(64)
    hashes = leaf_hashes(leaves)
    for new_size in range(1, 65):
        new_root = root_from_leaf_hashes(hashes[:new_size])
        for old_size in range(1, new_size + 1):
            old_root = root_from_leaf_hashes(hashes[:old_size])
            proof = consistency_proof(hashes, old_size, new_size)
            assert proof == reference_subproof(leaves[:new_size], old_size, True)
            assert verify_consistency(old_size, new_size, old_root, new_root, proof)


def test_a_consistency_proof_fails_against_a_rewritten_history() -> None:
    hashes = leaf_hashes(numbered_leaves(20))
    forged = list(hashes)
    forged[3] = leaf_hash(b"rewritten")
    proof = consistency_proof(hashes, 7, 20)
    new_root = root_from_leaf_hashes(hashes)
    assert not verify_consistency(7, 20, root_from_leaf_hashes(forged[:7]), new_root, proof)
    assert not verify_consistency(7, 20, root_from_leaf_hashes(hashes[:7]), new_root, proof[:-1])
    assert not verify_consistency(20, 7, new_root, new_root, proof)
    assert not verify_consistency(7, 20, root_from_leaf_hashes(hashes[:7]), new_root, [])


def test_the_empty_tree_and_equal_sizes_are_consistent_with_an_empty_proof_only() -> None:
    root = root_from_leaf_hashes(leaf_hashes(numbered_leaves(5)))
    assert verify_consistency(0, 5, EMPTY_ROOT, root, [])
    assert verify_consistency(5, 5, root, root, [])
    assert not verify_consistency(5, 5, root, root, [root])
    assert not verify_consistency(5, 5, root, EMPTY_ROOT, [])


def test_proof_requests_outside_the_tree_are_refused() -> None:
    hashes = leaf_hashes(numbered_leaves(4))
    with pytest.raises(ValueError, match="inclusion"):
        inclusion_proof(hashes, 4, 4)
    with pytest.raises(ValueError, match="consistency"):
        consistency_proof(hashes, 3, 5)


leaf_values = st.one_of(
    st.none(), st.text(), st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
)
leaf_fields = st.dictionaries(st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True), leaf_values)


@given(leaf_fields)
def test_the_leaf_encoding_is_canonical_json_that_decodes_to_the_same_fields(
    fields: dict[str, str | int | None],
) -> None:
    encoded = encode_leaf(fields)
    assert json.loads(encoded.decode("utf-8")) == fields
    assert encode_leaf(dict(reversed(list(fields.items())))) == encoded
    assert list(json.loads(encoded)) == sorted(fields)


def test_the_leaf_encoding_sorts_keys_and_keeps_utf8_unescaped() -> None:
    assert encode_leaf({"b": "é", "a": 1, "c": None}) == '{"a":1,"b":"é","c":null}'.encode()


@pytest.mark.parametrize(
    "fields",
    [
        {"flag": True},
        {"ratio": 0.5},
        {"big": 2**53},
        {"bad key": "x"},
        {"": "x"},
        {"text": "\ud800"},
        {"nested": ["x"]},
    ],
)
def test_leaf_values_that_could_encode_ambiguously_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="leaf field"):
        encode_leaf(fields)  # type: ignore[arg-type]
