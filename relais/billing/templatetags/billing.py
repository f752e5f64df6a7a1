"""Template filters for money: ``{{ cents|euros }}`` → '1 234,56', ``{{ bp|percent }}`` → '20'."""

from __future__ import annotations

from django import template

from relais.billing.money import euros as format_euros
from relais.billing.money import percent as format_percent

register = template.Library()


@register.filter
def euros(cents: int) -> str:
    return format_euros(int(cents))


@register.filter
def percent(rate_bp: int) -> str:
    return format_percent(int(rate_bp))
