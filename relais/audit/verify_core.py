"""Audit-log verification logic behind ``relais audit verify`` (pure Python, no Django).

How tampering is found, in one streaming pass over the events in seal order:

* **Checkpoint roots are the authority.** A Merkle accumulator is fed each event's leaf
  hash; whenever its size reaches a signed checkpoint's size, its root must equal the
  checkpoint's. Nothing stored in the database can fake that: the signature is not in
  the attacker's reach. A mismatch proves that something in the checkpoint's interval
  ``[previous checkpoint size, this size)`` was modified, deleted, inserted or moved.
* **Seal positions find deletions and insertions exactly.** Positions must run 0, 1, 2…
  without gap or repeat; the first gap or repeat is the first bad position.
* **Stored leaf hashes name the position of a modification.** The sealer stores each
  event's leaf hash with its seal position. An event whose bytes no longer hash to its
  stored leaf hash is the first bad position. Since the stored hash sits in the same
  database, an attacker could rewrite it too; then only the interval is known, and the
  report gives ``bad_range`` rather than guessing. (Frequent checkpoints keep it short.)
  If the interval's root still matches, the event is intact and it is the stored hash
  that was altered, which is reported as such.
* **Purged events keep the tree whole.** An event whose content was deleted by the
  retention purge arrives with ``leaf=None``; its stored leaf hash stands in for it, so
  older checkpoints still verify after purging personal data.
* **Truncation:** a log with fewer events than the latest checkpoint's size is reported
  at the first missing position.

Damaged input never raises: malformed records, unreadable rows and conflicting
checkpoints all become findings in the report.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from relais.audit.checkpoint import Checkpoint
from relais.audit.merkle import (
    HASH_SIZE,
    MerkleAccumulator,
    consistency_proof,
    leaf_hash,
    root_from_leaf_hashes,
    verify_consistency,
)
from relais.audit.verify_report import Counts, Finding, VerificationReport, build_report

__all__ = [
    "CheckedRun",
    "EventRecord",
    "VerificationReport",
    "check_consistency",
    "verify_log",
    "verify_log_chunks",
]

# (seal position, leaf bytes) or (seal position, leaf bytes or None if purged, stored hash)
EventRecord = tuple[int, bytes] | tuple[int, bytes | None, bytes | None]

_MAX_KEPT_FINDINGS = 1000
_RECORD_WITH_HASH = 3
_RECORD_WITHOUT_HASH = 2
_BATCH = 4096
_LEAF = b"\x00"


@dataclass(frozen=True, slots=True)
class CheckedRun:
    """Consecutive positions ``start, start + 1, …`` whose leaves were already hashed and
    found equal to their stored leaf hashes (see :func:`checked_leaf_hashes`); ``purged`` of
    them are purged events standing in by their stored hash. The verifier only appends
    the hashes to the tree, so every checkpoint root is still recomputed from them."""

    start: int
    hashes: list[bytes]
    purged: int = 0


def checked_leaf_hashes(
    start: int, count: int, positions: bytes, stored: bytes, computed: bytes
) -> list[bytes] | None:
    """The leaf hashes of positions ``start … start + count - 1``, or ``None`` unless the
    three concatenations prove that they are exactly those positions, once each, in order
    (8-byte big-endian integers), and that every recomputed leaf hash equals the stored one.

    Two byte-string comparisons check a whole run in C; on ``None`` the caller checks the
    run record by record instead, which names the bad position.
    """
    size = count * HASH_SIZE
    if count <= 0 or len(stored) != size or len(computed) != size or stored != computed:
        return None
    if positions != struct.pack(f">{count}q", *range(start, start + count)):
        return None
    return [computed[offset : offset + HASH_SIZE] for offset in range(0, size, HASH_SIZE)]


class _LogVerifier:
    """State of one streaming pass; see the module docstring for the method."""

    def __init__(self, checkpoints: list[Checkpoint]) -> None:
        self.pending = checkpoints  # sorted by size, deduplicated
        self.next_checkpoint = 0
        self.batch: list[bytes] = []  # leaf hashes read but not yet added to the tree
        self.tree = MerkleAccumulator()
        self.expected_position = 0
        self.interval_start = 0
        self.suspects: list[int] = []  # leaf-hash mismatches in the current interval
        self.findings: list[Finding] = []
        self.findings_total = 0
        self.checkpoints_checked = 0
        self.purged = 0

    def run(self, events: Iterable[EventRecord]) -> None:
        self.run_chunks((events,), bulk=False)

    def run_chunks(
        self, chunks: Iterable[Iterable[EventRecord] | CheckedRun], *, bulk: bool = True
    ) -> None:
        self._reach_checkpoints()
        try:
            for chunk in chunks:
                if isinstance(chunk, CheckedRun):
                    self._take_run(chunk)
                elif not (bulk and isinstance(chunk, list | tuple) and self._take_chunk(chunk)):
                    self._stream(iter(chunk))
        except Exception as error:  # a broken source (e.g. a DB error) is a finding
            self._flush(self.batch)
            self._note(
                f"could not read the event after position "
                f"{self.expected_position - 1}: {type(error).__name__}",
                self.expected_position,
            )
        self._finish()

    def _take_chunk(self, chunk: Sequence[EventRecord]) -> bool:
        """Fastest path: a whole chunk in order, every leaf matching its stored hash.

        Hashing is one comprehension and the comparison one list equality, both in C;
        anything else (a gap, a purged event, a mismatch) returns False and the caller
        takes the chunk record by record.
        """
        try:
            positions, leaves, stored = zip(*chunk, strict=True)
            hashes = [hashlib.sha256(_LEAF + leaf).digest() for leaf in leaves]
        except (TypeError, ValueError):
            return False
        start = self.expected_position
        if list(stored) != hashes or positions != tuple(range(start, start + len(chunk))):
            return False
        if any(type(position) is not int for position in positions):
            return False  # e.g. True == 1: leave odd records to the careful path
        self._extend_across_checkpoints(hashes)
        return True

    def _take_run(self, run: CheckedRun) -> None:
        """A pre-checked run: its position must follow on; then only the tree grows."""
        if run.start != self.expected_position:
            self._check_position(run.start)
            self.expected_position = run.start
        self.purged += run.purged
        self._extend_across_checkpoints(run.hashes)

    def _extend_across_checkpoints(self, hashes: list[bytes]) -> None:
        """Append hashes, stopping at each checkpoint size to compare its root."""
        done = 0
        while done < len(hashes):
            piece = hashes[done : done + self._batch_limit(len(hashes))]
            self.tree.extend(piece)
            self.expected_position += len(piece)
            done += len(piece)
            self._reach_checkpoints()

    def _stream(self, iterator: Iterator[object]) -> None:
        """Hot loop: well-formed, in-order records take an inlined path, hashed in batches.

        Batches never cross a checkpoint size, so every checkpoint is still compared at
        exactly its size; anything unusual flushes the batch and goes through ``_take``.
        """
        sha256, batch, limit = hashlib.sha256, self.batch, self._batch_limit()
        for record in iterator:
            position, leaf, stored = -1, None, None
            if type(record) is tuple:
                if len(record) == _RECORD_WITH_HASH:
                    position, leaf, stored = record
                elif len(record) == _RECORD_WITHOUT_HASH:
                    position, leaf = record
            if (
                type(leaf) is bytes
                and type(position) is int
                and position == self.expected_position + len(batch)
            ):
                hashed = sha256(b"\x00" + leaf).digest()
                if stored is None or stored == hashed:
                    batch.append(hashed)
                    if len(batch) >= limit:
                        self._flush(batch)
                        limit = self._batch_limit()
                    continue
            self._flush(batch)
            self._take(record)
            limit = self._batch_limit()
        self._flush(batch)

    def _batch_limit(self, cap: int = _BATCH) -> int:
        if self.next_checkpoint < len(self.pending):
            return max(1, min(cap, self.pending[self.next_checkpoint].size - self.tree.size))
        return cap

    def _flush(self, batch: list[bytes]) -> None:
        if batch:
            self.tree.extend(batch)
            self.expected_position += len(batch)
            batch.clear()
            self._reach_checkpoints()

    def _take(self, record: object) -> None:
        parsed = _parse_record(record)
        if parsed is None:
            self._note("malformed event record", self.expected_position)
            return
        position, leaf, stored = parsed
        self._check_position(position)
        if leaf is None:
            if stored is None:
                self._note(f"event {position} has neither content nor stored leaf hash", position)
                return
            self.purged += 1
            hashed = stored
        else:
            hashed = leaf_hash(leaf)
            if stored is not None and stored != hashed:
                self.suspects.append(position)
        self.tree.extend((hashed,))
        self._reach_checkpoints()

    def _check_position(self, position: int) -> None:
        expected = self.expected_position
        if position > expected:
            self._note(f"events {expected}..{position - 1} are missing (deleted)", expected)
        elif position < expected:
            self._note(
                f"seal position {position} appears again (inserted or duplicated event)", position
            )
        self.expected_position = max(expected, position + 1)

    def _reach_checkpoints(self) -> None:
        pending = self.pending
        while self.next_checkpoint < len(pending) and (
            pending[self.next_checkpoint].size == self.tree.size
        ):
            checkpoint = pending[self.next_checkpoint]
            self.next_checkpoint += 1
            self.checkpoints_checked += 1
            self._close_interval(checkpoint)

    def _close_interval(self, checkpoint: Checkpoint) -> None:
        root_matches = self.tree.root() == checkpoint.root_hash
        interval = (self.interval_start, checkpoint.size)
        if root_matches:
            for position in self.suspects:
                self._note(
                    f"stored leaf hash of event {position} was altered (the event "
                    "itself matches the signed checkpoint)",
                    position,
                )
        elif self.suspects:
            self._note(
                f"the event at position {self.suspects[0]} is not the one sealed there "
                f"(modified, inserted or moved): it no longer matches its leaf hash and "
                f"the checkpoint of size {checkpoint.size} fails",
                self.suspects[0],
            )
        else:
            self._note(
                f"root mismatch at checkpoint of size {checkpoint.size}: an event "
                f"between positions {interval[0]} and {interval[1] - 1} was modified, "
                "inserted, deleted or moved",
                None,
                interval,
            )
        self.suspects = []
        self.interval_start = checkpoint.size

    def _finish(self) -> None:
        for position in self.suspects:
            self._note(
                f"event {position} does not match its stored leaf hash (not yet "
                "covered by a checkpoint)",
                position,
            )
        if self.next_checkpoint < len(self.pending):
            latest = self.pending[-1].size
            self._note(
                f"log truncated: it holds {self.tree.size} events but a signed "
                f"checkpoint covers {latest}",
                self.tree.size,
            )

    def _note(
        self, message: str, position: int | None, bad_range: tuple[int, int] | None = None
    ) -> None:
        """Record a finding; past a cap only the count grows, so a wrecked log fits in memory."""
        self.findings_total += 1
        if len(self.findings) < _MAX_KEPT_FINDINGS:
            self.findings.append(Finding(message, position, bad_range))

    @classmethod
    def for_checkpoints(cls, checkpoints: Sequence[Checkpoint]) -> _LogVerifier:
        ordered, findings = _prepare_checkpoints(checkpoints)
        verifier = cls(ordered)
        for finding in findings:
            verifier._note(finding.message, finding.position, finding.bad_range)
        return verifier

    def report(self) -> VerificationReport:
        covered = self.pending[-1].size if self.pending else 0
        counts = Counts(
            self.tree.size,
            self.checkpoints_checked,
            self.purged,
            max(0, self.tree.size - covered),
            self.findings_total,
        )
        return build_report(self.findings, counts)


def _parse_record(record: object) -> tuple[int, bytes | None, bytes | None] | None:
    """Validate one input record without trusting its shape; ``None`` if malformed."""
    if not isinstance(record, tuple) or len(record) not in (
        _RECORD_WITHOUT_HASH,
        _RECORD_WITH_HASH,
    ):
        return None
    position, leaf = record[0], record[1]
    stored = record[2] if len(record) == _RECORD_WITH_HASH else None
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        return None
    if leaf is not None and not isinstance(leaf, bytes | bytearray | memoryview):
        return None
    if stored is not None and not (isinstance(stored, bytes) and len(stored) == HASH_SIZE):
        return None
    return position, None if leaf is None else bytes(leaf), stored


def _prepare_checkpoints(checkpoints: Sequence[object]) -> tuple[list[Checkpoint], list[Finding]]:
    """Sort and deduplicate checkpoints; conflicting or foreign ones are findings."""
    findings: list[Finding] = []
    by_size: dict[int, Checkpoint] = {}
    valid = [item for item in checkpoints if isinstance(item, Checkpoint)]
    if len(valid) != len(checkpoints):
        findings.append(Finding("some checkpoints are not parsed Checkpoint objects"))
    origins = {item.origin for item in valid}
    if len(origins) > 1:
        findings.append(Finding(f"checkpoints come from different logs: {sorted(origins)}"))
    for item in valid:
        known = by_size.setdefault(item.size, item)
        if known.root_hash != item.root_hash:
            findings.append(
                Finding(
                    f"two signed checkpoints of size {item.size} disagree "
                    "(the log showed different histories)",
                    None,
                    (0, item.size),
                )
            )
    return [by_size[size] for size in sorted(by_size)], findings


def verify_log(
    events: Iterable[EventRecord], checkpoints: Sequence[Checkpoint]
) -> VerificationReport:
    """Check the whole log, in seal order, against already signature-checked checkpoints.

    ``events`` yields ``(position, leaf)`` or ``(position, leaf | None, stored_leaf_hash)``.
    Pass the stored leaf hashes whenever the sealer kept them: they turn "somewhere in
    this interval" into an exact position and let purged events be verified.
    """
    verifier = _LogVerifier.for_checkpoints(checkpoints)
    if isinstance(events, list | tuple):
        # Already in memory, so reading cannot fail half-way: check it in bulk slices.
        slices = (events[start : start + _BATCH] for start in range(0, len(events), _BATCH))
        verifier.run_chunks(slices)
    else:
        verifier.run(events)
    return verifier.report()


def verify_log_chunks(
    chunks: Iterable[Sequence[EventRecord] | CheckedRun], checkpoints: Sequence[Checkpoint]
) -> VerificationReport:
    """:func:`verify_log` over records delivered in chunks (e.g. one database fetch each).

    Same findings as :func:`verify_log`; a chunk whose positions run on without a gap and
    whose leaves all match their stored hashes is checked in bulk, which is what lets the
    database-backed verification run at hashing speed. A chunk may also be a
    :class:`CheckedRun` (hashes already compared, e.g. by :func:`checked_leaf_hashes`).
    """
    verifier = _LogVerifier.for_checkpoints(checkpoints)
    verifier.run_chunks(chunks)
    return verifier.report()


def check_consistency(
    old_checkpoint: Checkpoint, new_checkpoint: Checkpoint, leaf_hashes: Sequence[bytes]
) -> VerificationReport:
    """Is an old checkpoint (e.g. one an auditor kept) a prefix of today's log?

    Today's leaf hashes must reproduce ``new_checkpoint``; then an RFC 9162 consistency
    proof from the old size to the new one is built from them and verified, exactly as an
    outside party holding only the two checkpoints and the proof would do.
    """
    finding = _consistency_finding(old_checkpoint, new_checkpoint, leaf_hashes)
    checked = min(len(leaf_hashes), new_checkpoint.size)
    findings = [] if finding is None else [finding]
    return build_report(findings, Counts(checked, 2, problems_found=len(findings)))


def _consistency_finding(
    old: Checkpoint, new: Checkpoint, leaf_hashes: Sequence[bytes]
) -> Finding | None:
    if old.origin != new.origin:
        return Finding(f"checkpoints are from different logs: {old.origin!r}, {new.origin!r}")
    if old.size > new.size:
        return Finding(
            f"the old checkpoint ({old.size}) is larger than the new one "
            f"({new.size}): the log was rolled back",
            new.size,
        )
    if len(leaf_hashes) < new.size:
        return Finding(
            f"log truncated: {len(leaf_hashes)} events, checkpoint covers {new.size}",
            len(leaf_hashes),
        )
    if root_from_leaf_hashes(leaf_hashes[: new.size]) != new.root_hash:
        return Finding(
            f"today's log does not reproduce the checkpoint of size {new.size}", None, (0, new.size)
        )
    proof = consistency_proof(leaf_hashes, old.size, new.size)
    if not verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof):
        return Finding(
            f"history rewritten: the checkpoint of size {old.size} is not a prefix of today's log",
            None,
            (0, old.size),
        )
    return None
