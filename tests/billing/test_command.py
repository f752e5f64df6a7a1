"""``relais billing reconcile`` and ``relais billing statement``."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from relais.billing.periods import Month
from relais.billing.services import issue_credit_note, issue_statement, prepare_statement
from relais.pharmacies.models import Pharmacy
from relais.relay.models import TransmissionStatus
from tests.billing.conftest import LATER, SYSTEM, paris, settle

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[int, str]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    code = 0
    try:
        call_command("billing", *args, stdout=out)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out.flush()
    return code, out.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]


def _issue(pharmacy: Pharmacy) -> int:
    draft = prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 3))
    return issue_statement(SYSTEM, draft.pk, now=LATER).pk


def test_a_reconciled_month_exits_zero(pharmacy: Pharmacy, other_pharmacy: Pharmacy) -> None:
    for day in (2, 3):
        settle(pharmacy, paris(2026, 3, day, 9, 0))
    settle(other_pharmacy, paris(2026, 3, 4, 9, 0))
    settle(other_pharmacy, paris(2026, 3, 4, 9, 5), version_number=2)  # not billable
    _issue(pharmacy)
    _issue(other_pharmacy)
    code, output = _run("reconcile", "--month", "2026-03")
    assert code == 0
    assert "690000013" in output and "130000029" in output
    assert "aucun écart" in output


def test_an_acknowledgement_missing_from_the_issued_statement_is_a_mismatch(
    pharmacy: Pharmacy,
) -> None:
    settle(pharmacy, paris(2026, 3, 2, 9, 0))
    _issue(pharmacy)
    # Acknowledged within March but recorded after the statement was issued (a clock or
    # worker fault): the statement under-bills and reconciliation must say so.
    settle(pharmacy, paris(2026, 3, 30, 9, 0))
    code, output = _run("reconcile", "--month", "2026-03")
    assert code == 1
    assert "ÉCART" in output
    row = next(line for line in output.splitlines() if line.startswith("690000013"))
    assert row.split()[1:4] == ["2", "1", "1"]  # expected, ledger, billed


def test_crediting_units_that_were_acknowledged_shows_as_a_mismatch(
    pharmacy: Pharmacy,
) -> None:
    settle(pharmacy, paris(2026, 3, 2, 9, 0))
    issue_credit_note(SYSTEM, _issue(pharmacy), "geste commercial", now=LATER)
    code, output = _run("reconcile", "--month", "2026-03")
    assert code == 1
    assert "ÉCART" in output


def test_an_unbilled_month_is_a_mismatch(pharmacy: Pharmacy) -> None:
    settle(pharmacy, paris(2026, 3, 2, 9, 0), status=TransmissionStatus.ACKNOWLEDGED)
    assert _run("reconcile", "--month", "2026-03")[0] == 1


def test_the_statement_command_writes_csv_to_standard_output(pharmacy: Pharmacy) -> None:
    for day in (2, 2, 3):
        settle(pharmacy, paris(2026, 3, day, 9, 0))
    _issue(pharmacy)
    code, output = _run("statement", "--pharmacy", "690000013", "--month", "2026-03")
    assert code == 0
    assert "RLS-2026-000001" in output
    assert "2026-03-02;2;1,00;20;2,00" in output
    assert "Total TTC;;;;3,60" in output


def test_the_statement_command_writes_a_pdf(pharmacy: Pharmacy) -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    call_command(
        "billing",
        "statement",
        "--pharmacy",
        "690000013",
        "--month",
        "2026-03",
        "--format",
        "pdf",
        stdout=out,
    )
    assert out.buffer.getvalue().startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_an_unknown_pharmacy_or_month_is_a_clear_error(pharmacy: Pharmacy) -> None:
    with pytest.raises(CommandError, match="FINESS"):
        _run("statement", "--pharmacy", "999999999", "--month", "2026-03")
    with pytest.raises(CommandError, match="YYYY-MM"):
        _run("reconcile", "--month", "2026-3")
