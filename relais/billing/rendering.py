"""Statements as CSV and PDF, built in memory and returned as bytes — never a file on disk.

Both carry counts and amounts only: no patient, no screening, not even a transmission id.
CSV cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) are prefixed with
an apostrophe, except the numbers this module writes itself.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from relais.billing.documents import Document
from relais.billing.money import percent, plain_euros

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_OWN_NUMBER = re.compile(r"^-?\d+(,\d+)?$")
STATUS_LABELS = {"draft": "brouillon", "issued": "émis", "paid": "payé"}


def safe_cell(value: object) -> str:
    text = str(value)
    if text.startswith(_FORMULA_START) and not _OWN_NUMBER.match(text):
        return "'" + text
    return text


def _header(document: Document) -> list[list[str]]:
    title = _("Avoir") if document.kind == "credit_note" else _("Relevé mensuel")
    rows = [
        [title, document.number or _("brouillon (non émis)")],
        [_("Pharmacie"), document.pharmacy_name],
        [_("FINESS"), document.finess],
        [_("Mois"), str(document.month)],
        [_("Statut"), STATUS_LABELS.get(document.status, document.status)],
    ]
    if document.issued_at:
        rows.append([_("Émis le"), document.issued_at.date().isoformat()])
    if document.refers_to:
        rows += [[_("Relevé corrigé"), document.refers_to], [_("Motif"), document.reason]]
    return rows


def _table(document: Document) -> Iterator[list[str]]:
    yield [
        _("Jour"),
        _("Transmissions"),
        _("Prix unitaire HT (€)"),
        _("TVA (%)"),
        _("Montant HT (€)"),
    ]
    for line in document.lines:
        yield [
            line.day.isoformat(),
            str(line.units),
            plain_euros(line.unit_price_cents),
            percent(line.vat_rate_bp),
            plain_euros(line.amount_excl_vat_cents),
        ]
    totals = document.totals
    yield [_("Total"), str(totals.units), "", "", plain_euros(totals.excl_vat_cents)]
    for vat in totals.by_rate:
        yield [
            _("TVA %(rate)s %% sur %(base)s €")
            % {"rate": percent(vat.rate_bp), "base": plain_euros(vat.base_cents)},
            "",
            "",
            "",
            plain_euros(vat.vat_cents),
        ]
    yield [_("Total TTC"), "", "", "", plain_euros(totals.incl_vat_cents)]


def render_csv(document: Document, credit_notes: list[Document]) -> bytes:
    """UTF-8 with BOM and semicolons: what a French spreadsheet opens without a wizard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    with translation.override("fr"):
        for index, part in enumerate([document, *credit_notes]):
            if index:
                writer.writerow([])
            for row in [*_header(part), [], *_table(part)]:
                writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _latin1(text: str) -> str:
    """The PDF's core font is Latin-1: € becomes EUR, thin spaces become spaces."""
    text = text.replace("€", "EUR").replace("\u202f", " ").replace("\u00a0", " ")
    return text.encode("latin-1", "replace").decode("latin-1")


WIDTHS = (34, 30, 40, 22, 44)


def _pdf_part(pdf: FPDF, document: Document) -> None:
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(
        0,
        10,
        _latin1(f"Relais - {_header(document)[0][0]} {_header(document)[0][1]}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 10)
    for label, value in _header(document)[1:]:
        pdf.cell(0, 6, _latin1(f"{label} : {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for number, row in enumerate(_table(document)):
        pdf.set_font("Helvetica", "B" if number == 0 else "", 9)
        for width, cell in zip(WIDTHS, row, strict=True):
            pdf.cell(width, 6, _latin1(cell), border=1, align="L" if number == 0 else "R")
        pdf.ln(6)


def render_pdf(document: Document, credit_notes: list[Document], *, compress: bool = True) -> bytes:
    """One page per document; ``compress=False`` lets tests read the text back."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_title(_latin1(f"Relais {document.number or 'brouillon'}"))
    pdf.set_author("Relais")
    if document.issued_at:
        pdf.set_creation_date(document.issued_at)
    with translation.override("fr"):
        for part in [document, *credit_notes]:
            _pdf_part(pdf, part)
    return bytes(pdf.output())
