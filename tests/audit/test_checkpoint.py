"""C2SP tlog-checkpoint / signed-note signing, parsing, and the signing-key file."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relais.audit.checkpoint import (
    Checkpoint,
    CheckpointError,
    Signer,
    Verifier,
    generate_signing_key,
    load_signing_key,
    parse_signed_checkpoint,
    sign_checkpoint,
    verify_note,
    write_signing_key,
)

ORIGIN = "relais.example/audit"
ROOT = hashlib.sha256(b"root").digest()

# Published example of Go's golang.org/x/mod/sumdb/note package: proves interoperability.
GO_NOTE_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_NOTE = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngo"
    "tpRZb6KE6RyyBwJnAM=\n"
)


@pytest.fixture(scope="module")
def keys() -> tuple[Signer, str]:
    signer_key, verifier_key = generate_signing_key(ORIGIN)
    return Signer.from_key_string(signer_key), verifier_key


def test_a_note_signed_by_the_go_reference_implementation_verifies() -> None:
    assert verify_note(GO_NOTE, GO_NOTE_VERIFIER).startswith("If you think cryptography")


def test_the_body_is_origin_size_and_base64_root_each_ending_in_newline() -> None:
    body = Checkpoint(ORIGIN, 42, ROOT).body()
    assert body == f"{ORIGIN}\n42\n{base64.b64encode(ROOT).decode()}\n"


def test_a_signed_checkpoint_parses_back_to_the_same_checkpoint(keys: tuple[Signer, str]) -> None:
    signer, verifier_key = keys
    checkpoint = Checkpoint(ORIGIN, 1234, ROOT, ("extension line",))
    note = sign_checkpoint(checkpoint, signer)
    assert note.startswith(checkpoint.body() + "\n\u2014 " + ORIGIN + " ")
    assert parse_signed_checkpoint(note, verifier_key, origin=ORIGIN) == checkpoint
    assert parse_signed_checkpoint(note.encode(), verifier_key) == checkpoint


def test_the_signature_line_carries_the_key_hash_then_a_64_byte_signature(
    keys: tuple[Signer, str],
) -> None:
    signer, verifier_key = keys
    note = sign_checkpoint(Checkpoint(ORIGIN, 1, ROOT), signer)
    raw = base64.b64decode(note.rstrip("\n").rsplit(" ", 1)[1])
    public = base64.b64decode(verifier_key.split("+", 2)[2])[1:]
    expected_hash = hashlib.sha256(ORIGIN.encode() + b"\n\x01" + public).digest()[:4]
    assert raw[:4] == expected_hash
    assert len(raw) == 68
    assert verifier_key.split("+", 2)[1] == expected_hash.hex()


@given(
    origin=st.text(st.characters(min_codepoint=0x21, exclude_categories=("Cc", "Cs")), min_size=1),
    size=st.integers(0, 2**63 - 1),
    root=st.binary(min_size=32, max_size=32),
)
def test_any_valid_checkpoint_round_trips_through_signing(
    keys: tuple[Signer, str], origin: str, size: int, root: bytes
) -> None:
    signer, verifier_key = keys
    checkpoint = Checkpoint(origin, size, root)
    assert parse_signed_checkpoint(sign_checkpoint(checkpoint, signer), verifier_key) == checkpoint


def test_a_tampered_body_is_refused_as_altered(keys: tuple[Signer, str]) -> None:
    signer, verifier_key = keys
    note = sign_checkpoint(Checkpoint(ORIGIN, 1000, ROOT), signer)
    with pytest.raises(CheckpointError, match="does not verify"):
        parse_signed_checkpoint(note.replace("\n1000\n", "\n999\n"), verifier_key)


def test_a_checkpoint_signed_by_another_key_is_refused_naming_the_trusted_key(
    keys: tuple[Signer, str],
) -> None:
    _, verifier_key = keys
    other_signer = Signer.from_key_string(generate_signing_key(ORIGIN)[0])
    note = sign_checkpoint(Checkpoint(ORIGIN, 1, ROOT), other_signer)
    with pytest.raises(CheckpointError, match="no signature from trusted key"):
        parse_signed_checkpoint(note, verifier_key)


def test_a_truncated_signature_is_refused(keys: tuple[Signer, str]) -> None:
    signer, verifier_key = keys
    note = sign_checkpoint(Checkpoint(ORIGIN, 1, ROOT), signer)
    signature = note.rstrip("\n").rsplit(" ", 1)[1]
    short = base64.b64encode(base64.b64decode(signature)[:40]).decode()
    with pytest.raises(CheckpointError, match="does not verify"):
        parse_signed_checkpoint(note.replace(signature, short), verifier_key)
    with pytest.raises(CheckpointError, match="base64"):
        parse_signed_checkpoint(note.replace(signature, signature[:-3]), verifier_key)


def test_signatures_from_other_keys_such_as_witnesses_are_ignored(
    keys: tuple[Signer, str],
) -> None:
    signer, verifier_key = keys
    checkpoint = Checkpoint(ORIGIN, 5, ROOT)
    witness = Signer.from_key_string(generate_signing_key("witness.example")[0])
    cosigned = (
        sign_checkpoint(checkpoint, witness) + sign_checkpoint(checkpoint, signer).split("\n\n")[1]
    )
    assert parse_signed_checkpoint(cosigned, verifier_key) == checkpoint


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (f"{ORIGIN}\n042\n{base64.b64encode(ROOT).decode()}\n", "leading zeros"),
        (f"{ORIGIN}\n-1\n{base64.b64encode(ROOT).decode()}\n", "leading zeros"),
        (f"{ORIGIN}\n1\n{base64.b64encode(ROOT[:31]).decode()}\n", "32 bytes"),
        (f"{ORIGIN}\n1\n{base64.b64encode(ROOT).decode().rstrip('=')}\n", "base64"),
        (f"{ORIGIN}\n1\n", "origin, size and root"),
        (f"\n1\n{base64.b64encode(ROOT).decode()}\n", "origin must not be empty"),
        (f"{ORIGIN}\n1\n{base64.b64encode(ROOT).decode()}", "end with a newline"),
    ],
)
def test_a_malformed_checkpoint_body_is_refused_with_the_reason(body: str, reason: str) -> None:
    with pytest.raises(CheckpointError, match=reason):
        Checkpoint.from_body(body)


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda note: note.replace("\n\n", "\n"), "no blank line"),
        (lambda note: note.rstrip("\n"), "must end with a newline"),
        (lambda note: note.replace("\u2014 ", "- "), "em dash"),
        (lambda note: note.replace("\n1\n", "\n1\r\n"), "control characters"),
        (lambda note: note + "\u2014 x AAAA\n" * 101, "more than 100"),
    ],
)
def test_a_malformed_signed_note_is_refused_with_the_reason(
    keys: tuple[Signer, str], mangle: object, reason: str
) -> None:
    signer, verifier_key = keys
    note = sign_checkpoint(Checkpoint(ORIGIN, 1, ROOT), signer)
    with pytest.raises(CheckpointError, match=reason):
        parse_signed_checkpoint(mangle(note), verifier_key)  # type: ignore[operator]


def test_a_checkpoint_for_another_log_is_refused_when_the_origin_is_expected(
    keys: tuple[Signer, str],
) -> None:
    signer, verifier_key = keys
    note = sign_checkpoint(Checkpoint("elsewhere.example/log", 1, ROOT), signer)
    with pytest.raises(CheckpointError, match="expected"):
        parse_signed_checkpoint(note, verifier_key, origin=ORIGIN)


@given(st.text(max_size=300))
def test_parsing_arbitrary_text_only_ever_raises_checkpoint_error(text: str) -> None:
    try:
        parse_signed_checkpoint(text, GO_NOTE_VERIFIER)
    except CheckpointError as error:
        assert str(error)
    else:
        pytest.fail("random text was accepted as a signed checkpoint")


@pytest.mark.parametrize(
    "key",
    [
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+AhpjZGNkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRkZGRk",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3",
    ],
)
def test_an_inconsistent_or_malformed_verifier_key_is_refused(key: str) -> None:
    with pytest.raises(CheckpointError):
        Verifier.from_key_string(key)


def test_signer_and_verifier_key_strings_round_trip(keys: tuple[Signer, str]) -> None:
    signer, verifier_key = keys
    assert Signer.from_key_string(signer.key_string()).verifier().key_string() == verifier_key
    assert "PRIVATE" not in repr(signer)


def test_a_new_signing_key_file_is_private_to_its_owner_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    verifier_key = write_signing_key(path, ORIGIN)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_signing_key(path).verifier().key_string() == verifier_key


def test_an_existing_signing_key_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    write_signing_key(path, ORIGIN)
    before = path.read_bytes()
    with pytest.raises(CheckpointError, match="refusing to replace"):
        write_signing_key(path, ORIGIN)
    assert path.read_bytes() == before


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644])
def test_a_signing_key_readable_beyond_its_owner_is_refused_with_the_fix(
    tmp_path: Path, mode: int
) -> None:
    path = tmp_path / "audit.key"
    write_signing_key(path, ORIGIN)
    os.chmod(path, mode)
    with pytest.raises(CheckpointError, match=r"chmod 600"):
        load_signing_key(path)


def test_a_symlinked_or_missing_signing_key_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "real.key"
    write_signing_key(target, ORIGIN)
    link = tmp_path / "link.key"
    link.symlink_to(target)
    with pytest.raises(CheckpointError, match="cannot open"):
        load_signing_key(link)
    with pytest.raises(CheckpointError, match="cannot open"):
        load_signing_key(tmp_path / "absent.key")
