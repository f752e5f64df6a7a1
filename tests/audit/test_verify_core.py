"""Verification of the audit log: every kind of tampering is found and located."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relais.audit.checkpoint import Checkpoint
from relais.audit.merkle import encode_leaf, leaf_hash, leaf_hashes, root_from_leaf_hashes
from relais.audit.perf import checkpoints_every, measure_verification
from relais.audit.verify_core import check_consistency, verify_log, verify_log_chunks

ORIGIN = "relais.test/audit"
Record = tuple[int, bytes | None, bytes | None]


def make_leaves(n: int) -> list[bytes]:
    return [encode_leaf({"seal_position": index, "action": "screening.read"}) for index in range(n)]


class Log:
    """A sealed log as the database holds it: rows of (position, leaf, stored leaf hash)."""

    def __init__(self, n: int, interval: int = 10) -> None:
        self.leaves = make_leaves(n)
        self.hashes = leaf_hashes(self.leaves)
        self.checkpoints = checkpoints_every(self.hashes, interval, ORIGIN)

    def rows(self) -> list[Record]:
        return list(zip(range(len(self.leaves)), self.leaves, self.hashes, strict=True))


def test_an_intact_log_verifies_against_all_its_checkpoints() -> None:
    log = Log(95)
    report = verify_log(log.rows(), log.checkpoints)
    assert report.ok, report.problem
    assert (report.events_checked, report.checkpoints_checked) == (95, 10)
    assert report.first_bad_position is None
    assert report.events_after_last_checkpoint == 0


def test_events_sealed_after_the_last_checkpoint_are_counted_as_uncovered() -> None:
    log = Log(95)
    report = verify_log(log.rows(), log.checkpoints[:-1])
    assert report.ok
    assert report.events_after_last_checkpoint == 5


def test_a_log_without_stored_hashes_also_verifies() -> None:
    log = Log(30)
    assert verify_log(list(enumerate(log.leaves)), log.checkpoints).ok


def test_a_modified_event_is_named_by_its_position() -> None:
    log = Log(50)
    rows = log.rows()
    rows[23] = (23, encode_leaf({"seal_position": 23, "action": "screening.export"}), rows[23][2])
    report = verify_log(rows, log.checkpoints)
    assert not report.ok
    assert report.first_bad_position == 23
    assert "modified" in report.problem


def test_a_modification_with_a_rewritten_stored_hash_is_narrowed_to_its_interval() -> None:
    log = Log(50)
    rows = log.rows()
    forged = encode_leaf({"seal_position": 23, "action": "screening.export"})
    rows[23] = (23, forged, leaf_hash(forged))
    report = verify_log(rows, log.checkpoints)
    assert not report.ok
    assert report.first_bad_position is None
    assert report.bad_range == (20, 30)


def test_an_altered_stored_hash_alone_is_reported_without_blaming_the_event() -> None:
    log = Log(50)
    rows = log.rows()
    rows[7] = (7, rows[7][1], b"\x00" * 32)
    report = verify_log(rows, log.checkpoints)
    assert not report.ok
    assert report.first_bad_position == 7
    assert "stored leaf hash" in report.problem


def test_a_deleted_event_is_named_by_its_position() -> None:
    log = Log(50)
    rows = log.rows()
    del rows[31]
    report = verify_log(rows, log.checkpoints)
    assert not report.ok
    assert report.first_bad_position == 31
    assert "missing" in report.problem


def test_an_inserted_event_reusing_a_position_is_named() -> None:
    log = Log(50)
    rows = log.rows()
    extra = encode_leaf({"seal_position": 12, "action": "covering.tracks"})
    rows.insert(13, (12, extra, None))
    report = verify_log(rows, log.checkpoints)
    assert not report.ok
    assert report.first_bad_position == 12


def test_an_inserted_event_with_renumbered_successors_is_named() -> None:
    log = Log(50)
    leaves = list(log.leaves)
    leaves.insert(12, encode_leaf({"seal_position": 12, "action": "covering.tracks"}))
    # The stored hashes are keyed by position and were left as sealed.
    rows = [(index, leaf, log.hashes[index]) for index, leaf in enumerate(leaves[:50])]
    report = verify_log(rows, log.checkpoints)
    assert not report.ok
    assert report.first_bad_position == 12


def test_reordered_events_are_named_by_the_first_moved_position() -> None:
    log = Log(50)
    leaves = list(log.leaves)
    leaves[14], leaves[36] = leaves[36], leaves[14]
    rows = [(index, leaf, log.hashes[index]) for index, leaf in enumerate(leaves)]
    report = verify_log(rows, log.checkpoints)
    assert not report.ok
    assert report.first_bad_position == 14


def test_reordering_is_found_from_checkpoints_alone_within_the_interval() -> None:
    log = Log(50)
    leaves = list(log.leaves)
    leaves[14], leaves[15] = leaves[15], leaves[14]
    report = verify_log(list(enumerate(leaves)), log.checkpoints)
    assert not report.ok
    assert report.bad_range == (10, 20)


def test_a_truncated_tail_is_reported_at_the_first_missing_position() -> None:
    log = Log(50)
    report = verify_log(log.rows()[:43], log.checkpoints)
    assert not report.ok
    assert report.first_bad_position == 43
    assert "truncated" in report.problem


def test_purged_events_verify_through_their_stored_leaf_hashes() -> None:
    log = Log(40)
    rows = [
        (pos, None, stored) if pos % 3 == 0 else (pos, leaf, stored)
        for pos, leaf, stored in log.rows()
    ]
    report = verify_log(rows, log.checkpoints)
    assert report.ok, report.problem
    assert report.events_purged == 14


def test_a_purged_event_without_its_stored_hash_is_reported() -> None:
    log = Log(20)
    rows = log.rows()
    rows[4] = (4, None, None)
    report = verify_log(rows, log.checkpoints)
    assert report.first_bad_position == 4


@pytest.mark.parametrize(
    "damage",
    ["not a tuple", (1,), (-1, b"x"), (True, b"x"), (0, "text"), (0, b"x", b"short")],
)
def test_a_malformed_record_is_reported_instead_of_crashing(damage: object) -> None:
    log = Log(20)
    rows: list[object] = list(log.rows())
    rows[5] = damage
    report = verify_log(rows, log.checkpoints)  # type: ignore[arg-type]
    assert not report.ok
    assert report.first_bad_position == 5


def test_a_source_that_fails_while_reading_is_reported_instead_of_crashing() -> None:
    log = Log(20)

    def failing_rows() -> Iterator[Record]:
        yield from log.rows()[:9]
        raise ConnectionError("database went away")

    report = verify_log(failing_rows(), log.checkpoints)
    assert not report.ok
    assert report.first_bad_position == 9
    assert "ConnectionError" in report.problem


def test_two_signed_checkpoints_of_one_size_that_disagree_are_reported() -> None:
    log = Log(20)
    forked = Checkpoint(ORIGIN, 10, b"\x01" * 32)
    report = verify_log(log.rows(), [*log.checkpoints, forked])
    assert not report.ok
    assert "disagree" in " ".join(report.problems)


def test_checkpoints_of_another_log_are_reported() -> None:
    log = Log(20)
    foreign = Checkpoint("elsewhere/log", 20, log.checkpoints[-1].root_hash)
    report = verify_log(log.rows(), [log.checkpoints[0], foreign])
    assert not report.ok
    assert "different logs" in report.problem


def test_an_empty_log_verifies_against_an_empty_checkpoint_only() -> None:
    empty = Checkpoint(ORIGIN, 0, root_from_leaf_hashes([]))
    assert verify_log([], [empty]).ok
    assert not verify_log([], [Checkpoint(ORIGIN, 1, b"\x00" * 32)]).ok


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 120), st.data())
def test_any_single_modification_is_named_at_its_exact_position(
    n: int, data: st.DataObject
) -> None:
    log = Log(n, interval=data.draw(st.integers(1, n)))
    target = data.draw(st.integers(0, n - 1))
    rows = log.rows()
    rows[target] = (target, log.leaves[target] + b" ", log.hashes[target])
    report = verify_log(rows, log.checkpoints)
    assert not report.ok
    assert report.first_bad_position == target


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 120), st.data())
def test_any_single_deletion_is_named_at_its_exact_position(n: int, data: st.DataObject) -> None:
    log = Log(n, interval=data.draw(st.integers(1, n)))
    target = data.draw(st.integers(0, n - 1))
    rows = log.rows()
    del rows[target]
    report = verify_log(rows, log.checkpoints)
    assert not report.ok
    assert report.first_bad_position == target


def test_an_auditors_old_checkpoint_is_consistent_with_todays_log() -> None:
    log = Log(100)
    report = check_consistency(log.checkpoints[3], log.checkpoints[-1], log.hashes)
    assert report.ok, report.problem


def test_a_rewritten_history_is_caught_against_an_auditors_old_checkpoint() -> None:
    log = Log(100)
    old = log.checkpoints[3]
    rewritten = list(log.hashes)
    rewritten[17] = leaf_hash(b"rewritten")
    new = Checkpoint(ORIGIN, 100, root_from_leaf_hashes(rewritten))
    report = check_consistency(old, new, rewritten)
    assert not report.ok
    assert "history rewritten" in report.problem
    assert report.bad_range == (0, 40)


@pytest.mark.parametrize(
    ("old_index", "new_index", "hash_count", "reason"),
    [(5, 2, 100, "rolled back"), (2, 9, 80, "truncated"), (2, 9, 100, "reproduce")],
)
def test_consistency_problems_are_reported_with_their_reason(
    old_index: int, new_index: int, hash_count: int, reason: str
) -> None:
    log = Log(100)
    hashes = log.hashes[:hash_count]
    if reason == "reproduce":
        hashes = [leaf_hash(b"other"), *hashes[1:]]
    report = check_consistency(log.checkpoints[old_index], log.checkpoints[new_index], hashes)
    assert not report.ok
    assert reason in report.problem


def test_the_verification_benchmark_reports_a_positive_rate() -> None:
    assert measure_verification(5_000) > 0


def test_a_wrecked_log_reports_every_problem_count_but_lists_only_the_first_ones() -> None:
    log = Log(3000, interval=1000)
    rows = [(position, leaf, b"\x00" * 32) for position, leaf, _ in log.rows()]
    report = verify_log(rows, log.checkpoints)
    assert not report.ok
    assert report.first_bad_position == 0
    assert report.problems_found == 3000
    assert len(report.problems) == 20


def _tamperings(log: Log) -> dict[str, list[Record]]:
    rows = log.rows()
    modified = list(rows)
    modified[37] = (37, rows[37][1] + b" ", rows[37][2])
    swapped = list(rows)
    swapped[14], swapped[15] = (14, rows[15][1], rows[15][2]), (15, rows[14][1], rows[14][2])
    return {
        "intact": rows,
        "modified": modified,
        "deleted": rows[:12] + rows[13:],
        "swapped": swapped,
        "purged": [*rows[:20], (20, None, rows[20][2]), *rows[21:]],
        "truncated": rows[:44],
    }


@pytest.mark.parametrize("chunk_size", [1, 7, 16, 1000])
def test_checking_in_chunks_finds_what_checking_record_by_record_finds(chunk_size: int) -> None:
    log = Log(50)
    for name, rows in _tamperings(log).items():
        chunks = [rows[start : start + chunk_size] for start in range(0, len(rows), chunk_size)]
        chunked = verify_log_chunks(chunks, log.checkpoints)
        one_by_one = verify_log(iter(rows), log.checkpoints)
        assert chunked == one_by_one, name


def test_a_chunk_source_that_fails_is_reported_after_the_last_chunk_read() -> None:
    log = Log(30)

    def failing_chunks() -> Iterator[list[Record]]:
        yield log.rows()[:10]
        yield log.rows()[10:20]
        raise ConnectionError("database went away")

    report = verify_log_chunks(failing_chunks(), log.checkpoints)
    assert (report.ok, report.first_bad_position) == (False, 20)
    assert "ConnectionError" in report.problem
