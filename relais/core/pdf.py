"""Small fpdf2 helpers shared by every PDF Relais builds: in memory, core fonts only.

The core PDF fonts cover Latin-1, which holds French; the few typographic characters
outside it are folded so that no text is ever dropped silently.
"""

from __future__ import annotations

from fpdf import FPDF

_FOLD = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u2014": "-",
        "\u2013": "-",
        "\u2026": "...",
        "\u201c": '"',
        "\u201d": '"',
        "\u202f": " ",
    }
)


def latin1(text: str) -> str:
    return text.translate(_FOLD).encode("latin-1", "replace").decode("latin-1")


def new_document(title: str) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_title(latin1(title))
    pdf.set_creator("Relais")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    return pdf


def as_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
