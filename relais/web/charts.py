"""Bar charts drawn on the server as SVG: no chart library, no script, nothing external.

Colours come from classes styled by relais.css (the CSP forbids inline styles); every
chart carries a title and a description for screen readers, and pages show the same
figures as a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 40, 28, 12


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 < value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return value


def bar_chart(
    chart_id: str,
    title: str,
    points: Sequence[tuple[str, float]],
    *,
    alternate: bool = False,
    unit: str = "",
) -> SafeString:
    """An SVG bar chart of (label, value) points, labelled every few bars."""
    top = _nice_max(max((v for _, v in points), default=0.0))
    inner_w, inner_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    slot = inner_w / max(len(points), 1)
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-t">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP + inner_h}" x2="{WIDTH - 8}" '
        f'y2="{TOP + inner_h}"/>',
        f'<text x="2" y="{TOP + 10}">{escape(_fmt(top))}{escape(unit)}</text>',
        f'<text x="2" y="{TOP + inner_h}">0</text>',
    ]
    every = max(1, len(points) // 7)
    css = "bar-alt" if alternate else "bar"
    for index, (label, value) in enumerate(points):
        height = inner_h * (value / top) if top else 0
        x = LEFT + index * slot + slot * 0.15
        y = TOP + inner_h - height
        parts.append(
            f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{height:.1f}"><title>{escape(label)} : {escape(_fmt(value))}'
            f"{escape(unit)}</title></rect>"
        )
        if index % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 8}">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
