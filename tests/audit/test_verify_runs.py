"""Verification in runs of positions (PostgreSQL): the database hashes, Python decides.

A run's hashes are trusted only when the positions prove themselves consecutive and the
recomputed hashes equal the stored ones; the tree is then rebuilt from them and every
checkpoint root compared. On PostgreSQL, outside any transaction, the runs are fetched by
several connections on one snapshot: tampering in any of them is still caught.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import override_settings

from relais.audit import verify_runs
from relais.audit.merkle import leaf_hashes
from relais.audit.models import AuditEvent, AuditPurgePermit, AuditSeal
from relais.audit.perf import checkpoints_every, synthetic_leaves
from relais.audit.sealer import seal_pending
from relais.audit.verification import PurgeAllowance
from relais.audit.verify_core import CheckedRun, checked_leaf_hashes, verify_log_chunks
from tests.audit.helpers import drop_triggers, execute, fill_log, run_verify


def _positions(start: int, count: int) -> bytes:
    return struct.pack(f">{count}q", *range(start, start + count))


def test_a_run_whose_positions_and_hashes_agree_yields_its_hashes() -> None:
    hashes = leaf_hashes(synthetic_leaves(5))
    joined = b"".join(hashes)
    assert checked_leaf_hashes(10, 5, _positions(10, 5), joined, joined) == hashes


@pytest.mark.parametrize(
    "positions",
    [
        struct.pack(">5q", 10, 11, 13, 14, 15),  # a gap
        struct.pack(">5q", 10, 11, 11, 12, 13),  # a repeat
        struct.pack(">5q", 10, 12, 11, 13, 14),  # a swap
        _positions(10, 4),  # one short
    ],
    ids=["gap", "repeat", "swap", "short"],
)
def test_a_run_whose_positions_are_not_consecutive_is_refused(positions: bytes) -> None:
    joined = b"".join(leaf_hashes(synthetic_leaves(5)))
    assert checked_leaf_hashes(10, 5, positions, joined, joined) is None


def test_a_run_with_one_differing_hash_is_refused() -> None:
    hashes = leaf_hashes(synthetic_leaves(5))
    forged = b"".join([*hashes[:2], bytes(32), *hashes[3:]])
    assert checked_leaf_hashes(0, 5, _positions(0, 5), b"".join(hashes), forged) is None
    assert checked_leaf_hashes(0, 5, _positions(0, 5), b"".join(hashes)[:-1], forged) is None


def test_checked_runs_rebuild_the_tree_and_meet_every_checkpoint() -> None:
    hashes = leaf_hashes(synthetic_leaves(40))
    checkpoints = checkpoints_every(hashes, 7)
    runs = [CheckedRun(start, hashes[start : start + 16]) for start in range(0, 40, 16)]
    report = verify_log_chunks(runs, checkpoints)
    assert report.ok
    assert (report.events_checked, report.checkpoints_checked) == (40, len(checkpoints))


def test_a_checked_run_with_a_foreign_hash_fails_its_checkpoint() -> None:
    hashes = leaf_hashes(synthetic_leaves(40))
    checkpoints = checkpoints_every(hashes, 10)
    forged = [*hashes[:23], bytes(32), *hashes[24:]]
    report = verify_log_chunks(
        [CheckedRun(0, forged[:20]), CheckedRun(20, forged[20:])], checkpoints
    )
    assert not report.ok
    assert report.bad_range == (20, 30)


def test_a_checked_run_after_a_gap_reports_the_missing_positions() -> None:
    hashes = leaf_hashes(synthetic_leaves(40))
    checkpoints = checkpoints_every(hashes, 40)
    report = verify_log_chunks(
        [CheckedRun(0, hashes[:16]), CheckedRun(20, hashes[20:])], checkpoints
    )
    assert not report.ok
    assert report.first_bad_position == 16
    assert "16..19 are missing" in report.problem


def test_purged_events_are_accepted_at_once_only_within_the_allowance() -> None:
    allowance = PurgeAllowance(count=5, through_position=99)
    assert not allowance.accepts_all(3, 100)
    assert allowance.accepts_all(3, 99)
    assert not allowance.accepts_all(3, 50)
    assert allowance.accepts_all(2, 50)
    assert allowance.used == allowance.count


# --- on PostgreSQL, several connections -----------------------------------------------

SIZE = 22


@pytest.fixture
def parallel_log(transactional_db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """22 committed, sealed events, verified in runs of 4 by 2 connections."""
    if connection.vendor != "postgresql":
        pytest.skip("verification in parallel runs is PostgreSQL's")
    monkeypatch.setattr(verify_runs, "RUN", 4)
    with override_settings(RELAIS_AUDIT_VERIFY_WORKERS=2, RELAIS_AUDIT_SEAL_BATCH=8):
        fill_log(SIZE)
        seal_pending()
        drop_triggers()
        yield list(AuditSeal.objects.order_by("position").values_list("event_id", flat=True))
    # Put the guard back, then empty the append-only log the way the purge may.
    execute("ALTER TABLE audit_auditevent ENABLE TRIGGER ALL")
    AuditPurgePermit.objects.create()
    AuditEvent.objects.all().delete()


def test_an_intact_log_verifies_in_parallel_runs(
    parallel_log: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    fetchers: list[object] = []

    class Spy(verify_runs.RunFetcher):
        def __iter__(self) -> Iterator[tuple[int, int, verify_runs.RunRow]]:
            fetchers.append(self)
            return super().__iter__()

    monkeypatch.setattr(verify_runs, "RunFetcher", Spy)
    code, out, _ = run_verify()
    assert code == 0
    assert f"OK: {SIZE} events" in out
    assert len(fetchers) == 1  # the runs really were fetched by the worker connections


def test_a_verifying_connection_that_fails_is_a_finding_not_a_crash(
    parallel_log: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify_runs, "run_query", lambda: "SELECT no_such_column")
    code, _, err = run_verify()
    assert code == 1
    assert "could not read" in err


@pytest.mark.parametrize("position", [1, 6, 13, 21])
def test_a_modified_event_is_caught_in_whichever_run_holds_it(
    parallel_log: list[int], position: int
) -> None:
    event_id = parallel_log[position]
    execute("UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", ["999", event_id])
    code, _, err = run_verify()
    assert code == 1
    assert f"first bad position {position}" in err


@pytest.mark.parametrize("position", [2, 17])
def test_a_deleted_event_is_caught_in_whichever_run_held_it(
    parallel_log: list[int], position: int
) -> None:
    execute("DELETE FROM audit_auditevent WHERE id = %s", [parallel_log[position]])
    code, _, err = run_verify()
    assert code == 1
    assert f"first bad position {position}" in err


def test_events_swapped_across_runs_are_caught_at_the_first(parallel_log: list[int]) -> None:
    first, second = parallel_log[5], parallel_log[14]
    execute("UPDATE audit_auditseal SET event_id = -1 WHERE position = 5")
    execute("UPDATE audit_auditseal SET event_id = %s WHERE position = 14", [first])
    execute("UPDATE audit_auditseal SET event_id = %s WHERE position = 5", [second])
    code, _, err = run_verify()
    assert code == 1
    assert "first bad position 5" in err


def test_a_truncated_tail_is_caught_in_parallel_runs(parallel_log: list[int]) -> None:
    execute("DELETE FROM audit_auditseal WHERE position >= 18")
    code, _, err = run_verify()
    assert code == 1
    assert "first bad position 18" in err
