"""Documents built from screenings: exports neutralise formulas, PDFs are built in memory."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from relais.core.pdf import latin1
from relais.screening.documents.exports import FORMULA_TRIGGERS, neutralise


@given(st.text(max_size=30))
def test_no_exported_cell_can_start_a_formula(cell: str) -> None:
    assert not neutralise(cell).startswith(FORMULA_TRIGGERS)
    assert neutralise(cell).removeprefix("'") == cell or neutralise(cell) == cell


def test_french_typography_outside_latin1_is_folded_rather_than_dropped() -> None:
    assert latin1("L\u2019analyse \u2014 n\u00e9gative\u2026") == "L'analyse - négative..."
