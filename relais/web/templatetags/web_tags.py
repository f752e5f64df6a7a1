"""Small template helpers for the pharmacist screens."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def get(mapping: Mapping[str, object] | None, key: str) -> object:
    """`values|get:"last_name"`: a dict lookup with a variable key ("" when absent)."""
    if not mapping:
        return ""
    value = mapping.get(key, "")
    return "" if value is None else value
