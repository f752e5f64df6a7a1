"""Documents handed out of Relais: a pharmacy's export of a period, a patient's receipt.

What Francetest got wrong, done right: the file is built in this process's memory for the
user who asked (the web asks for a fresh re-authentication before an export); it is never
written to disk, and each one is audited with what it holds (ids and counts, never data).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from relais.access.actors import Actor
from relais.access.policy import Action, require
from relais.audit.actions import AuditAction
from relais.audit.events import record_event
from relais.core.fielderrors import ValidationErrors
from relais.core.services import service
from relais.pharmacies.models import Pharmacy
from relais.screening.documents.exports import Export
from relais.screening.documents.receipt import receipt_pdf
from relais.screening.models import Screening
from relais.screening.readmodels import screening_view
from relais.screening.services.reads import get_screening


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
    name = Pharmacy.objects.values_list("name", flat=True).get(pk=pharmacy_id)
    return Export(views, start, end, name)


@service
def issue_receipt(actor: Actor, screening_id: str) -> bytes:
    """The receipt of one screening (a read of it, audited, plus the issue itself)."""
    view = get_screening(actor, screening_id)
    name, finess = Pharmacy.objects.values_list("name", "finess").get(pk=view.pharmacy_id)
    pdf = receipt_pdf(view, name, finess)
    record_event(
        AuditAction.RECEIPT_ISSUED,
        actor=actor,
        pharmacy_id=view.pharmacy_id,
        object_type="screening",
        object_ids=[view.id],
        details={"version": view.current_version},
    )
    return pdf
