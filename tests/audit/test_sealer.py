"""The sealer appends committed events in seal order, signs checkpoints, resumes after a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from relais.audit.checkpoint import parse_signed_checkpoint
from relais.audit.merkle import leaf_hashes, root_from_leaf_hashes
from relais.audit.models import AuditCheckpoint, AuditEvent, AuditSeal, SealerState
from relais.audit.sealer import seal_batch, seal_for_a_while, seal_pending
from relais.audit.signing import load_signer, origin
from relais.audit.verification import PurgeAllowance, stream_records
from relais.core.jobs import JOBS
from tests.audit.helpers import fill_log, run_verify

pytestmark = pytest.mark.django_db


def test_sealing_appends_every_event_and_signs_a_checkpoint(audit_key: str) -> None:
    fill_log(5)
    assert seal_pending() == 5
    checkpoint = AuditCheckpoint.objects.get()
    parsed = parse_signed_checkpoint(checkpoint.signed_note, audit_key, origin=origin())
    leaves = [leaf for _, leaf, _ in stream_records(PurgeAllowance())]
    assert parsed.size == 5
    assert parsed.root_hash == root_from_leaf_hashes(leaf_hashes(leaves))  # type: ignore[arg-type]
    assert SealerState.objects.get().size == 5


def test_a_run_with_nothing_to_seal_signs_nothing_new() -> None:
    fill_log(2)
    seal_pending()
    assert seal_pending() == 0
    assert AuditCheckpoint.objects.count() == 1


def test_the_checkpoint_is_copied_to_the_external_directory(audit_key: str) -> None:
    fill_log(3)
    seal_pending()
    directory = Path(settings.RELAIS_AUDIT_CHECKPOINT_DIR)
    latest = (directory / "latest.txt").read_text()
    assert parse_signed_checkpoint(latest, audit_key).size == 3
    assert (directory / "checkpoint-000000000000003.txt").exists()


def test_an_event_committed_late_with_a_lower_id_is_still_sealed() -> None:
    fill_log(3)
    first, second, third = AuditEvent.objects.order_by("id").values_list("id", flat=True)
    # Simulate id 2 committing after 3 was sealed: seal 1 and 3 by hand-picking the batch.
    from relais.audit import sealer

    original = sealer._unsealed_rows
    sealer._unsealed_rows = lambda limit: [r for r in original(limit) if r[0] != second]  # type: ignore[assignment]
    try:
        seal_pending()
    finally:
        sealer._unsealed_rows = original  # type: ignore[assignment]
    assert seal_pending() == 1
    order = list(AuditSeal.objects.order_by("position").values_list("event_id", flat=True))
    assert order == [first, third, second]
    assert run_verify()[0] == 0


def test_sealing_in_several_batches_keeps_one_tree() -> None:
    fill_log(7)
    signer = load_signer()
    assert seal_batch(signer, 3) is not None
    assert seal_batch(signer, 3) is not None
    assert seal_pending() == 1
    assert list(AuditCheckpoint.objects.order_by("size").values_list("size", flat=True)) == [
        3,
        6,
        7,
    ]
    assert run_verify()[0] == 0


def test_the_worker_job_seals_a_backlog_over_several_runs_within_its_budget(
    settings: Any,
) -> None:
    """A worker relays between its jobs: a run stops after the batch that spends its
    budget, and the next run goes on from there, in the same tree."""
    fill_log(7)
    settings.RELAIS_AUDIT_SEAL_BATCH = 3
    settings.RELAIS_AUDIT_SEAL_BUDGET_MS = 0  # spent as soon as a batch is sealed

    assert [seal_for_a_while() for _ in range(4)] == [3, 3, 1, 0]
    assert AuditSeal.objects.count() == 7
    assert run_verify()[0] == 0


def test_a_crash_mid_seal_leaves_events_unsealed_and_the_next_run_resumes() -> None:
    fill_log(4)
    from relais.audit import sealer

    def crash(rows: object) -> None:
        raise RuntimeError("power cut")

    sealer.BATCH_HOOKS.append(crash)
    try:
        with pytest.raises(RuntimeError):
            seal_pending()
    finally:
        sealer.BATCH_HOOKS.remove(crash)
    assert not AuditSeal.objects.exists()
    assert AuditEvent.objects.count() == 4
    assert seal_pending() == 4
    assert run_verify()[0] == 0


def test_the_sealer_and_the_retention_purge_are_worker_jobs() -> None:
    assert JOBS["audit.seal"].every_seconds <= 5
    assert JOBS["audit.seal"].run is seal_for_a_while
    assert JOBS["audit.retention"].every_seconds == 24 * 60 * 60
