"""The patient's receipt: a one-page PDF of the result, built in memory.

Never written to disk: fpdf2 renders into a bytearray that the response sends as is.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from relais.core.pdf import as_bytes, latin1, new_document
from relais.screening.documents.labels import PARIS, kind_label, result_label
from relais.screening.readmodels import ScreeningView


def _date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def receipt_pdf(view: ScreeningView, pharmacy_name: str, finess: str) -> bytes:
    pdf = new_document(_("Résultat de dépistage COVID-19"))
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, latin1(_("Résultat de dépistage COVID-19")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 7, latin1(f"{pharmacy_name} - FINESS {finess}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    current, patient = view.current, view.patient
    rows = [
        (_("Nom"), patient.last_name),
        (_("Prénoms"), ", ".join(patient.first_names)),
        (_("Date de naissance"), _date(patient.birth_date)),
        (_("Test"), kind_label(view.kind)),
        (_("Dispositif"), current.device_label or "-"),
        (_("Prélèvement"), current.sampled_at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")),
        (_("Résultat"), result_label(current.result)),
    ]
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(55, 8, latin1(label))
        pdf.set_font("Helvetica", size=11)
        pdf.cell(0, 8, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    issued = timezone.now().astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
    note = _(
        "Document remis au patient le %(when)s. Le résultat est transmis à SI-DEP, "
        "le système national de dépistage."
    )
    pdf.multi_cell(0, 6, latin1(note % {"when": issued}))
    return as_bytes(pdf)
