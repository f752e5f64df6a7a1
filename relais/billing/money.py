"""Money in integer cents; VAT rates in basis points (2000 = 20 %). Never a float.

VAT is computed once per rate on the month's total excluding VAT — not per line — and
rounded half up to the cent (half away from zero, so a credit note mirrors its statement
exactly): 2,50 € at 20 % → 0,50 €; 0,05 € at 5,5 % → 0,00275 € → 0,00 €.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

BASIS_POINTS = 10_000
DEFAULT_UNIT_PRICE_CENTS = 100
DEFAULT_VAT_RATE_BP = 2000


def vat_cents(base_cents: int, rate_bp: int) -> int:
    """VAT on a base, rounded half up (away from zero) to the cent."""
    exact = Decimal(base_cents) * Decimal(rate_bp) / Decimal(BASIS_POINTS)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def euros(cents: int) -> str:
    """French notation without the currency sign: -1234567 → '-12 345,67'."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    grouped = f"{whole:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}"


def plain_euros(cents: int) -> str:
    """Like ``euros`` without digit grouping, for spreadsheets: -1234567 → '-12345,67'."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole},{rest:02d}"


def percent(rate_bp: int) -> str:
    """2000 → '20', 550 → '5,5'."""
    whole, rest = divmod(rate_bp, 100)
    return f"{whole},{rest:02d}".rstrip("0").rstrip(",")
