"""Billing records: contracts, the usage ledger, statements and credit notes.

Amounts are integer cents, VAT rates basis points. An issued statement or credit note never
changes: the models refuse it, and the database refuses it too (migration 0002's triggers),
so neither a bulk ``update()`` nor a raw query can rewrite an invoice.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.billing.money import DEFAULT_UNIT_PRICE_CENTS, DEFAULT_VAT_RATE_BP


class ImmutableDocumentError(RuntimeError):
    """An issued statement or credit note was about to change."""


class Contract(models.Model):
    """A pharmacy's prices from ``effective_from`` (a Paris day) until its next contract.

    A price change mid-month is a new row: usage on and after its day takes the new price.
    """

    pharmacy = models.ForeignKey("pharmacies.Pharmacy", on_delete=models.PROTECT)
    effective_from = models.DateField(_("en vigueur à partir du"))
    unit_price_cents = models.PositiveIntegerField(default=DEFAULT_UNIT_PRICE_CENTS)
    vat_rate_bp = models.PositiveIntegerField(default=DEFAULT_VAT_RATE_BP)
    bill_later_versions = models.BooleanField(
        _("facturer les corrections et annulations"), default=False
    )
    bill_rejected = models.BooleanField(_("facturer les transmissions rejetées"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pharmacy", "effective_from"], name="one_contract_per_day"
            ),
            models.CheckConstraint(
                condition=Q(vat_rate_bp__lte=10_000), name="contract_vat_rate_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"Contract {self.pk} (pharmacy {self.pharmacy_id} from {self.effective_from})"


class Outcome(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", _("Accusé de réception")
    REJECTED = "rejected", _("Rejetée")


class UsageRecord(models.Model):
    """One settled transmission, once (unique): ``units`` is 1 if billable, else 0.

    Non-billable outcomes are kept (with 0 units) so the ledger explains every transmission
    and the worker never examines one twice. The price is the contract's on ``billable_on``;
    it is re-priced when a contract changes, until a statement is issued over it.
    """

    transmission = models.OneToOneField(
        "relay.Transmission", on_delete=models.PROTECT, related_name="usage"
    )
    pharmacy = models.ForeignKey("pharmacies.Pharmacy", on_delete=models.PROTECT)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    version_number = models.PositiveIntegerField()
    settled_at = models.DateTimeField()
    billable_on = models.DateField()  # the Paris day of settled_at
    units = models.PositiveSmallIntegerField()
    unit_price_cents = models.PositiveIntegerField()
    vat_rate_bp = models.PositiveIntegerField()
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True)
    statement = models.ForeignKey(
        "Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="usage"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["pharmacy", "billable_on"], name="usage_pharmacy_day")]
        constraints = [models.CheckConstraint(condition=Q(units__lte=1), name="usage_one_unit")]

    def __str__(self) -> str:
        return f"UsageRecord {self.pk} (transmission {self.transmission_id})"


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    ISSUED = "issued", _("Émis")
    PAID = "paid", _("Payé")


FROZEN_FIELDS = ("pharmacy_id", "year", "month", "number", "issued_at")
TOTAL_FIELDS = ("units", "total_excl_vat_cents", "vat_cents", "total_incl_vat_cents")


class Totals(models.Model):
    """Totals shared by statements and credit notes (negative on a credit note)."""

    units = models.IntegerField(default=0)
    total_excl_vat_cents = models.BigIntegerField(default=0)
    vat_cents = models.BigIntegerField(default=0)
    total_incl_vat_cents = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class Statement(Totals):
    """A pharmacy's statement for one Paris month: draft → issued (numbered) → paid."""

    pharmacy = models.ForeignKey("pharmacies.Pharmacy", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=8, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    # NULL (not ""), so that any number of drafts coexist under the unique constraint.
    number = models.CharField(max_length=20, null=True, blank=True, unique=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pharmacy", "year", "month"], name="one_statement_per_month"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False, issued_at__isnull=False),
                name="issued_statement_is_numbered",
            ),
        ]

    def __str__(self) -> str:
        return f"Statement {self.pk} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            self._refuse_change_once_issued()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.status != StatementStatus.DRAFT:
            raise ImmutableDocumentError(f"statement {self.number} is issued")
        return super().delete(*args, **kwargs)

    @property
    def month_label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def _refuse_change_once_issued(self) -> None:
        stored = Statement.objects.filter(pk=self.pk).values(
            *FROZEN_FIELDS, *TOTAL_FIELDS, "status"
        )
        before = stored.first()
        if before is None or before["status"] == StatementStatus.DRAFT:
            return
        changed = [f for f in (*FROZEN_FIELDS, *TOTAL_FIELDS) if getattr(self, f) != before[f]]
        backwards = self.status == StatementStatus.DRAFT or (
            before["status"] == StatementStatus.PAID and self.status != StatementStatus.PAID
        )
        if changed or backwards:
            raise ImmutableDocumentError(f"statement {before['number']} is issued")


class StatementLine(models.Model):
    """Units of one Paris day at one price (a day has one contract, hence one line)."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    day = models.DateField()
    units = models.IntegerField()
    unit_price_cents = models.IntegerField()
    vat_rate_bp = models.PositiveIntegerField()
    amount_excl_vat_cents = models.BigIntegerField()

    class Meta:
        ordering = ["day", "unit_price_cents"]

    def __str__(self) -> str:
        return f"StatementLine {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse_unless_draft(self.statement_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse_unless_draft(self.statement_id)
        return super().delete(*args, **kwargs)


def _refuse_unless_draft(statement_id: int) -> None:
    status = Statement.objects.filter(pk=statement_id).values_list("status", flat=True).first()
    if status != StatementStatus.DRAFT:
        raise ImmutableDocumentError(f"statement {statement_id} is not a draft")


class CreditNote(Totals):
    """Corrects an issued statement (negative lines and totals); issued once, never edited."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="credit_notes")
    number = models.CharField(max_length=20, unique=True)
    reason = models.CharField(max_length=200)
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"CreditNote {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableDocumentError(f"credit note {self.number} is issued")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableDocumentError(f"credit note {self.number} is issued")


class CreditNoteLine(models.Model):
    """A negative line: the units credited on one day at the statement's price that day."""

    credit_note = models.ForeignKey(CreditNote, on_delete=models.PROTECT, related_name="lines")
    day = models.DateField()
    units = models.IntegerField()
    unit_price_cents = models.IntegerField()
    vat_rate_bp = models.PositiveIntegerField()
    amount_excl_vat_cents = models.BigIntegerField()

    class Meta:
        ordering = ["day", "unit_price_cents"]

    def __str__(self) -> str:
        return f"CreditNoteLine {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableDocumentError("credit note lines never change")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableDocumentError("credit note lines never change")


class DocumentSequence(models.Model):
    """The last number used per series and year; locked while a number is taken.

    Taking a number in the issuing transaction makes the sequence gapless: a rolled-back
    issue rolls the counter back too.
    """

    series = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"DocumentSequence {self.series}-{self.year}"
