"""The text layer of an OFD file (GB/T 33190): per page, its text lines with their place on the page.

An OFD is a zip of XML files. ``OFD.xml`` names the document (``DocBody/DocRoot``, usually
``Doc_0/Document.xml``); the document lists its pages in order (``Pages/Page@BaseLoc``, each a
``Content.xml``) and the template pages they draw on (``CommonData/TemplatePage``, usually the
running header and footer); a page's text is its ``TextObject`` elements, in layers and page blocks.

Coordinates in OFD are millimetres with the origin at the page's top-left corner and Y growing
down, so "from the top edge" needs no flip. A TextObject's ``Boundary`` ("x y w h") places its own
coordinate space on the page; its optional ``CTM`` ("a b c d e f") maps that space into the
boundary's (x' = a·x + c·y + e, y' = b·x + d·y + f), and ``Size`` is the type size in that space.
Each ``TextCode`` sets its first glyph's *baseline* origin at (X, Y) in object space; ``DeltaX``
lists the advances from each glyph to the next, where ``g N D`` stands for N advances of D (a
glyph past the list's end advances by the last value; with no list, by a nominal 1 em for CJK and
½ em for Latin). A TextCode without X or Y continues from where the previous one ended.

Lines are the glyphs sharing a baseline, ordered by X, top to bottom. Where glyphs stand apart a
space is put between them (three for a gap of a column's width, as extract.pdf does), since OFD
producers leave word gaps as gaps, not space glyphs. All figures come out in points (1/72 inch,
as the PDF reader gives them) from the page's top and left edges, and a line's box is the em box of
its type: top = baseline - 0.88 · size, bottom = baseline + 0.12 · size, so bottom - top is the
type size. Template text is included (it is what a viewer shows on the page); annotations,
signatures and composite objects are not. Vertical text (DeltaY) comes out a glyph to a line.
"""

from __future__ import annotations

import io
import math
import posixpath
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from gazettekg.extract.errors import InputError

POINTS_PER_MM = 72 / 25.4
ASCENT, DESCENT = 0.88, 0.12  # the em box around a baseline, in type sizes
A4 = (210.0, 297.0)  # millimetres, when a document gives no page size
MAX_MEMBER = 256 * 1024 * 1024  # an XML part inflating past this is a zip bomb, not a gazette
SAME_LINE = 0.3  # baselines closer than this (in type sizes) are one line
WORD_GAP = 0.35  # a gap between glyphs wider than this (in type sizes) reads as a space
COLUMN_GAP = 1.4  # ... and wider than this as a column gap (three spaces), as extract.pdf has it
LETTER_SPACING = 0.6  # inside one TextCode only a wider step than this past the glyph is a space

Line = tuple[str, float, float, float, float]  # text, top, bottom, left, right: points


@dataclass(frozen=True, slots=True)
class OfdPage:
    number: int  # 1-based, in the document's page order
    width: float  # points
    height: float  # points
    lines: list[Line]


def ofd_pages(data: bytes, name: str) -> list[tuple[int, list[Line]]]:
    """Per page (1-based number, every page of the document, empty ones with no lines), its text
    lines in reading order as (text, top, bottom, left, right) in points from the page's top and
    left edges. Raises InputError for a file that is not a readable OFD or holds no text."""
    return [(page.number, page.lines) for page in read_ofd(data, name)]


def read_ofd(data: bytes, name: str) -> list[OfdPage]:
    """``ofd_pages`` with each page's size (points), which deciding what sits at a page's edge needs."""
    package = _Package(data, name)
    root = package.xml("OFD.xml", "OFD.xml")
    doc_root = next((_text(el) for el in _iter(root, "DocRoot") if _text(el)), "")
    if not doc_root:
        raise InputError(name, "corrupt OFD (OFD.xml names no document: no DocBody/DocRoot)")
    doc_path = package.resolve("OFD.xml", doc_root)
    document = package.xml(doc_path, "the document")
    default_box = _page_box(_child(_child(document, "CommonData"), "PageArea"), A4)
    templates = {el.get("ID"): package.resolve(doc_path, el.get("BaseLoc", ""))
                 for el in _iter(_child(document, "CommonData"), "TemplatePage") if el.get("BaseLoc")}
    page_refs = [el for el in _iter(_child(document, "Pages"), "Page") if el.get("BaseLoc")]
    if not page_refs:
        raise InputError(name, "the OFD has no pages")
    pages = []
    template_cache: dict[str, list[_Glyph]] = {}
    for number, ref in enumerate(page_refs, start=1):
        page_path = package.resolve(doc_path, ref.get("BaseLoc", ""))
        page = package.xml(page_path, f"page {number}")
        width, height = _page_box(_child(page, "Area"), default_box)
        glyphs = []
        for use in _iter(page, "Template"):
            template_path = templates.get(use.get("TemplateID"))
            if template_path is None:
                continue
            if template_path not in template_cache:
                template_cache[template_path] = _page_glyphs(package.xml(template_path, f"a template of page {number}"))
            glyphs += template_cache[template_path]
        glyphs += _page_glyphs(page)
        pages.append(OfdPage(number, width * POINTS_PER_MM, height * POINTS_PER_MM, _lines(glyphs)))
    if not any(page.lines for page in pages):
        raise InputError(name, "the OFD has no text layer (a scanned document?)")
    return pages


# ---- the package ------------------------------------------------------------------------------


class _Package:
    """The zip's parts by path, looked up as OFD locations (ST_Loc) are written."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
            raise InputError(name, "corrupt OFD (not a readable zip)") from error
        self.members = {info.filename.replace("\\", "/").lstrip("/"): info for info in self.zip.infolist()}
        self.folded = {path.lower(): path for path in self.members}
        if "ofd.xml" not in self.folded:
            raise InputError(name, "not an OFD (the zip has no OFD.xml)")

    def resolve(self, base: str, location: str) -> str:
        """An ST_Loc: absolute from the package root when it starts with "/", else relative to the
        folder of the part ``base`` that names it."""
        location = location.strip().replace("\\", "/")
        path = location if location.startswith("/") else posixpath.join(posixpath.dirname(base), location)
        return posixpath.normpath("/" + path).lstrip("/")

    def xml(self, path: str, what: str) -> ElementTree.Element:
        info = self.members.get(path) or self.members.get(self.folded.get(path.lower(), ""))
        if info is None:
            raise InputError(self.name, f"corrupt OFD ({what}, {path}, is missing from the package)")
        if info.file_size > MAX_MEMBER:
            raise InputError(self.name, f"corrupt OFD ({what}, {path}, is implausibly large)")
        try:
            raw = self.zip.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
                RuntimeError) as error:
            # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
            raise InputError(self.name, "corrupt OFD (not a readable zip)") from error
        try:
            return ElementTree.fromstring(raw)
        except ElementTree.ParseError as error:
            if any(path.rsplit("/", 1)[-1] == "encryptions.xml" for path in self.folded):
                raise InputError(self.name, "the OFD is encrypted") from error
            raise InputError(self.name, f"corrupt OFD ({what}, {path}, is not well-formed XML: {error})") from error


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _iter(element: ElementTree.Element | None, name: str):
    """Descendants named ``name`` in any namespace (producers differ in prefix and namespace)."""
    if element is None:
        return
    for el in element.iter():
        if _local(el.tag) == name:
            yield el


def _child(element: ElementTree.Element | None, name: str) -> ElementTree.Element | None:
    if element is None:
        return None
    return next((el for el in element if _local(el.tag) == name), None)


def _text(element: ElementTree.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _numbers(value: str | None) -> list[float]:
    out = []
    for token in (value or "").replace(",", " ").split():
        try:
            number = float(token)
        except ValueError:
            return []
        if not math.isfinite(number):
            return []
        out.append(number)
    return out


def _page_box(area: ElementTree.Element | None, default: tuple[float, float]) -> tuple[float, float]:
    """A page area's PhysicalBox width and height (mm), or ``default``."""
    box = _numbers(_text(_child(area, "PhysicalBox")))
    return (box[2], box[3]) if len(box) == 4 and box[2] > 0 and box[3] > 0 else default


# ---- glyphs and lines -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Glyph:
    char: str
    x: float  # baseline origin on the page, mm
    y: float
    size: float  # type size on the page, mm
    width: float  # nominal advance on the page, mm
    run: int  # which TextCode it came from
    index: int  # its place in that TextCode


def _deltas(value: str | None) -> list[float]:
    """A DeltaX/DeltaY list, ``g N D`` expanded to N copies of D."""
    tokens = (value or "").split()
    out: list[float] = []
    k = 0
    while k < len(tokens):
        try:
            if tokens[k] == "g" and k + 2 < len(tokens):
                out += [float(tokens[k + 2])] * max(0, min(int(float(tokens[k + 1])), 100_000))
                k += 3
                continue
            out.append(float(tokens[k]))
        except ValueError:
            pass  # a malformed token: skip it rather than lose the text
        k += 1
    return [d if math.isfinite(d) else 0.0 for d in out]


def _nominal(ch: str) -> float:
    """An advance in ems when the file gives none: 1 for CJK and full-width, ½ otherwise."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5


def _page_glyphs(page: ElementTree.Element) -> list[_Glyph]:
    glyphs: list[_Glyph] = []
    run = 0
    for obj in _iter(_child(page, "Content"), "TextObject"):
        boundary = _numbers(obj.get("Boundary"))
        bx, by = (boundary[0], boundary[1]) if len(boundary) == 4 else (0.0, 0.0)
        ctm = _numbers(obj.get("CTM"))
        a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        size = (_numbers(obj.get("Size")) or [0.0])[0]
        size = size if size > 0 else 3.5
        scale_x, scale_y = math.hypot(a, b) or 1.0, math.hypot(c, d) or 1.0
        x = y = 0.0
        for code in _iter(obj, "TextCode"):
            text = code.text or ""
            run += 1
            x = (_numbers(code.get("X")) or [x])[0]
            y = (_numbers(code.get("Y")) or [y])[0]
            dx, dy = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
            for k, ch in enumerate(text):
                if ch in "\r\n\t":
                    continue
                glyphs.append(_Glyph(ch, bx + a * x + c * y + e, by + b * x + d * y + f, size * scale_y,
                                     _nominal(ch) * size * scale_x, run, k))
                x += dx[k] if k < len(dx) else dx[-1] if dx else _nominal(ch) * size
                y += dy[k] if k < len(dy) else dy[-1] if dy else 0.0
    return glyphs


def _lines(glyphs: list[_Glyph]) -> list[Line]:
    """Glyphs sharing a baseline joined into lines, ordered by X; lines top to bottom."""
    rows: list[list[_Glyph]] = []
    anchor = 0.0
    for glyph in sorted(glyphs, key=lambda g: g.y):
        if rows and glyph.y - anchor <= SAME_LINE * max(glyph.size, rows[-1][0].size):
            rows[-1].append(glyph)
        else:
            rows.append([glyph])
            anchor = glyph.y
    lines = []
    for row in rows:
        row.sort(key=lambda g: g.x)
        text = _join(row)
        if not text.strip():
            continue
        inked = [g for g in row if not g.char.isspace()]
        top = min(g.y - ASCENT * g.size for g in inked)
        bottom = max(g.y + DESCENT * g.size for g in inked)
        left = min(g.x for g in inked)
        right = max(g.x + g.width for g in inked)
        lines.append((text.strip(), top * POINTS_PER_MM, bottom * POINTS_PER_MM, left * POINTS_PER_MM,
                      right * POINTS_PER_MM))
    return lines


def _join(row: list[_Glyph]) -> str:
    parts: list[str] = []
    previous: _Glyph | None = None
    for glyph in row:
        if previous is not None:
            gap = (glyph.x - previous.x - previous.width) / max(previous.size, glyph.size)
            if glyph.char == previous.char and glyph.x - previous.x < SAME_LINE * glyph.size:
                continue  # drawn twice over itself (a producer's fake bold): one character
            same_code = glyph.run == previous.run and glyph.index == previous.index + 1
            if not (previous.char.isspace() or glyph.char.isspace()):
                if gap > COLUMN_GAP:
                    parts.append("   ")
                elif gap > (LETTER_SPACING if same_code else WORD_GAP):
                    parts.append(" ")
        parts.append(glyph.char)
        previous = glyph
    return "".join(parts)
