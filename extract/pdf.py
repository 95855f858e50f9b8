"""PDF text layers -> pages of body lines, each with its place on the page.

Both readers (pypdfium2, fast; pdfplumber) give the same thing: per page, the text lines in
reading order with their box (top-down points) and type size. Position then decides what the
text alone cannot:

- Running headers and footers sit apart from the body, in the top and bottom bands of the page
  (gazette headers 10–20 mm from the edge, the type area from about 30 mm). A line in a band is
  dropped when a gap wider than the body's line pitch separates it from the body; a line that
  continues the body's flow into the band (a browser print's small margins) stays.
- A line's indentation (from the body's left margin, in characters of its own size) and a wider
  gap above it mark paragraph starts, as 　　 and empty lines do in text.
"""

from __future__ import annotations

import io
import itertools
import statistics
from dataclasses import dataclass

from gazettekg.extract.errors import InputError
from gazettekg.records import LineLayout

# Share of the page height, at the top and at the bottom, where running headers and footers sit.
EDGE_BAND = 0.08


@dataclass(frozen=True, slots=True)
class PlacedLine:
    text: str
    top: float  # from the page's top edge, points
    bottom: float
    left: float
    size: float  # type size, points
    right: float = 0.0
    row: bool = False  # a table row: its cells' texts joined by TAB (extract.pdftables)
    # A text line read into a table's cell: its text is in the row; it stays (text emptied) so that
    # the page's line pitch, type size and margin are measured as before the table was read.
    cell: bool = False


@dataclass(frozen=True, slots=True)
class PdfPage:
    height: float
    lines: list[PlacedLine]


def check_pdf_bytes(data: bytes, name: str) -> None:
    # Readers repair truncated files silently and return what they could read; a gazette with
    # its last pages missing must not pass for a whole one. %%EOF closes every complete PDF.
    if b"%%EOF" not in data[-4096:]:
        raise InputError(name, "the PDF is truncated or corrupt (no %%EOF end marker)")


def pdfium_pages(data: bytes, name: str) -> list[PdfPage]:
    """The text lines of every page, read with pypdfium2; ruled tables as one line a row."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from gazettekg.extract.pdftables import (
        PageFrame,
        TextLayer,
        join_page_tables,
        pdfium_strays,
        pdfium_tables,
        place_rows,
    )

    check_pdf_bytes(data, name)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if error.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise InputError(name, "the PDF is encrypted (it needs a password to open)") from error
        if error.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise InputError(name, "the PDF uses an unsupported security handler") from error
        raise InputError(name, f"not a readable PDF ({error})") from error
    try:
        read = []
        for page in document:
            frame = PageFrame(*page.get_bbox(), rotation=page.get_rotation() % 360)
            textpage = page.get_textpage()
            layer = TextLayer(textpage, frame, pdfium_c, *pdfium_strays(textpage, pdfium_c))
            spans: list[tuple[int, int, float, float, float, bool]] = []
            lines = _pdfium_lines(layer, pdfium_c, spans)
            read.append((frame.height, lines, pdfium_tables(page, frame, lines, spans, layer, pdfium_c)))
            textpage.close()
            page.close()
        join_page_tables(read)
        return [PdfPage(height, place_rows(lines, tables)) for height, lines, tables in read]
    except pdfium.PdfiumError as error:
        raise InputError(name, f"not a readable PDF ({error})") from error
    finally:
        document.close()


def _pdfium_lines(layer, pdfium_c, spans: list | None = None) -> list[PlacedLine]:
    """Lines of a pdfium text page (``layer``, an extract.pdftables.TextLayer: its text, watermark
    blanked, and character boxes on the page as displayed): the text split at its line breaks, each
    placed by the boxes of its first, middle and last characters (a few calls a line, not one a
    character). ``spans`` receives, for each line, its characters' range in the text page, how far
    up and down the sampled ones reach, and whether they run left to right on one baseline
    (pdfium now and then runs text of two table rows into one line)."""
    charbox, text, raw = layer.charbox, layer.text, layer.raw
    lines = []
    start = 0
    for piece in text.split("\r\n"):
        end = start + len(piece)
        lead = len(piece) - len(piece.lstrip())
        chars = [k for k in (start + lead, (start + end) // 2, end - 1)
                 if start <= k < end and not piece[k - start].isspace()]
        if chars:
            boxes = [charbox(k) for k in chars]
            size = pdfium_c.FPDFText_GetFontSize(raw, chars[0])
            if size < 3:  # a font scaled by its matrix reports size 1: the font box tells the real one
                loose = charbox(chars[0], True)
                size = loose[3] - loose[1]
            centre = statistics.median((b[1] + b[3]) / 2 for b in boxes)
            if " " in piece.strip():
                piece = _wide_gaps(piece, start, size, charbox)
            lines.append(PlacedLine(piece, centre - size / 2, centre + size / 2, boxes[0][0], size, boxes[-1][2]))
            if spans is not None:
                # The line's true end for the table reader: its last visible character (a line ending
                # in a space was placed by its first and middle ones only).
                last = end - 1 - (len(piece) - len(piece.rstrip()))
                if last != chars[-1] and last > chars[0]:
                    boxes.append(charbox(last))
                middles = [(b[1] + b[3]) / 2 for b in boxes]
                regular = max(middles) - min(middles) <= 0.5 * size \
                    and all(a[0] <= b[0] + 1 for a, b in itertools.pairwise(boxes))
                spans.append((start, end, min(b[1] for b in boxes), max(b[3] for b in boxes), boxes[-1][2], regular))
        elif piece.strip() == "":
            lines.append(PlacedLine("", 0.0, 0.0, 0.0, 0.0))
            if spans is not None:
                spans.append((start, end, 0.0, 0.0, 0.0, True))
        start = end + 2
    return lines


def _wide_gaps(piece: str, start: int, size: float, charbox) -> str:
    """A space standing for a wide horizontal gap (table columns set apart, or two names side by
    side) becomes three, as such a gap reads in text, so that extract.pages.normalize_line treats
    both alike; a word space stays one. Only lines holding spaces pay the look-ups."""
    out = list(piece)
    for k, ch in enumerate(piece):
        if ch != " " or k == 0 or k + 1 >= len(piece) or piece[k - 1] == " " or piece[k + 1] == " ":
            continue
        gap = charbox(start + k + 1, True)[0] - charbox(start + k - 1, True)[2]
        if gap > 1.4 * size:
            out[k] = "   "
    return "".join(out)


def _plumber_line_text(line: dict) -> str:
    """A pdfplumber line's text rebuilt from its characters: a word space where they stand apart, three
    spaces where the gap is wide (_wide_gaps)."""
    chars = [c for c in line.get("chars") or [] if c["text"].strip()]
    if not chars:
        return line["text"]
    out = [chars[0]["text"]]
    for previous, char in itertools.pairwise(chars):
        gap = char["x0"] - previous["x1"]
        size = char.get("size") or 10.0
        out.append("   " if gap > 1.4 * size else " " if gap > 0.2 * size else "")
        out.append(char["text"])
    return "".join(out)


def pdfplumber_pages(data: bytes, name: str) -> list[PdfPage]:
    """The text lines of every page, read with pdfplumber; ruled tables as one line a row, found by
    the same grid code as pdfium's (extract.pdftables), so that both engines give the same rows."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    from gazettekg.extract.pdftables import join_page_tables, place_rows, plumber_tables

    check_pdf_bytes(data, name)
    try:
        with pdfplumber.open(io.BytesIO(data)) as document:
            read = []
            for page in document.pages:
                lines = [PlacedLine(_plumber_line_text(line), line["top"], line["bottom"], line["x0"],
                                    line["chars"][0]["size"] if line.get("chars") else line["bottom"] - line["top"],
                                    line["x1"])
                         for line in page.extract_text_lines(strip=False)]
                read.append((float(page.height), lines, plumber_tables(page, lines)))
                page.close()
            join_page_tables(read)
            return [PdfPage(height, place_rows(lines, tables)) for height, lines, tables in read]
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect):
            raise InputError(name, "the PDF is encrypted (it needs a password to open)") from error
        raise InputError(name, f"not a readable PDF ({cause!r})") from error
    except InputError:
        raise
    except Exception as error:  # pdfminer raises bare parser errors from deep inside on broken files
        raise InputError(name, f"not a readable PDF ({error!r})") from error


def body_lines(page: PdfPage) -> list[tuple[str, LineLayout]]:
    """The page's body lines with their layout: running header and footer dropped by position.

    Table rows (``PlacedLine.row``, extract.pdftables) are body wherever they stand. The page is
    measured (line pitch, type size, what runs on into the edge bands, the left margin) on its text
    lines, those read into table cells included, as it was before its tables were read; a row,
    like the line after one, opens a paragraph (a gap above it)."""
    measured = [line for line in page.lines if (line.text.strip() or line.cell) and not line.row]
    if not measured and not any(line.row for line in page.lines):
        return []
    band = page.height * EDGE_BAND
    inside = [line for line in measured if band <= (line.top + line.bottom) / 2 <= page.height - band]
    if measured:
        pitch = _pitch(inside or measured)
    else:
        pitch = 1.5 * statistics.median(line.size for line in page.lines if line.row)
    body_size = statistics.median(line.size for line in inside) if inside else 0.0
    keep = {id(line) for line in inside} if inside else {id(line) for line in measured}
    grew = True
    while grew:  # the body runs on into the band, line by line; a header or footer stands apart
        grew = False
        for line in measured:
            if id(line) in keep:
                continue
            centre = (line.top + line.bottom) / 2
            reach = 2.5 * pitch if line.size >= 0.85 * body_size else 1.2 * pitch
            if any(abs(centre - (other.top + other.bottom) / 2) <= reach for other in measured if id(other) in keep):
                keep.add(id(line))
                grew = True
    margin = _left_margin([line for line in measured if id(line) in keep])
    out = []
    previous: PlacedLine | None = None
    for line in page.lines:
        if not line.row and (line.cell or not line.text.strip() or id(line) not in keep):
            continue
        size = line.size or pitch or 10.0
        indent = max(0.0, (line.left - margin) / size) if margin is not None else 0.0
        gap = previous is not None and (line.top + line.bottom) / 2 - (previous.top + previous.bottom) / 2 > 1.3 * pitch
        if line.row or (previous is not None and previous.row):
            gap = True
        out.append((line.text, LineLayout(round(indent * 2) / 2, gap)))
        previous = line
    return out


def _pitch(lines: list[PlacedLine]) -> float:
    """The distance between consecutive lines of a paragraph: a low percentile of the steps down the
    page (not the median: on a page of one-line paragraphs most steps cross a paragraph gap)."""
    centres = sorted((line.top + line.bottom) / 2 for line in lines)
    steps = sorted(b - a for a, b in itertools.pairwise(centres) if b - a > 0.3 * (lines[0].size or 1))
    if steps:
        return steps[len(steps) // 4]
    return 1.5 * statistics.median(line.size for line in lines) if lines else 12.0


def _left_margin(lines: list[PlacedLine]) -> float | None:
    """The body's left edge: the leftmost position several full lines start at (to a point). Not
    the most common start: on a page of short paragraphs most lines are indented first lines; and
    only full lines, so that a sidebar or navigation set further left does not count."""
    if not lines:
        return None
    rights = sorted(line.right for line in lines)
    right = rights[int(0.9 * (len(rights) - 1))]
    full = [line for line in lines if line.right >= right - 2 * (line.size or 10.0)] or lines
    counts: dict[int, int] = {}
    for line in full:
        counts[round(line.left)] = counts.get(round(line.left), 0) + 1
    shared = [x for x, n in counts.items() if n >= max(2, 0.05 * len(full))]
    if not shared:
        return float(max(counts, key=lambda x: (counts[x], -x)))
    return float(min(shared))
