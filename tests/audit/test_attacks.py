"""An attacker with direct database access (triggers dropped first) rewrites the log, one
way at a time; ``relais audit verify`` catches each and names the first bad position."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from relais.audit.leaves import leaf_bytes
from relais.audit.merkle import leaf_hash
from relais.audit.models import AuditCheckpoint, AuditEvent, AuditSeal, SealerState
from relais.audit.sealer import seal_pending
from tests.audit.helpers import drop_triggers, execute, fill_log, run_verify

pytestmark = pytest.mark.django_db

SIZE = 10


@pytest.fixture
def sealed_log() -> list[int]:
    """Ten sealed events (two checkpoints); returns event ids in seal order."""
    fill_log(6)
    seal_pending()
    fill_log(4)
    seal_pending()
    drop_triggers()
    return list(AuditSeal.objects.order_by("position").values_list("event_id", flat=True))


def bad_position(stderr: str) -> int:
    match = re.search(r"first bad position (\d+)", stderr)
    assert match, stderr
    return int(match.group(1))


def test_an_intact_log_verifies(sealed_log: list[int]) -> None:
    code, out, _ = run_verify()
    assert code == 0
    assert f"OK: {SIZE} events" in out


def test_a_modified_event_is_caught_at_its_position(sealed_log: list[int]) -> None:
    execute("UPDATE audit_auditevent SET actor_id = %s WHERE id = %s", ["999", sealed_log[3]])
    code, _, err = run_verify()
    assert code == 1
    assert bad_position(err) == 3


def test_a_modified_json_detail_is_caught(sealed_log: list[int]) -> None:
    execute(
        "UPDATE audit_auditevent SET object_ids = %s WHERE id = %s",
        [json.dumps(["other"]), sealed_log[8]],
    )
    code, _, err = run_verify()
    assert (code, bad_position(err)) == (1, 8)


def test_a_deleted_event_is_caught_at_its_position(sealed_log: list[int]) -> None:
    execute("DELETE FROM audit_auditevent WHERE id = %s", [sealed_log[4]])
    code, _, err = run_verify()
    assert (code, bad_position(err)) == (1, 4)
    assert "missing" in err


def test_a_deleted_event_and_its_seal_are_caught(sealed_log: list[int]) -> None:
    execute("DELETE FROM audit_auditevent WHERE id = %s", [sealed_log[2]])
    execute("DELETE FROM audit_auditseal WHERE position = 2")
    code, _, err = run_verify()
    assert (code, bad_position(err)) == (1, 2)


def _leaf(position: int, event_id: int) -> bytes:
    """The leaf an attacker who knows the format computes for a row of their choosing."""
    leaf = leaf_bytes(position, event_id)
    assert leaf is not None
    return leaf


def _shift_seals(from_position: int, by: int) -> None:
    """Renumber seal rows, moving their stored hashes along (two steps: positions are keys)."""
    execute(
        "UPDATE audit_auditseal SET position = position + 1000000 WHERE position >= %s",
        [from_position],
    )
    execute(
        "UPDATE audit_auditseal SET position = position - 1000000 + %s WHERE position >= 1000000",
        [by],
    )


def _forge_event_at(position: int) -> None:
    template = AuditEvent.objects.order_by("id").first()
    assert template is not None
    forged = AuditEvent.objects.create(
        occurred_at=template.occurred_at,
        actor_type="user",
        actor_id="1",
        pharmacy_id=1,
        action="auth.signed_out",
        outcome="success",
    )
    AuditSeal.objects.create(
        position=position, event_id=forged.pk, leaf_hash=leaf_hash(_leaf(position, forged.pk))
    )


def test_an_event_inserted_into_history_is_caught_where_it_was_inserted(
    sealed_log: list[int],
) -> None:
    _shift_seals(5, +1)
    _forge_event_at(5)
    code, _, err = run_verify()
    assert (code, bad_position(err)) == (1, 5)


def test_a_deletion_hidden_by_renumbering_is_caught_where_it_happened(
    sealed_log: list[int],
) -> None:
    execute("DELETE FROM audit_auditevent WHERE id = %s", [sealed_log[7]])
    execute("DELETE FROM audit_auditseal WHERE position = 7")
    _shift_seals(8, -1)
    code, _, err = run_verify()
    assert (code, bad_position(err)) == (1, 7)


def test_two_reordered_events_are_caught_at_the_first(sealed_log: list[int]) -> None:
    execute("UPDATE audit_auditseal SET event_id = -1 WHERE position = 1")
    execute("UPDATE audit_auditseal SET event_id = %s WHERE position = 2", [sealed_log[1]])
    execute("UPDATE audit_auditseal SET event_id = %s WHERE position = 1", [sealed_log[2]])
    code, _, err = run_verify()
    assert (code, bad_position(err)) == (1, 1)


def test_reordering_whole_seal_rows_is_caught_at_the_first(sealed_log: list[int]) -> None:
    execute("UPDATE audit_auditseal SET position = -1 WHERE position = 1")
    execute("UPDATE audit_auditseal SET position = 1 WHERE position = 2")
    execute("UPDATE audit_auditseal SET position = 2 WHERE position = -1")
    code, _, err = run_verify()
    assert (code, bad_position(err)) == (1, 1)


def test_a_truncated_tail_is_caught_at_the_first_missing_position(sealed_log: list[int]) -> None:
    execute("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", sealed_log[8:10])
    execute("DELETE FROM audit_auditseal WHERE position >= 8")
    code, _, err = run_verify()
    assert (code, bad_position(err)) == (1, 8)
    assert "truncated" in err


def test_a_truncation_that_also_deletes_checkpoints_is_caught_by_the_external_copy(
    sealed_log: list[int],
) -> None:
    execute("DELETE FROM audit_auditevent WHERE id >= %s", [sealed_log[6]])
    execute("DELETE FROM audit_auditseal WHERE position >= 6")
    AuditCheckpoint.objects.filter(size__gt=6).delete()
    SealerState.objects.all().delete()
    code, _, err = run_verify()
    assert (code, bad_position(err)) == (1, 6)


def test_a_careful_attacker_who_rewrites_the_stored_hash_is_caught_within_a_checkpoint_interval(
    sealed_log: list[int],
) -> None:
    execute("UPDATE audit_auditevent SET outcome = 'denied' WHERE id = %s", [sealed_log[7]])
    AuditSeal.objects.filter(position=7).update(leaf_hash=leaf_hash(_leaf(7, sealed_log[7])))
    code, _, err = run_verify()
    assert code == 1
    assert "bad positions within [6, 10)" in err


def test_a_forged_checkpoint_is_refused(sealed_log: list[int]) -> None:
    note = AuditCheckpoint.objects.get(size=10).signed_note
    forged = note.replace("\n10\n", "\n11\n", 1)
    AuditCheckpoint.objects.create(
        size=11,
        root_hash=b"x" * 32,
        signed_note=forged,
        created_at=AuditCheckpoint.objects.get(size=10).created_at,
    )
    code, _, err = run_verify()
    assert code == 1
    assert "not validly signed" in err


def test_a_mangled_row_is_reported_not_crashed_on(sealed_log: list[int]) -> None:
    # PostgreSQL's types refuse garbage; an infinite time is the oddest value it admits.
    odd = "infinity" if connection.vendor == "postgresql" else "garbage"
    execute("UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s", [odd, sealed_log[5]])
    code, _, err = run_verify()
    assert (code, bad_position(err)) == (1, 5)


def test_an_old_external_checkpoint_is_consistent_with_todays_log(sealed_log: list[int]) -> None:
    old = Path(settings.RELAIS_AUDIT_CHECKPOINT_DIR) / "checkpoint-000000000000006.txt"
    code, out, _ = run_verify("--consistency", str(old))
    assert code == 0, out


def test_a_rewritten_history_fails_the_consistency_check(sealed_log: list[int]) -> None:
    old = Path(settings.RELAIS_AUDIT_CHECKPOINT_DIR) / "checkpoint-000000000000006.txt"
    execute("UPDATE audit_auditevent SET actor_id = 'x' WHERE id = %s", [sealed_log[2]])
    code, _, err = run_verify("--consistency", str(old))
    assert code == 1
    assert "FAILED" in err
