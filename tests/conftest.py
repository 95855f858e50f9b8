"""Shared fixtures: small PDFs made with reportlab, laid out like real gazettes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

CJK_FONT = "STSong-Light"  # a PDF reader's own CID font: nothing to embed or install


def _register_cjk_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


@pytest.fixture
def write_pdf(tmp_path: Path) -> Callable[..., Path]:
    """Return ``write_pdf(pages, header=None, first_number=1, name=..., password=None) -> Path``.

    Each page is a list of body lines set in STSong-Light on A4. ``header`` is printed at the top
    of every page above a rule, and a centred ``- N -`` page number at the bottom (N counting from
    ``first_number``) unless ``first_number`` is None. ``password`` encrypts the file.
    """

    def write(
        pages: list[list[str]],
        header: str | None = None,
        first_number: int | None = 1,
        name: str = "gazette.pdf",
        password: str | None = None,
    ) -> Path:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        _register_cjk_font()
        path = tmp_path / name
        width, height = A4
        pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1, encrypt=password)
        for index, lines in enumerate(pages):
            if header:
                pdf.setFont(CJK_FONT, 9)
                pdf.drawCentredString(width / 2, height - 42, header)
                pdf.line(70, height - 48, width - 70, height - 48)
            pdf.setFont(CJK_FONT, 12)
            for row, line in enumerate(lines):
                pdf.drawString(70, height - 110 - 22 * row, line)
            if first_number is not None:
                pdf.setFont(CJK_FONT, 10.5)
                pdf.drawCentredString(width / 2, 38, f"- {first_number + index} -")
            pdf.showPage()
        pdf.save()
        return path

    return write


@pytest.fixture
def write_drawing_pdf(tmp_path: Path) -> Callable[[], Path]:
    """Return a maker of a one-page PDF holding only a drawn rectangle: a scan has no more text."""

    def write() -> Path:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        path = tmp_path / "scan.pdf"
        pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
        pdf.rect(72, 72, 300, 500, stroke=1, fill=1)
        pdf.showPage()
        pdf.save()
        return path

    return write
