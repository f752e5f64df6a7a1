"""Signed checkpoints of the audit log, in the C2SP formats (pure Python, no Django).

A checkpoint (https://c2sp.org/tlog-checkpoint) states "the log named <origin> had
<size> events and this root hash"; it is the body of a signed note
(https://c2sp.org/signed-note) carrying Ed25519 signature lines. Using the public formats
rather than a home-made one means an auditor can check our checkpoints with existing
tools (Go's ``golang.org/x/mod/sumdb/note``, witnesses) and we can later ask independent
witnesses to co-sign them.

Key material uses the same text forms as the Go ``note`` package:
signer key ``PRIVATE+KEY+<name>+<hex key hash>+<base64(0x01 || seed)>`` and verifier key
``<name>+<hex key hash>+<base64(0x01 || public key)>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

__all__ = [
    "Checkpoint",
    "CheckpointError",
    "Signer",
    "Verifier",
    "generate_signing_key",
    "load_signing_key",
    "parse_signed_checkpoint",
    "sign_checkpoint",
    "verify_note",
    "write_signing_key",
]

_SIG_PREFIX = "\u2014 "  # em dash and space, as the signed-note spec requires
_MAX_SIGNATURES = 100  # same ceiling as the Go reference, so a note cannot DoS the parser
_MAX_TREE_SIZE = 2**63 - 1
_DECIMAL = re.compile(r"0|[1-9][0-9]*", re.ASCII)
_ROOT_HASH_SIZE = 32
_MANDATORY_BODY_LINES = 3  # origin, size, root hash
_KEY_HASH_SIZE = 4
_ED25519 = b"\x01"  # signed-note signature type for Ed25519
_ED25519_KEY_SIZE = 32
_ED25519_SIGNATURE_SIZE = 64
_VERIFIER_KEY_PARTS = 3  # name, hash, key
_SIGNER_KEY_PARTS = 5  # PRIVATE, KEY, name, hash, key
_DEL = 0x7F
_SPACE = 0x20


class CheckpointError(ValueError):
    """A checkpoint, signed note or key that must not be trusted; the message says why."""


def _check_key_name(name: str) -> None:
    """Signed-note key names: non-empty, no Unicode spaces, no '+' (the key-string separator)."""
    if not name or "+" in name or any(char.isspace() for char in name):
        raise CheckpointError(f"invalid key name {name!r}: must be non-empty, no spaces or '+'")
    if _has_control_character(name):
        raise CheckpointError("invalid key name: control characters are not allowed")


def _key_hash(name: str, public_key: bytes) -> bytes:
    """First 4 bytes of SHA-256(name || 0x0A || 0x01 || public key), as signed-note defines."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + _ED25519 + public_key).digest()
    return digest[:_KEY_HASH_SIZE]


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise CheckpointError(f"{what} is not valid base64") from error


class Verifier:
    """A trusted Ed25519 note key, parsed from ``<name>+<hash>+<base64(0x01||key)>``."""

    __slots__ = ("_public_key", "key_hash", "name")

    def __init__(self, name: str, public_key: bytes) -> None:
        _check_key_name(name)
        if len(public_key) != _ED25519_KEY_SIZE:
            raise CheckpointError("an Ed25519 public key is 32 bytes")
        self.name = name
        self.key_hash = _key_hash(name, public_key)
        self._public_key = Ed25519PublicKey.from_public_bytes(public_key)

    @classmethod
    def from_key_string(cls, key: str) -> Verifier:
        """Parse a verifier key and check that its embedded hash matches name and key."""
        parts = key.strip().split("+", _VERIFIER_KEY_PARTS - 1)  # base64 may contain '+'
        if len(parts) != _VERIFIER_KEY_PARTS:
            raise CheckpointError("verifier key must look like <name>+<hex hash>+<base64 key>")
        name, hash_hex, encoded = parts
        raw = _b64decode(encoded, "verifier key")
        if raw[:1] != _ED25519:
            raise CheckpointError("verifier key is not an Ed25519 (type 0x01) key")
        verifier = cls(name, raw[1:])
        if verifier.key_hash.hex() != hash_hex.lower():
            raise CheckpointError("verifier key hash does not match its name and public key")
        return verifier

    def key_string(self) -> str:
        """The verifier key text to publish (to auditors, witnesses, the DPO)."""
        public = self._public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        encoded = base64.b64encode(_ED25519 + public).decode("ascii")
        return f"{self.name}+{self.key_hash.hex()}+{encoded}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        """True if ``signature`` is this key's Ed25519 signature of ``message``."""
        try:
            self._public_key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


class Signer:
    """The log's signing key. Deliberately has no repr showing key material."""

    __slots__ = ("_private_key", "key_hash", "name")

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        _check_key_name(name)
        self.name = name
        self._private_key = private_key
        self.key_hash = _key_hash(name, self._public_bytes())

    def _public_bytes(self) -> bytes:
        return self._private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @classmethod
    def from_key_string(cls, key: str) -> Signer:
        """Parse ``PRIVATE+KEY+<name>+<hex hash>+<base64(0x01 || 32-byte seed)>``."""
        parts = key.strip().split("+", _SIGNER_KEY_PARTS - 1)  # base64 may contain '+'
        if len(parts) != _SIGNER_KEY_PARTS or parts[:2] != ["PRIVATE", "KEY"]:
            raise CheckpointError("signer key must look like PRIVATE+KEY+<name>+<hash>+<key>")
        raw = _b64decode(parts[4], "signer key")
        if raw[:1] != _ED25519 or len(raw) != 1 + _ED25519_KEY_SIZE:
            raise CheckpointError("signer key is not an Ed25519 (type 0x01) key")
        signer = cls(parts[2], Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.key_hash.hex() != parts[3].lower():
            raise CheckpointError("signer key hash does not match its name and key")
        return signer

    def key_string(self) -> str:
        """Secret text form, for the key file only."""
        seed = self._private_key.private_bytes_raw()
        encoded = base64.b64encode(_ED25519 + seed).decode("ascii")
        return f"PRIVATE+KEY+{self.name}+{self.key_hash.hex()}+{encoded}"

    def verifier(self) -> Verifier:
        """The matching public verifier."""
        return Verifier(self.name, self._public_bytes())

    def sign(self, message: bytes) -> bytes:
        """Raw 64-byte Ed25519 signature."""
        return self._private_key.sign(message)


def generate_signing_key(name: str) -> tuple[str, str]:
    """Create a new key pair; return (signer key string — secret, verifier key string)."""
    signer = Signer(name, Ed25519PrivateKey.generate())
    return signer.key_string(), signer.verifier().key_string()


def write_signing_key(path: Path, name: str) -> str:
    """Create a new signing key file with mode 0600 and return its verifier key string.

    Refuses to overwrite: replacing the log's key silently would orphan every checkpoint
    already handed to auditors. ``O_EXCL`` also defeats a pre-planted symlink.
    """
    signer_key, verifier_key = generate_signing_key(name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags, 0o600)
    except FileExistsError as error:
        raise CheckpointError(
            f"{path} already exists; refusing to replace a signing key"
        ) from error
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(signer_key + "\n")
    return verifier_key


def load_signing_key(path: Path) -> Signer:
    """Load the signing key, refusing a file that group or others could read or write."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        raise CheckpointError(f"cannot open signing key {path}: {error.strerror}") from error
    with os.fdopen(descriptor, encoding="ascii") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise CheckpointError(f"signing key {path} is not a regular file")
        if mode & 0o077:
            raise CheckpointError(
                f"signing key {path} has mode {stat.S_IMODE(mode):04o}, readable beyond its "
                f"owner; run: chmod 600 {path}"
            )
        return Signer.from_key_string(handle.read())


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One tree head; ``extensions`` are the optional lines after the root hash, kept."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_line("origin", self.origin)
        if isinstance(self.size, bool) or not 0 <= self.size <= _MAX_TREE_SIZE:
            raise CheckpointError("checkpoint size must be an integer in [0, 2**63)")
        if len(self.root_hash) != _ROOT_HASH_SIZE:
            raise CheckpointError("checkpoint root hash must be 32 bytes")
        for line in self.extensions:
            _check_line("extension line", line)

    def body(self) -> str:
        """The note text that gets signed; always ends with a newline."""
        root = base64.b64encode(self.root_hash).decode("ascii")
        lines = [self.origin, str(self.size), root, *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def from_body(cls, text: str) -> Checkpoint:
        """Parse a checkpoint body strictly (no leading zeros, canonical base64)."""
        if not text.endswith("\n"):
            raise CheckpointError("checkpoint body must end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < _MANDATORY_BODY_LINES:
            raise CheckpointError("checkpoint body needs origin, size and root hash lines")
        origin, size_text, root_text, *extensions = lines
        if not _DECIMAL.fullmatch(size_text):
            raise CheckpointError("checkpoint size must be decimal digits without leading zeros")
        return cls(origin, int(size_text), _decode_root(root_text), tuple(extensions))


def _check_line(what: str, line: str) -> None:
    if not line:
        raise CheckpointError(f"checkpoint {what} must not be empty")
    if _has_control_character(line):
        raise CheckpointError(f"checkpoint {what} must not contain control characters")


def _has_control_character(text: str) -> bool:
    return any(ord(char) < _SPACE or ord(char) == _DEL for char in text)


def _decode_root(text: str) -> bytes:
    root = _b64decode(text, "checkpoint root hash")
    if len(root) != _ROOT_HASH_SIZE or base64.b64encode(root).decode("ascii") != text:
        raise CheckpointError("checkpoint root hash must be canonical base64 of 32 bytes")
    return root


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> str:
    """Return the full signed note: body, blank line, one signature line."""
    body = checkpoint.body()
    signature = signer.key_hash + signer.sign(body.encode("utf-8"))
    encoded = base64.b64encode(signature).decode("ascii")
    return f"{body}\n{_SIG_PREFIX}{signer.name} {encoded}\n"


def parse_signed_checkpoint(
    text: str | bytes, verifier_key: str, *, origin: str | None = None
) -> Checkpoint:
    """Verify a signed note with ``verifier_key`` and parse its checkpoint.

    Signature lines from other keys (e.g. witnesses) are ignored, as the spec says, but a
    line claiming to be from our key that does not verify is an error: that is what an
    altered body looks like. ``origin``, when given, must match the checkpoint's.
    """
    checkpoint = Checkpoint.from_body(verify_note(text, verifier_key))
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(f"checkpoint is for log {checkpoint.origin!r}, expected {origin!r}")
    return checkpoint


def verify_note(text: str | bytes, verifier_key: str) -> str:
    """Check a signed note's signature by ``verifier_key`` and return its body text."""
    verifier = Verifier.from_key_string(verifier_key)
    body, signature_lines = _split_note(_as_text(text))
    _require_trusted_signature(body, signature_lines, verifier)
    return body


def _as_text(text: str | bytes) -> str:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CheckpointError("signed note is not valid UTF-8") from error
    if any(ord(char) < _SPACE and char != "\n" for char in text):
        raise CheckpointError("signed note contains control characters other than newline")
    return text


def _split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """Split at the last blank line; return the body and (key name, raw signature) pairs."""
    cut = note.rfind("\n\n")
    if cut < 0:
        raise CheckpointError("signed note has no blank line before its signatures")
    body, block = note[: cut + 1], note[cut + 2 :]
    if not block.endswith("\n"):
        raise CheckpointError("signed note must end with a newline after its signatures")
    lines = block[:-1].split("\n")
    if len(lines) > _MAX_SIGNATURES:
        raise CheckpointError(f"signed note has more than {_MAX_SIGNATURES} signatures")
    return body, [_parse_signature_line(line) for line in lines]


def _parse_signature_line(line: str) -> tuple[str, bytes]:
    if not line.startswith(_SIG_PREFIX):
        raise CheckpointError("malformed signature line: must start with an em dash and space")
    name, _, encoded = line[len(_SIG_PREFIX) :].partition(" ")
    raw = _b64decode(encoded, f"signature by {name!r}")
    if not name or len(raw) <= _KEY_HASH_SIZE:
        raise CheckpointError("malformed signature line: needs a key name and a signature")
    return name, raw


def _require_trusted_signature(
    body: str, signatures: list[tuple[str, bytes]], verifier: Verifier
) -> None:
    message = body.encode("utf-8")
    matching = [
        raw[_KEY_HASH_SIZE:]
        for name, raw in signatures
        if name == verifier.name and raw[:_KEY_HASH_SIZE] == verifier.key_hash
    ]
    if not matching:
        present = ", ".join(sorted({name for name, _ in signatures})) or "none"
        raise CheckpointError(
            f"no signature from trusted key {verifier.name!r} "
            f"(hash {verifier.key_hash.hex()}); signatures present from: {present}"
        )
    for signature in matching:
        if len(signature) != _ED25519_SIGNATURE_SIZE or not verifier.verify(message, signature):
            raise CheckpointError(
                f"signature by {verifier.name!r} does not verify: "
                "the checkpoint text was altered or signed with another key"
            )
