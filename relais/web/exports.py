"""Exports of a pharmacy's own records for a period: CSV or PDF, in memory, streamed.

What Francetest got wrong, done right: the file is built in this process's memory and sent
to the browser that asked, after a fresh re-authentication; it is never written to disk,
has no URL anyone could fetch again (the request is a POST), and the export is audited with
the number of records. Cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.services import service
from relais.screening.models import Screening
from relais.screening.readmodels import ScreeningView, screening_view
from relais.screening.validation import ValidationErrors
from relais.web.forms import PARIS
from relais.web.labels import kind_label, result_label
from relais.web.pdf import as_bytes, latin1, new_document

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True, repr=False)
class Export:
    views: tuple[ScreeningView, ...]
    start: datetime
    end: datetime

    def __repr__(self) -> str:
        return f"Export({len(self.views)} records, <personal data hidden>)"


@service
def export_screenings(actor: Actor, pharmacy_id: int, start: datetime, end: datetime) -> Export:
    """Every screening of the pharmacy recorded in [start, end), decrypted in memory."""
    require(actor, Action.SCREENING_EXPORT, pharmacy_id)
    if end <= start:
        raise ValidationErrors.single("period", "period.invalid")
    limit = settings.RELAIS_EXPORT_MAX_RECORDS
    rows = Screening.objects.filter(
        pharmacy_id=pharmacy_id, created_at__gte=start, created_at__lt=end
    ).select_related("patient")
    found = list(rows.order_by("created_at", "id")[: limit + 1])
    if len(found) > limit:
        raise ValidationErrors.single("period", "period.too_many", max=limit)
    views = tuple(screening_view(s) for s in found)
    record_event(
        AuditAction.SCREENINGS_EXPORTED,
        actor=actor,
        pharmacy_id=pharmacy_id,
        object_type="screening",
        object_ids=[v.id for v in views],
        details={"count": len(views), "from": start.isoformat(), "to": end.isoformat()},
    )
    return Export(views, start, end)


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


def export_pdf(export: Export, pharmacy_name: str) -> bytes:
    pdf = new_document(_("Export des dépistages"))
    pdf.set_font("Helvetica", "B", 14)
    title = _("Dépistages du %(start)s au %(end)s") % {
        "start": _local(export.start),
        "end": _local(export.end),
    }
    pdf.cell(0, 9, latin1(f"{pharmacy_name} - {title}"), new_x="LMARGIN", new_y="NEXT")
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
