"""The input edge: a gazette file (PDF or plain text) to its pages of body text.

Running headers (the gazette's name and issue) and page-number footers are removed here, so
every later stage sees only the documents' own lines. PDFs lose them by position (the top and
bottom bands of the page); plain text by pattern (centred page numbers end a page, lines such
as ``XX省人民政府公报 2023年第5期`` and short lines recurring at page edges are dropped).

Both kinds end in the same normal form: a page's non-empty lines, each stripped, whitespace runs
(U+3000 included) collapsed to one ASCII space, joined with ``\\n``. A gazette's .txt and its PDF
therefore give the same lines, and the later stages the same facts.
"""

from __future__ import annotations

import math
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from gazettekg.extract.charfold import fold_characters
from gazettekg.extract.errors import InputError, InputWarning
from gazettekg.extract.markdown import looks_like_markdown, markdown_to_text
from gazettekg.extract.pdf import EDGE_BAND, PdfPage, PlacedLine, body_lines, pdfium_pages, pdfplumber_pages
from gazettekg.extract.webpage import html_lines, looks_like_html
from gazettekg.extract.word import convert_with_libreoffice, docx_lines
from gazettekg.records import LineLayout, Page

ENGINES = ("pdfium", "pdfplumber")

_DASHES = "-‐‑‒–—―─－﹣"
_PAGE_NUMBER_FOOTER = re.compile(
    rf"^(?:[{_DASHES}]{{1,3}} ?(\d{{1,4}}) ?[{_DASHES}]{{1,3}}"  # —  7  —   - 7 -   －7－
    r"|第 ?(\d{1,4}) ?页(?: ?[,，/]? ?共 ?\d{1,4} ?页)?"  # 第 7 页 / 第7页 共40页
    r"|·(\d{1,4})·|· (\d{1,4}) ·)$"  # ·7·
)
_BARE_PAGE_NUMBER = re.compile(r"^(\d{1,4})$")
_NUMERAL = r"[0-9０-９一二三四五六七八九十〇零]{1,4}"
_ISSUE = rf"\d{{4}} ?年 ?第 ?{_NUMERAL} ?[期号](?: ?[(（]总第 ?{_NUMERAL} ?[期号][)）])?"
# "重庆市人民政府公报 2022 年第 1 期", "国务院公报 2021 年第 12 号", and the order of even pages:
# "2023年第5期 XX省人民政府公报". The name must end in 公报 so that a sentence citing an issue
# ("刊登在……公报2022年第1期上") is never taken for the header.
_ISSUE_HEADER = re.compile(
    rf"^(?:[^\s，。；：、]{{0,30}}公报 ?[·|｜]? ?{_ISSUE}|{_ISSUE} ?[·|｜]? ?[^\s，。；：、]{{0,30}}公报)$"
)
# Running lines are short; a body line recurring at page edges is long (a repeated sentence).
_RUNNING_LINE_MAX = 40
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")
# A gap of three spaces or more (two ideographic ones) sets columns apart; two spaces are a title's
# or a Word export's spacing.
_NARROW_GAP = re.compile(r"(?<![ \u00a0])[ \u00a0]{2}(?![ \u00a0\u3000])")
_WIDE_GAP = re.compile(r"[ \u00a0]{3,}|\u3000[ \u3000\u00a0]+|[ \u00a0]\u3000[ \u3000\u00a0]*")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A single space between two ideographs is where an HTML source wrapped (民政 部门, 各级政府 要)
# or a letter-spaced heading (重 庆 市 人 民 政 府 令): never a word boundary in Chinese.
_STRAY_SPACE = re.compile(f"(?<=[{_HAN}]) (?=[{_HAN}])")
# Browser prints carry a URL header and a "1 of 5 … 11/18/2015 05:28 PM" footer on every page.
_PRINT_FURNITURE = re.compile(
    r"^(?:(?:https?://|www\.)\S+"
    r"|\d{1,4} ?(?:of|/) ?\d{1,4}(?: .{0,120})?\d{1,2}:\d{2}(?::\d{2})? ?(?:[AaPp][Mm])?"
    r"|\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}(?::\d{2})? ?(?:[AaPp][Mm])?(?: .{0,120})?"
    r"|第 ?\d{1,4} ?页 ?[,，/]? ?共 ?\d{1,4} ?页(?: .{0,40}\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|.{0,120}(?:\.\.\.|…) ?(?:https?://|www\.)\S+)$"
)

OCR_MODES = ("auto", "always", "never")


def read_pages(path: Path, engine: str = "pdfium", ocr: str = "auto",
               on_ocr_page: Callable[[int, int], object] | None = None, strict: bool = False) -> list[Page]:
    """Read a gazette file into its pages of body text, running headers and footers removed.

    The format is read from the content, not the name: a PDF (``%PDF``), a Word file (a zip
    holding word/document.xml; .doc and .wps through LibreOffice), an OFD (a zip holding OFD.xml),
    a saved web page (HTML), Markdown, or plain text (UTF-8, else GB18030). ``engine`` chooses the
    PDF text layer reader: ``"pdfium"`` (fast) or ``"pdfplumber"``; both give the same pages.
    ``ocr`` says which PDF pages are recognised from their images (extract.ocr): ``"auto"`` those
    without a text layer (scans, an image-only cover), ``"always"`` every page, ``"never"`` none;
    ``on_ocr_page(done, total)`` is called as each recognised page finishes.
    A PDF that needed repair to be read is reported with an InputWarning naming the pages whose
    text may be incomplete (extract.pdfcheck); ``strict`` makes that an InputError.
    Pages with no body text are left out, so numbers may skip. Raises InputError for a file that
    is empty, corrupt, truncated, encrypted, scanned or not text.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if ocr not in OCR_MODES:
        raise ValueError(f"unknown OCR mode {ocr!r}; choose one of {', '.join(OCR_MODES)}")
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(name, f"cannot read the file ({error.strerror or error})") from error
    if not data.strip():
        raise InputError(name, "empty file")
    if is_pdf(data):
        reader = pdfium_pages if engine == "pdfium" else pdfplumber_pages
        pages = _pdf_pages(_with_ocr(reader(data, name), data, name, ocr, on_ocr_page), name)
        _report_damage(data, name, strict)
        return pages
    if data[:4] == b"PK\x03\x04":
        return _zip_pages(data, name)
    if data[:8] == OLE_MAGIC:  # a .doc or .wps (Word 97 / WPS): LibreOffice makes it a .docx
        suffix = Path(path).suffix.lower() if Path(path).suffix.lower() in (".doc", ".wps") else ".doc"
        return _lines_pages(docx_lines(convert_with_libreoffice(data, name, suffix), name))
    text = decode_text(data, name)
    if looks_like_html(text):
        return _lines_pages(html_lines(text, name))
    if looks_like_markdown(text):
        text = markdown_to_text(text)
    pages = text_pages(text)
    if not pages:
        raise InputError(name, "empty file (nothing but page headers and footers)")
    return pages


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _report_damage(data: bytes, name: str, strict: bool) -> None:
    """Warn about a PDF that was read only after repair (extract.pdfcheck); ``strict`` refuses it."""
    from gazettekg.extract.pdfcheck import check_pdf

    damage = check_pdf(data)
    if damage is None or not damage.damaged:
        return
    if strict:
        raise InputError(name, damage.describe() + " (refused: --strict)")
    warnings.warn(InputWarning(name, damage.describe()), stacklevel=3)


def _zip_pages(data: bytes, name: str) -> list[Page]:
    """A zip container: a Word file (.docx) or an OFD."""
    import io
    import zipfile

    try:
        members = {info.filename.lower() for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    except (zipfile.BadZipFile, ValueError) as error:
        raise InputError(name, f"corrupt zip container (not a readable .docx or .ofd: {error})") from error
    if "word/document.xml" in members:
        return _lines_pages(docx_lines(data, name))
    if "ofd.xml" in members:
        from gazettekg.extract.ofd import read_ofd

        return _placed_pages([(page.height, page.lines) for page in read_ofd(data, name)])
    raise InputError(name, "a zip archive that is neither a Word file (.docx) nor an OFD")


def _with_ocr(pdf_pages: list[PdfPage], data: bytes, name: str, ocr: str,
              on_ocr_page: Callable[[int, int], object] | None) -> list[PdfPage]:
    """The PDF's pages with the ones to recognise (per ``ocr``) read from their images instead."""
    if ocr == "never":
        return pdf_pages
    wanted = [k for k, page in enumerate(pdf_pages)
              if ocr == "always" or not any(line.text.strip() for line in page.lines)]
    if not wanted:
        return pdf_pages
    from gazettekg.extract.ocr import INSTALL_HINT, OcrUnavailable, ocr_pdf_pages

    done = 0

    def finished(_: int) -> None:
        nonlocal done
        done += 1
        if on_ocr_page is not None:
            on_ocr_page(done, len(wanted))

    try:
        recognised = ocr_pdf_pages(data, name, wanted, on_page=finished)
    except OcrUnavailable:
        if len(wanted) == len(pdf_pages) or not any(line.text.strip() for page in pdf_pages for line in page.lines):
            raise InputError(name, f"the PDF has no text layer (a scanned document?); {INSTALL_HINT}") from None
        warnings.warn(InputWarning(name, f"{len(wanted)} page(s) without a text layer were left out "
                                         f"(pages {_page_list(wanted)}); {INSTALL_HINT}"), stacklevel=3)
        return pdf_pages
    pages = list(pdf_pages)
    for k, lines in recognised.items():
        # A drawing read as text (■, ——) is no text: only lines with a letter, digit or ideograph count.
        pages[k] = PdfPage(pages[k].height, [PlacedLine(text, top, bottom, left, bottom - top, right)
                                            for text, top, bottom, left, right in lines if _WORDY.search(text)])
    if not any(line.text.strip() for page in pages for line in page.lines):
        raise InputError(name, "no text found, neither in a text layer nor by OCR (a picture or a drawing?)")
    return pages


_WORDY = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


def _page_list(indexes: list[int], shown: int = 8) -> str:
    numbers = [str(k + 1) for k in indexes[:shown]]
    return ", ".join(numbers) + (" …" if len(indexes) > shown else "")


def _placed_pages(pages: list[tuple[float, list[tuple[str, float, float, float, float]]]]) -> list[Page]:
    """Pages of positioned lines (an OFD's text layer: page height, then (text, top, bottom, left,
    right) in points), read like a PDF's: by position."""
    placed = [PdfPage(height, [PlacedLine(text, top, bottom, left, bottom - top, right)
                               for text, top, bottom, left, right in lines]) for height, lines in pages]
    return _pdf_pages(placed, "")


def _lines_pages(lines: list[str]) -> list[Page]:
    """One page of lines as a reader gives them, "" between paragraphs."""
    return _clean_pages([(1, lines)])


def is_pdf(data: bytes) -> bool:
    return data.lstrip(b"\x00\t\n\r\f ")[:4] == b"%PDF"


# ---- plain text -------------------------------------------------------------------------------


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# Share of control characters above which the bytes are binary data rather than text with strays.
_CONTROL_SHARE = 0.01


def decode_text(data: bytes, name: str = "<text>") -> str:
    """Decode a text file: by its byte-order mark (UTF-8/16/32), else UTF-8, else the Chinese
    encoding the bytes read best in (GB18030/GBK or Big5, judged by charset-normalizer); else
    InputError. Stray control characters (a NUL, ESC or VT in good text) are dropped with an
    ``InputWarning``; text full of them is binary data and refused."""
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as error:
                raise InputError(name, f"not valid {encoding.upper()} text although it starts with its "
                                       f"byte-order mark ({error.reason} at byte {error.start})") from error
            break
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _damaged_utf8(data, name) or _decode_chinese(data, name)
    controls = len(_CONTROL.findall(text))
    if controls:
        if controls > max(8, _CONTROL_SHARE * len(text)):
            raise InputError(name, "binary data, not text (nor a PDF, Word, OFD or web page)")
        warnings.warn(InputWarning(name, f"{controls} control character(s) dropped from the text"), stacklevel=2)
        text = _CONTROL.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _damaged_utf8(data: bytes, name: str) -> str | None:
    """UTF-8 text with a few bad bytes (a flipped bit, a file cut mid-character): the rest is kept,
    the bad bytes become U+FFFD, and a warning says so. None when the bytes are no UTF-8 at all."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad > 1 + len(data) // 1000:
        return None
    warnings.warn(InputWarning(name, f"{bad} byte(s) that are not UTF-8 replaced (a damaged or truncated file?)"),
                  stacklevel=3)
    return text


def _decode_chinese(data: bytes, name: str) -> str:
    """Bytes that are not UTF-8: GB18030 (a superset of GBK and GB2312) or Big5, whichever they read
    as more coherent Chinese; a wrong guess would turn a whole file into plausible-looking garbage."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=["gb18030", "big5"]).best()
    for encoding in ([best.encoding] if best else []) + ["gb18030"]:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputError(name, "not text in UTF-8, UTF-16/32, GB18030/GBK or Big5 (nor a PDF, Word, OFD or web page)")


def text_pages(text: str) -> list[Page]:
    """Split a gazette's plain text into pages of normal-form body text."""
    return _clean_pages(split_text_pages(text))


def split_text_pages(text: str) -> list[tuple[int, list[str]]]:
    """Cut plain text into pages: (page number, the page's non-empty lines as written).

    A page ends at a form feed and at a page-number footer (``—  7  —``, ``- 7 -``, ``第7页``), or
    at a bare number that is the last line before a form feed or the end of the file. The
    footer's printed number becomes the page's number when it continues the sequence; otherwise
    pages are numbered on from the previous one. Footers and gazette issue headers are dropped;
    the lines keep their indentation (corpus/make_pdf.py reads right-aligned signatures from it),
    and an empty line between two lines of a page is kept as "" (a paragraph gap).
    """
    pages: list[tuple[int, list[str]]] = []
    last_number = 0

    def close(lines: list[str], printed: int | None) -> None:
        nonlocal last_number
        number = printed if printed is not None and printed > last_number else last_number + 1
        last_number = number
        while lines and not lines[-1]:
            lines.pop()
        if lines:
            pages.append((number, lines))

    chunks = text.split("\f")
    for chunk_index, chunk in enumerate(chunks):
        lines: list[str] = []
        page_open = False  # anything, even a header, printed since the last page ended
        raw = chunk.split("\n")
        last_filled = max((i for i, line in enumerate(raw) if line.strip()), default=-1)
        for i, line in enumerate(raw):
            normal = normalize_line(line)
            if not normal:
                if lines and lines[-1]:
                    lines.append("")  # an empty line: a paragraph gap in text laid out with them
                continue
            page_open = True
            if is_issue_header(normal):
                continue
            printed = footer_page_number(normal)
            if printed is None and i == last_filled and (bare := _BARE_PAGE_NUMBER.match(normal)):
                printed = int(bare.group(1))
            if printed is not None:
                close(lines, printed)
                lines, page_open = [], False
                continue
            lines.append(line.rstrip())
        # A form feed ends the page in progress, and a form feed between blank chunks is a blank
        # page (it still takes a number); after the last form feed only lines make a page.
        if chunk_index == len(chunks) - 1:
            if lines:
                close(lines, None)
        elif page_open or not chunk.strip():
            close(lines, None)
    return pages


# ---- PDF --------------------------------------------------------------------------------------


def _pdf_pages(pdf_pages: list[PdfPage], name: str) -> list[Page]:
    if not any(line.text.strip() for page in pdf_pages for line in page.lines):
        raise InputError(name, "the PDF has no text layer (a scanned document?) — run with --ocr auto")
    placed = []
    for number, page in enumerate(pdf_pages, start=1):
        lines = [(normal, layout) for text, layout in body_lines(page) if (normal := normalize_line(text))]
        placed.append((number, lines))
    return _drop_running_lines(placed)


# ---- lines ------------------------------------------------------------------------------------


def normalize_line(line: str) -> str:
    """A line in normal form: look-alike characters folded (extract.charfold), stripped, each
    whitespace run collapsed — to a TAB when it holds one, or when it is one of several wide gaps
    (a table's cell boundaries: 序号  任务  牵头单位), else to one space — and a lone space between
    two ideographs removed.
    """
    line = _STRAY_SPACE.sub("", _NARROW_GAP.sub(" ", fold_characters(line).strip()))
    if not line:
        return ""
    columns = len(_WIDE_GAP.findall(line)) >= 2
    return _WHITESPACE.sub(lambda m: "\t" if "\t" in m.group() or (columns and _WIDE_GAP.fullmatch(m.group()))
                           else " ", line)


def indentation(line: str) -> float:
    """The leading indentation of a raw line in character cells (U+3000 = 1, space = ½, TAB = 2)."""
    cells = 0.0
    for ch in line:
        if ch == "\u3000":
            cells += 1
        elif ch in " \u00a0":
            cells += 0.5
        elif ch == "\t":
            cells += 2
        else:
            break
    return cells


def footer_page_number(line: str) -> int | None:
    """The printed page number when a (normalised) line is a page-number footer, else None."""
    match = _PAGE_NUMBER_FOOTER.match(line.replace("\t", " "))
    if match is None:
        return None
    return int(next(group for group in match.groups() if group))


def is_issue_header(line: str) -> bool:
    """Whether a (normalised) line is a gazette's running header: its name with year and issue."""
    return _ISSUE_HEADER.match(line.replace("\t", " ")) is not None


def issue_title(lines: Iterable[str]) -> str | None:
    """The gazette issue named by the first running-header line, spaces removed, if any.

    For the caller that still has the raw lines (before read_pages drops the headers) and wants
    ``IssueExtraction.issue``, e.g. "重庆市人民政府公报2022年第1期".
    """
    for line in lines:
        normal = normalize_line(line)
        if is_issue_header(normal):
            return normal.replace(" ", "")
    return None


def _clean_pages(pages: list[tuple[int, list[str]]]) -> list[Page]:
    """Raw lines (blank lines as "") -> Pages of normal-form lines with their layout."""
    normal_pages: list[tuple[int, list[tuple[str, LineLayout]]]] = []
    for number, raw in pages:
        lines: list[tuple[str, LineLayout]] = []
        gap = False
        for line in raw:
            normal = normalize_line(line)
            if not normal:
                gap = bool(lines)
                continue
            lines.append((normal, LineLayout(indentation(line), gap)))
            gap = False
        normal_pages.append((number, lines))
    return _drop_running_lines(normal_pages)


def _drop_running_lines(pages: list[tuple[int, list[tuple[str, LineLayout]]]]) -> list[Page]:
    running = _running_lines([text for text, _ in lines] for _, lines in pages)

    def keep(line: str) -> bool:
        return not (is_issue_header(line) or footer_page_number(line) is not None
                    or _PRINT_FURNITURE.match(line) or _running_key(line) in running)

    result = []
    for number, lines in pages:
        kept = [(text, layout) for text, layout in lines if keep(text)]
        if kept:
            result.append(Page(number, "\n".join(text for text, _ in kept), tuple(layout for _, layout in kept)))
    return result


def _running_key(line: str) -> str:
    # Exact text: masking digits would make "附件1"/"附件2" or "第1条"/"第2条" opening pages look
    # like one running line. Footers with page numbers are caught by their own patterns.
    return line if len(line) <= _RUNNING_LINE_MAX else ""


def _running_lines(pages: Iterable[list[str]], edge: int = 2) -> set[str]:
    """Short lines that recur among the first or last ``edge`` lines of many pages.

    Needs at least 3 pages and 40 % of them, so a signature or date that happens to open two
    pages is kept while a running title is dropped even when it alternates with another.
    """
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    page_count = 0
    for lines in pages:
        page_count += 1
        tops.update({_running_key(line) for line in lines[:edge]} - {""})
        bottoms.update({_running_key(line) for line in lines[-edge:]} - {""})
    needed = max(3, math.ceil(0.4 * page_count))
    return {key for counts in (tops, bottoms) for key, count in counts.items() if count >= needed}


def read_issue_title(path: Path) -> str | None:
    """The gazette issue named in the running header of a file (PDF top band or text), if any."""
    data = Path(path).read_bytes()
    if data[:4] == b"PK\x03\x04" or data[:8] == OLE_MAGIC:
        return None  # Word and OFD files carry no running header to name the issue
    if not is_pdf(data):
        try:
            return issue_title(decode_text(data, str(path)).splitlines()[:400])
        except InputError:
            return None
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        for index in range(min(3, len(document))):
            page = document[index]
            left, bottom, right, top = page.get_bbox()
            textpage = page.get_textpage()
            header = textpage.get_text_bounded(left, top - (top - bottom) * EDGE_BAND, right, top)
            textpage.close()
            page.close()
            found = issue_title(header.splitlines())
            if found:
                return found
        return None
    finally:
        document.close()
