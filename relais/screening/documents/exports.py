"""A pharmacy's export of its own records for a period: CSV or PDF, built in memory.

Cells that a spreadsheet would run as a formula are neutralised. The file is never written
to disk: the CSV is yielded line by line, the PDF rendered into a bytearray.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from relais.core.pdf import as_bytes, latin1, new_document
from relais.screening.documents.labels import PARIS, kind_label, result_label
from relais.screening.readmodels import ScreeningView

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True, repr=False)
class Export:
    views: tuple[ScreeningView, ...]
    start: datetime
    end: datetime
    pharmacy_name: str

    def __repr__(self) -> str:
        return f"Export({len(self.views)} records, <personal data hidden>)"


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would read as a formula starts with a quote instead."""
    return f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell


def _columns() -> list[str]:
    return [
        _("Identifiant"), _("Enregistré le"), _("Test"), _("Prélèvement"), _("Résultat"),
        _("Version"), _("Statut"), _("Nom"), _("Prénoms"), _("Date de naissance"), _("Sexe"),
        _("NIR (masqué)"), _("E-mail"), _("Téléphone"),
    ]  # fmt: skip


def _local(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")


def record_cells(view: ScreeningView) -> list[str]:
    current, patient = view.current, view.patient
    return [
        view.id,
        _local(view.created_at),
        kind_label(view.kind),
        _local(current.sampled_at),
        result_label(current.result),
        str(view.current_version),
        _("annulé") if view.status == "cancelled" else _("actif"),
        patient.last_name,
        ", ".join(patient.first_names),
        patient.birth_date.isoformat(),
        patient.sex,
        patient.nir_masked or "",
        patient.email or "",
        patient.phone or "",
    ]


def csv_chunks(views: Iterable[ScreeningView]) -> Iterator[str]:
    """The CSV, line by line (UTF-8 with BOM for spreadsheets, `;` as French ones expect)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    for cells in (_columns(), *(record_cells(v) for v in views)):
        writer.writerow([neutralise(cell) for cell in cells])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def export_pdf(export: Export) -> bytes:
    pdf = new_document(_("Export des dépistages"))
    pdf.set_font("Helvetica", "B", 14)
    title = _("Dépistages du %(start)s au %(end)s") % {
        "start": _local(export.start),
        "end": _local(export.end),
    }
    pdf.cell(0, 9, latin1(f"{export.pharmacy_name} - {title}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    widths = (28, 38, 28, 24, 40, 32)
    header = (_("Enregistré le"), _("Test"), _("Résultat"), _("Naissance"), _("Nom"), _("NIR"))
    with pdf.table(col_widths=widths, text_align="LEFT") as table:
        table.row([latin1(h) for h in header])
        for view in export.views:
            cells = record_cells(view)
            name = f"{cells[7]} {cells[8]}"
            table.row(
                [latin1(c) for c in (cells[1], cells[2], cells[4], cells[9], name, cells[11])]
            )
    pdf.ln(3)
    pdf.cell(0, 6, latin1(_("%(count)s dépistages.") % {"count": len(export.views)}))
    return as_bytes(pdf)
