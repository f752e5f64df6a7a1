"""Statement files carry counts and amounts only — never a patient — and are formula-safe."""

from __future__ import annotations

import pytest

from relais.billing.documents import statement_document
from relais.billing.periods import Month
from relais.billing.rendering import render_csv, render_pdf, safe_cell
from relais.billing.services import issue_statement, prepare_statement
from relais.pharmacies.models import Pharmacy
from relais.relay.models import Transmission, TransmissionStatus
from tests.billing.conftest import LATER, SYSTEM
from tests.conftest import Personas
from tests.screening.conftest import NOW, valid_body

PATIENT_TRACES = (
    "Dupont",
    "DUPONT",
    "Marie",
    "Hélène",
    "marie.dupont",
    "28001751234",
    "0612345678",
    "06 12 34 56 78",
    "rue de la Paix",
    "1980-01-17",
    "LGO-0001",
)


@pytest.fixture
def acknowledged_screening(personas: Personas) -> Pharmacy:
    """A real screening of a named patient, relayed and acknowledged in March 2025."""
    from relais.screening.services import record_screening

    pharmacy = personas.pharmacy_a
    record_screening(personas["pharmacist_a"].actor, pharmacy.pk, valid_body(), now=NOW)
    Transmission.objects.filter(pharmacy=pharmacy).update(
        status=TransmissionStatus.ACKNOWLEDGED, acknowledged_at=NOW, updated_at=NOW
    )
    return pharmacy


@pytest.mark.django_db
def test_statement_files_name_no_patient(acknowledged_screening: Pharmacy) -> None:
    draft = prepare_statement(SYSTEM, acknowledged_screening.pk, Month(2025, 3))
    statement = issue_statement(SYSTEM, draft.pk, now=LATER)
    assert statement.units == 1
    document = statement_document(statement)
    csv_text = render_csv(document, []).decode("utf-8")
    pdf_text = render_pdf(document, [], compress=False).decode("latin-1")
    for text in (csv_text, pdf_text):
        assert "Pharmacie A" in text and "690000013" in text  # the scan can see text
        assert [trace for trace in PATIENT_TRACES if trace in text] == []


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 1", "'+33 1"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-12,00", "-12,00"),
        ("Pharmacie", "Pharmacie"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_defused(cell: str, written: str) -> None:
    assert safe_cell(cell) == written


@pytest.mark.django_db
def test_a_pharmacy_name_crafted_as_a_formula_is_written_as_text() -> None:
    pharmacy = Pharmacy.objects.create(name='=cmd|"/c calc"!A1', finess="690000013")
    statement = prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 3))
    csv_text = render_csv(statement_document(statement), []).decode("utf-8")
    assert "'=cmd" in csv_text
    assert ";=cmd" not in csv_text


@pytest.mark.django_db
def test_files_are_built_in_memory_without_opening_any_file(
    pharmacy: Pharmacy, monkeypatch: pytest.MonkeyPatch
) -> None:
    statement = prepare_statement(SYSTEM, pharmacy.pk, Month(2026, 3))
    document = statement_document(statement)

    def no_files(*args: object, **kwargs: object) -> None:
        raise AssertionError("a statement file touched the file system")

    monkeypatch.setattr("builtins.open", no_files)
    monkeypatch.setattr("io.open", no_files)
    pdf, csv_bytes = render_pdf(document, []), render_csv(document, [])
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert csv_bytes.startswith("\ufeff".encode())
