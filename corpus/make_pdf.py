"""Render a gazette's plain text as an A4 PDF gazette, to exercise the PDF side of the input edge.

    python -m gazettekg.corpus.make_pdf [SRC] [DEST]

defaults to corpus/gazette-2022-01.txt -> corpus/gazette-2022-01.pdf. The text's own running
headers and page-number footers are dropped (by the same rules read_pages uses); every other
non-empty line becomes one PDF line, right-aligned when the source pushed it right with spaces
(signatures and dates), ``LINES_PER_PAGE`` to a page, under a running header with the issue's name
and over a centred ``—  N  —`` page number. Output is byte-for-byte deterministic, so the PDF can
be committed and regenerated without a diff. The font is reportlab's built-in CID font
STSong-Light, which PDF readers supply themselves: nothing is embedded or installed.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from gazettekg.extract.charfold import fold_characters
from gazettekg.extract.pages import is_issue_header, normalize_line, split_text_pages

CORPUS = Path(__file__).resolve().parent
DEFAULT_SOURCE = CORPUS / "gazette-2022-01.txt"
DEFAULT_DEST = CORPUS / "gazette-2022-01.pdf"

FONT = "STSong-Light"
LINES_PER_PAGE = 40
BODY_SIZE = 10.5  # 五号, the size gazettes print body text in
LINE_PITCH = 16.0
MARGIN_X = 62.0  # about 22 mm, so a 42-character line of 10.5 pt type fits between the margins
BODY_TOP = 100.0  # first baseline, from the top edge: clear of pages.EDGE_BAND (8 % = 67 pt of A4)
HEADER_BASELINE = 45.0  # from the top edge
FOOTER_BASELINE = 40.0  # from the bottom edge
# Source lines pushed right by this many spaces are right-aligned (signatures, dates); fewer
# spaces are an indent (the continuation lines of an 附件 list).
RIGHT_ALIGN_SPACES = 40


@dataclass(frozen=True, slots=True)
class PdfLine:
    text: str
    indent: int = 0  # leading spaces in the source line
    right: bool = False


def layout_lines(text: str) -> list[PdfLine]:
    """The body lines of a gazette's text, headers and footers dropped, with their alignment."""
    lines = []
    for _, page_lines in split_text_pages(text):
        for line in page_lines:
            if not line:
                continue  # a paragraph gap: the PDF shows none
            expanded = line.replace("\t", "    ").replace("\u3000", "  ")
            indent = len(expanded) - len(expanded.lstrip(" "))
            # pdfminer (pdfplumber) drops U+00B7 set in STSong-Light without a trace, yet reads the
            # same glyph by its other code point U+30FB; read_pages turns both back into U+00B7.
            # The line as written, its inner spacing kept: a run of spaces aligns table columns.
            printed = fold_characters(line).strip().replace("\t", "    ").replace("\u00b7", "\u30fb")
            lines.append(PdfLine(printed, indent, indent >= RIGHT_ALIGN_SPACES))
    return lines


def running_header(text: str, fallback: str) -> str:
    """The issue line the text itself carries as running header ("重庆市人民政府公报 2022 年第 1 期")."""
    for line in text.splitlines():
        if is_issue_header(normal := normalize_line(line)):
            return normal
    return fallback


def _draw_spaced(pdf, x: float, y: float, text: str, size: float) -> None:
    """Draw a line whose runs of spaces align columns (分  类 指    标): each run is a gap of half an
    em per space, as a monospaced text shows it, not a narrow space glyph."""
    from reportlab.pdfbase import pdfmetrics

    for k, part in enumerate(re.split(r"( {2,})", text)):
        if k % 2:
            x += len(part) * size / 2
        elif part:
            pdf.drawString(x, y, part)
            x += pdfmetrics.stringWidth(part, FONT, size)


def render_pdf(lines: list[PdfLine], dest: Path, header: str, lines_per_page: int = LINES_PER_PAGE) -> int:
    """Write ``lines`` as an A4 gazette to ``dest``; returns the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    width, height = A4
    usable = width - 2 * MARGIN_X
    widest = max((pdfmetrics.stringWidth(line.text, FONT, 1.0) for line in lines), default=1.0)
    size = min(BODY_SIZE, usable / widest)  # one source line must stay one printed line

    pdf = canvas.Canvas(str(dest), pagesize=A4, invariant=1, pageCompression=1)
    pdf.setTitle(header)
    pdf.setCreator("gazettekg.corpus.make_pdf")
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    for number, page in enumerate(pages, start=1):
        pdf.setFont(FONT, 9)
        pdf.drawCentredString(width / 2, height - HEADER_BASELINE, header)
        pdf.setLineWidth(0.6)
        pdf.line(MARGIN_X, height - HEADER_BASELINE - 6, width - MARGIN_X, height - HEADER_BASELINE - 6)
        pdf.setFont(FONT, size)
        for row, line in enumerate(page):
            y = height - BODY_TOP - row * LINE_PITCH
            if line.right:
                pdf.drawRightString(width - MARGIN_X, y, line.text)
                continue
            line_width = pdfmetrics.stringWidth(line.text, FONT, size)
            indent = min(line.indent * size / 2, max(0.0, usable - line_width))
            _draw_spaced(pdf, MARGIN_X + indent, y, line.text, size)
        pdf.setFont(FONT, 10.5)
        pdf.drawCentredString(width / 2, FOOTER_BASELINE, f"—  {number}  —")
        pdf.showPage()
    pdf.save()
    return len(pages)


def make_pdf(source: Path = DEFAULT_SOURCE, dest: Path = DEFAULT_DEST) -> int:
    """Render the gazette text at ``source`` as a PDF at ``dest``; returns the number of pages."""
    text = source.read_text(encoding="utf-8-sig")
    return render_pdf(layout_lines(text), dest, running_header(text, fallback=source.stem))


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 2:
        raise SystemExit("usage: python -m gazettekg.corpus.make_pdf [SRC] [DEST]")
    source = Path(args[0]) if args else DEFAULT_SOURCE
    dest = Path(args[1]) if len(args) > 1 else source.with_suffix(".pdf") if args else DEFAULT_DEST
    pages = make_pdf(source, dest)
    print(f"{dest}: {pages} pages")


if __name__ == "__main__":
    main()
