"""Ruled tables on PDF pages -> one line a row, the row's cells separated by TAB.

A PDF has no tables, only glyphs and strokes. Its text layer read line by line gives a ruled table
cell after cell, column after column, each cell's text wrapped over many lines; the rest of the
pipeline reads tables as Word and web pages give them, one row a line with TABs between cells
(extract.tables). Here the rules drawn on the page make the grid:

- Rules are thin path objects (a stroked line, a hairline rectangle filled) and the straight
  horizontal and vertical strokes of other stroked paths; filled shapes thicker than a rule are
  cell shading, white hairlines the borders of a layout table that has none: no rules. Collinear
  pieces (many generators draw a rule cell by cell) are joined; rules that touch make one table;
  a table needs two columns (a box around a paragraph is no table), and rectangular cells (boxes
  joined by lines are a flow chart).
- The grid's lines are the rules' positions. Where an inner rule is missing, cells are merged: the
  merged cell's text goes in its first (top-left) grid cell, the cells it spans stay empty.
- A cell's text is its text lines, joined without a space (Chinese wraps anywhere) except between
  two Latin words. pdfium's lines mostly keep to one cell and are taken whole (no calls into the
  library); a line that runs over several cells (a header row on one baseline, text of two rows
  run together) is split character by character by the characters' boxes. pdfplumber's cells are
  read from its characters.
- A table row becomes one PlacedLine (``row=True``) where the table's first text line stood in
  reading order; the text lines it replaces stay as ``cell`` lines without text, so that the page
  is measured (line pitch, margin, running header and footer) as before.
- A table running over a page break is one table: on the next page, a repeated header row is
  dropped, and a first row that continues the previous page's last row (its 序号 cell empty, or
  the table left open by the page break) is joined into it.
- A diagonal watermark in the text layer (08's 深 圳 信 访) is left out of the cells.

Both PDF engines feed the same grid code, so both give the same rows. A page without a table pays
one pass over its objects (two ctypes calls each, more for path objects). Coordinates here are the
page as displayed (/Rotate applied), in points from its top-left corner, as PlacedLine's are.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import math
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gazettekg.extract.pdf import PlacedLine

# Positions closer than this (points) are one grid line: the two edges of a thick stroke, a rule
# drawn in pieces a hair apart. Less than any cell: a line of text needs ~8 pt.
SNAP = 3.0
# Collinear pieces with a gap up to this are one rule; rules this close to each other touch.
JOIN = 3.0
# A filled shape at most this thick is a rule (many generators fill hairline rectangles).
THIN = 2.0
# Shorter strokes are glyph parts, ticks or underline dashes, not rules.
MIN_RULE = 4.0
# Path objects with more segments than this are drawings (maps, charts, logos): not decomposed.
MAX_SEGMENTS = 400
# A filled (not stroked) path of many segments smaller than this is a glyph or an icon, not a grid
# of hairline rectangles drawn as one shape: not decomposed (text set as outlines has thousands).
MIN_FILLED_GRID = 50.0

# Running headers and footers stand within this share of the page height from its edges (a little
# more than extract.pdf.EDGE_BAND: a footer's line may reach past it): text there does not stop a
# table from running on over the page break.
RUNNING_BAND = 0.12


Box = tuple[float, float, float, float]  # left, top, right, bottom (displayed page, points)
Region = tuple[int, int, int, int]  # a merged cell: its first row and column, its last row and column
Rule = tuple[float, float, float]  # position across the rule, start, end


# ---- page frame --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageFrame:
    """The page as displayed: PDF user space (y up, maybe /Rotate'd) to points from the top-left.

    On an unrotated page x stays as it is (the text layer's lines have always kept it), y is
    measured down from the top. /Rotate 90 (landscape tables printed on portrait pages) turns the
    user space's y axis into the displayed x axis.
    """

    left: float
    bottom: float
    right: float
    top: float
    rotation: int = 0

    @property
    def height(self) -> float:
        return self.right - self.left if self.rotation in (90, 270) else self.top - self.bottom

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.rotation == 90:
            return y - self.bottom, x - self.left
        if self.rotation == 180:
            return self.right - x, y - self.bottom
        if self.rotation == 270:
            return self.top - y, self.right - x
        return x, self.top - y

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        """A user-space rectangle (pdfium's order) as a displayed box."""
        x0, y0 = self.point(left, bottom)
        x1, y1 = self.point(right, top)
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    def user_box(self, box: Box) -> tuple[float, float, float, float]:
        """A displayed box back in user space: (left, bottom, right, top)."""
        left, top, right, bottom = box
        if self.rotation == 90:
            xs, ys = (top + self.left, bottom + self.left), (left + self.bottom, right + self.bottom)
        elif self.rotation == 180:
            xs, ys = (self.right - left, self.right - right), (top + self.bottom, bottom + self.bottom)
        elif self.rotation == 270:
            xs, ys = (self.right - top, self.right - bottom), (self.top - left, self.top - right)
        else:
            xs, ys = (left, right), (self.top - top, self.top - bottom)
        return min(xs), min(ys), max(xs), max(ys)


# ---- rules -> grids ------------------------------------------------------------------------------


@dataclass(slots=True)
class Rules:
    """A page's rule segments, displayed coordinates: horizontal (y, x0, x1), vertical (x, y0, y1)."""

    horizontal: list[Rule] = field(default_factory=list)
    vertical: list[Rule] = field(default_factory=list)

    def add_segment(self, x0: float, y0: float, x1: float, y1: float) -> None:
        """A straight stroke; only horizontal and vertical ones long enough to be rules count."""
        if abs(y1 - y0) <= 0.5 and abs(x1 - x0) >= MIN_RULE:
            self.horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) <= 0.5 and abs(y1 - y0) >= MIN_RULE:
            self.vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))

    def add_box(self, box: Box, stroked: bool) -> None:
        """A rectangle: a rule when thin; its four edges when stroked; else shading (nothing)."""
        left, top, right, bottom = box
        if bottom - top <= THIN and right - left >= MIN_RULE:
            self.horizontal.append(((top + bottom) / 2, left, right))
        elif right - left <= THIN and bottom - top >= MIN_RULE:
            self.vertical.append(((left + right) / 2, top, bottom))
        elif stroked:
            self.add_segment(left, top, right, top)
            self.add_segment(left, bottom, right, bottom)
            self.add_segment(left, top, left, bottom)
            self.add_segment(right, top, right, bottom)


def _merge(rules: list[Rule]) -> list[Rule]:
    """Collinear pieces joined: rules at one position (within SNAP) that overlap or nearly meet."""
    out: list[Rule] = []
    rules = sorted(rules)
    i = 0
    while i < len(rules):
        j = i
        while j + 1 < len(rules) and rules[j + 1][0] - rules[i][0] <= SNAP:
            j += 1
        group = sorted(rules[i : j + 1], key=lambda r: r[1])
        position = statistics.fmean(r[0] for r in group)
        start, end = group[0][1], group[0][2]
        for _, a, b in group[1:]:
            if a <= end + JOIN:
                end = max(end, b)
            else:
                out.append((position, start, end))
                start, end = a, b
        out.append((position, start, end))
        i = j + 1
    return out


def _cluster(values: Iterable[float]) -> list[float]:
    """Sorted positions, those within SNAP of each other as one (their mean)."""
    out: list[list[float]] = []
    for value in sorted(values):
        if out and value - out[-1][0] <= SNAP:
            out[-1].append(value)
        else:
            out.append([value])
    return [statistics.fmean(group) for group in out]


def _nearest(positions: Sequence[float], value: float) -> int | None:
    best = min(range(len(positions)), key=lambda k: abs(positions[k] - value))
    return best if abs(positions[best] - value) <= SNAP else None


@dataclass(slots=True)
class Grid:
    """A ruled table's lines and its cells: ``regions`` maps each grid cell (row, column) to the
    (first row, first column, last row, last column) of the merged cell it belongs to."""

    xs: list[float]
    ys: list[float]
    regions: dict[tuple[int, int], Region]
    open_top: bool  # no rule along the top edge: the table runs on from the previous page
    open_bottom: bool

    @property
    def box(self) -> Box:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def region_at(self, x: float, y: float) -> Region | None:
        """The merged cell holding a point, or None outside the table."""
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        row = min(bisect.bisect_right(self.ys, y) - 1, len(self.ys) - 2)
        col = min(bisect.bisect_right(self.xs, x) - 1, len(self.xs) - 2)
        return self.regions[row, col]


def find_grids(rules: Rules) -> list[Grid]:
    """The ruled tables among a page's rules, top to bottom."""
    hs, vs = _merge(rules.horizontal), _merge(rules.vertical)
    if not hs or len(vs) < 2:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, y0, y1) in enumerate(vs):
            if x0 - JOIN <= x <= x1 + JOIN and y0 - JOIN <= y <= y1 + JOIN:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for k in range(len(hs) + len(vs)):
        group = groups.setdefault(find(k), ([], []))
        (group[0].append(hs[k]) if k < len(hs) else group[1].append(vs[k - len(hs)]))
    grids = [grid for h, v in groups.values() if h and len(v) >= 2 and (grid := _grid(h, v)) is not None]
    return sorted(grids, key=lambda g: g.ys[0])


def _grid(hs: list[Rule], vs: list[Rule]) -> Grid | None:
    # The outer edges come from the rules' extents too: tables are often drawn open at the sides,
    # and a table broken by a page has no rule at the break.
    xs = _cluster([x for x, _, _ in vs] + [min(h[1] for h in hs), max(h[2] for h in hs)])
    ys = _cluster([y for y, _, _ in hs] + [min(v[1] for v in vs), max(v[2] for v in vs)])
    if len(xs) < 3 or len(ys) < 2:
        return None  # one column: a box around text, not a table
    at_x: dict[int, list[tuple[float, float]]] = {}
    for x, y0, y1 in vs:
        if (k := _nearest(xs, x)) is not None:
            at_x.setdefault(k, []).append((y0, y1))
    at_y: dict[int, list[tuple[float, float]]] = {}
    for y, x0, x1 in hs:
        if (k := _nearest(ys, y)) is not None:
            at_y.setdefault(k, []).append((x0, x1))

    def ruled(spans: list[tuple[float, float]], a: float, b: float) -> bool:
        middle = (a + b) / 2
        return any(s - JOIN <= middle <= e + JOIN for s, e in spans)

    rows, cols = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(cell: tuple[int, int]) -> tuple[int, int]:
        while parent[cell] != cell:
            cell = parent[cell]
        return cell

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the root is the top-left cell

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not ruled(at_x.get(c + 1, []), ys[r], ys[r + 1]):
                union((r, c), (r, c + 1))
            if r + 1 < rows and not ruled(at_y.get(r + 1, []), xs[c], xs[c + 1]):
                union((r, c), (r + 1, c))
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for cell in parent:
        members.setdefault(find(cell), []).append(cell)
    regions = {}
    for cells in members.values():
        region = (min(r for r, _ in cells), min(c for _, c in cells), max(r for r, _ in cells),
                  max(c for _, c in cells))
        if len(cells) != (region[2] - region[0] + 1) * (region[3] - region[1] + 1):
            return None  # a cell that is no rectangle: boxes joined by lines (a flow chart), no table
        for cell in cells:
            regions[cell] = region
    width = xs[-1] - xs[0]

    def covered(k: int) -> bool:
        return sum(min(e, xs[-1]) - max(s, xs[0]) for s, e in at_y.get(k, [])) >= 0.5 * width

    return Grid(xs, ys, regions, not covered(0), not covered(len(ys) - 1))


# ---- cells -> rows ---------------------------------------------------------------------------------

_CJK_RANGES = "\u2e80-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
# A space next to a CJK character or CJK punctuation is letter-spacing or a justified line's slack.
_CJK_SPACE = re.compile(f"(?<=[{_CJK_RANGES}]) +| +(?=[{_CJK_RANGES}])")
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_LATIN_END = frozenset(_ALNUM + ".,;:)]")
_LATIN_START = frozenset(_ALNUM + "([")


def join_cell_lines(lines: Iterable[str]) -> str:
    """A cell's wrapped lines as one text: no space at a break (Chinese wraps anywhere), except
    between two Latin words; no space beside CJK characters."""
    parts: list[str] = []
    for line in lines:
        # pdfium marks a hyphen ending a line (U+0002, U+FFFE); in Chinese text it is a printed dash.
        line = " ".join(line.replace("\x02", "-").replace("\ufffe", "-").split())
        if not line:
            continue
        # A break between digits splits a number a narrow column could not hold ([2015]12 / 55号).
        if parts and parts[-1][-1] in _LATIN_END and line[0] in _LATIN_START \
                and not (parts[-1][-1].isdigit() and line[0].isdigit()):
            parts.append(" ")
        parts.append(line)
    out = "".join(parts)
    return _CJK_SPACE.sub("", out) if " " in out else out


@dataclass(slots=True)
class PdfTable:
    """A ruled table read off one page: its rows of cell texts and where each row is."""

    box: Box
    columns: list[float]  # the x of every column rule, left to right
    rows: list[list[str]]
    bands: list[tuple[float, float]]  # each row's top and bottom
    size: float  # the type size of its text
    open_top: bool
    open_bottom: bool
    header: list[str] | None = None  # the header row of the page the table began on, once it runs on


_WIDE_CHAR = re.compile(f"[{_CJK_RANGES}]")


def read_table(grid: Grid, pieces: dict[Region, list[str]], sizes: list[float]) -> PdfTable | None:
    """The grid's rows from the text pieces (wrapped lines, in reading order) found in each merged
    cell: the cell's text in its top-left grid cell, the grid cells it spans left empty. None when
    the grid cuts through text (a cell with text lower than a line of it): lines drawn across a
    flow chart or a figure, no table."""
    xs, ys = grid.xs, grid.ys
    size = statistics.median([size for size in sizes if size] or [10.5])
    rows = [["" for _ in range(len(xs) - 1)] for _ in range(len(ys) - 1)]
    for (r0, c0, r1, _), texts in pieces.items():
        text = join_cell_lines(texts)
        if text and ys[r1 + 1] - ys[r0] < 0.8 * size:
            return None
        rows[r0][c0] = text
    bands = list(itertools.pairwise(ys))
    return PdfTable(grid.box, xs, rows, bands, size, grid.open_top, grid.open_bottom)


def _overfull(line: PlacedLine, right: float) -> bool:
    """More characters than the line's width can hold: text of two rows run together."""
    text = line.text.strip()
    width = right - line.left + line.size
    if 0.36 * line.size * len(text) <= width:
        return False  # fits even if every character is narrow (the common case: no regex)
    wide = len(_WIDE_CHAR.findall(text))
    narrow = len(text) - wide - text.count(" ")
    return 0.8 * line.size * (wide + 0.45 * narrow) > width


def _inside(line: PlacedLine, box: Box) -> bool:
    left, top, right, bottom = box
    middle_y = (line.top + line.bottom) / 2
    middle_x = (line.left + (line.right or line.left)) / 2
    return top - 1 <= middle_y <= bottom + 1 and left - 1 <= middle_x <= right + 1


def place_rows(lines: list[PlacedLine], tables: list[PdfTable]) -> list[PlacedLine]:
    """The page's lines with each table's rows (cells joined by TAB) where the table's first text
    line stood in reading order; the text lines inside the table stay as ``cell`` lines, their text
    emptied (extract.pdf.body_lines measures the page on them)."""
    if not tables:
        return lines
    out = list(lines)
    for table in tables:
        rows = [PlacedLine("\t".join(cells), top, bottom, table.box[0], table.size, table.box[2], row=True)
                for cells, (top, bottom) in zip(table.rows, table.bands, strict=True) if any(cells)]
        inside = [k for k, line in enumerate(out)
                  if not line.row and not line.cell and line.text.strip() and _inside(line, table.box)]
        for k in inside:
            line = out[k]  # built directly: dataclasses.replace costs ten times as much, per cell line
            out[k] = PlacedLine("", line.top, line.bottom, line.left, line.size, line.right, cell=True)
        if inside:
            at = inside[0]
        else:  # no text line inside (all of it a continuation): by position
            at = next((k for k, line in enumerate(out) if line.text.strip() and line.top > table.box[1]), len(out))
        out[at:at] = rows
    return out


def _seq_column(table: PdfTable) -> int | None:
    """The 序号 column: named so in the header row, or a first column of row numbers."""
    from gazettekg.extract.tables import column_kind

    for cells in [table.header] if table.header else table.rows[:3]:
        kinds = [column_kind(cell) if cell else None for cell in cells]
        if sum(kind is not None for kind in kinds) >= 2:  # a header row
            return kinds.index("seq") if "seq" in kinds else None
    numbers = [cells[0] for cells in table.rows if cells[0]]
    if numbers and all(re.fullmatch(r"\d{1,4}[.．、]?", cell) for cell in numbers):
        return 0
    return None


def join_page_tables(pages: list[tuple[float, list[PlacedLine], list[PdfTable]]]) -> None:
    """Tables broken by a page break made one, in place: the last table of page N and the first of
    page N+1 continue each other when nothing but running headers and footers stands between them
    and their columns line up. Then the repeated header row goes, and a first row that continues
    the last one (its 序号 empty, or the break left the table open) is joined into it."""
    for (height, lines, tables), (next_height, next_lines, next_tables) in itertools.pairwise(pages):
        if not tables or not next_tables:
            continue
        last, first = tables[-1], next_tables[0]
        if len(last.columns) != len(first.columns) or any(
                abs(a - b) > 2 * SNAP for a, b in zip(last.columns, first.columns, strict=True)):
            continue
        below = [line for line in lines if line.text.strip() and line.top > last.box[3] and not _inside(line, last.box)]
        above = [line for line in next_lines if line.text.strip() and line.bottom < first.box[1]
                 and not _inside(line, first.box)]
        if any(line.top < (1 - RUNNING_BAND) * height for line in below) or \
                any(line.bottom > RUNNING_BAND * next_height for line in above):
            continue  # body text between them: two tables
        header = last.header or (last.rows[0] if last.rows else None)
        first.header = header
        if first.rows and first.rows[0] == header and sum(map(bool, header)) >= 2:
            del first.rows[0], first.bands[0]
        if not first.rows or not last.rows:
            continue
        seq = _seq_column(last)
        head, tail = first.rows[0], last.rows[-1]
        # With a 序号 column its cell decides (a row of its own has a number); without one, a table
        # the page break left open (no rule under its last row, or over its first) runs on.
        continues = not head[seq] and any(head) if seq is not None else last.open_bottom or first.open_top
        if continues:
            last.rows[-1] = [join_cell_lines([a, b]) for a, b in zip(tail, head, strict=True)]
            del first.rows[0], first.bands[0]


# ---- pdfium --------------------------------------------------------------------------------------


def pdfium_rules(page, frame: PageFrame, pdfium_c) -> Rules | None:
    """The rules drawn on a pdfium page (inside form XObjects too), or None when it has no paths."""
    rules = Rules()
    found = _pdfium_collect(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, None, frame,
                            rules, pdfium_c, 0)
    return rules if found else None


Matrix = tuple[float, float, float, float, float, float]


def _compose(inner: Matrix, outer: Matrix | None) -> Matrix:
    if outer is None:
        return inner
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix | None, x: float, y: float) -> tuple[float, float]:
    if m is None:
        return x, y
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _pdfium_matrix(obj, pdfium_c) -> Matrix:
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
    return matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f


class _PathStyle:
    """How a path object is drawn, read into buffers made once a page (ctypes objects are slow to make)."""

    def __init__(self, pdfium_c) -> None:
        self.fill_mode, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.rgba = tuple(ctypes.c_uint() for _ in range(4))
        self._mode = pdfium_c.FPDFPath_GetDrawMode
        self._stroke_color, self._fill_color = pdfium_c.FPDFPageObj_GetStrokeColor, pdfium_c.FPDFPageObj_GetFillColor

    def _white(self, obj, get_color) -> bool:
        r, g, b, a = self.rgba
        if not get_color(obj, r, g, b, a):
            return False
        return a.value == 0 or min(r.value, g.value, b.value) >= 250

    def stroked(self, obj) -> bool:
        """Drawn with a pen that shows (not white)."""
        self._mode(obj, self.fill_mode, self.stroke)
        return bool(self.stroke.value) and not self._white(obj, self._stroke_color)

    def visible(self, obj) -> bool:
        """Stroked or filled in a colour that shows: Word draws the borders of a layout table that
        has none (a red-header block, a signature) as white hairlines."""
        if self.stroked(obj):
            return True
        return bool(self.fill_mode.value) and not self._white(obj, self._fill_color)


def _pdfium_collect(container, count, get, outer: Matrix | None, frame: PageFrame, rules: Rules, pdfium_c,
                    depth: int, style: _PathStyle | None = None) -> bool:
    """Rules from the path objects of a page or form; True when there was any path object. Every
    object of the page passes here (a page holds hundreds of text objects): the loop stays lean."""
    found = False
    style = style or _PathStyle(pdfium_c)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    get_type, get_bounds = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDFPageObj_GetBounds
    count_segments = pdfium_c.FPDFPath_CountSegments
    path_kind, form_kind = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    horizontal, vertical = rules.horizontal, rules.vertical
    plain = outer is None and frame.rotation == 0  # displayed = user space, y flipped: inline
    page_top = frame.top
    for k in range(count(container)):
        obj = get(container, k)
        kind = get_type(obj)
        if kind != path_kind:
            if kind == form_kind and depth < 4:
                # A form's objects are in its own space: its matrix (after the outer ones) maps them.
                inner = _compose(_pdfium_matrix(obj, pdfium_c), outer)
                found |= _pdfium_collect(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                                         inner, frame, rules, pdfium_c, depth + 1, style)
            continue
        found = True
        get_bounds(obj, left, bottom, right, top)
        x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
        if x1 - x0 <= THIN or y1 - y0 <= THIN:  # a rule (a line, or a hairline rectangle): the common case
            if outer is not None:
                x0, y0, x1, y1 = _apply_box(outer, x0, y0, x1, y1)
            if (x1 - x0 >= MIN_RULE or y1 - y0 >= MIN_RULE) and style.visible(obj):
                if not plain:
                    rules.add_box(frame.box(x0, y0, x1, y1), False)
                elif y1 - y0 <= THIN:
                    horizontal.append((page_top - (y0 + y1) / 2, x0, x1))
                else:
                    vertical.append(((x0 + x1) / 2, page_top - y1, page_top - y0))
            continue
        segments = count_segments(obj)
        if segments <= 2 or segments > MAX_SEGMENTS:
            continue  # a slanted line; a drawing (a map, a chart, a logo)
        stroked = style.stroked(obj)
        if not stroked and (segments <= 5 or max(x1 - x0, y1 - y0) < MIN_FILLED_GRID or not style.visible(obj)):
            continue  # cell shading; a glyph drawn as outlines, an icon
        # A stroked frame (a cell drawn as a rectangle), a grid drawn as one path: rule by rule.
        _pdfium_segments(obj, segments, _compose(_pdfium_matrix(obj, pdfium_c), outer), stroked, frame, rules,
                         pdfium_c)
    return found


def _apply_box(m: Matrix, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    corners = [_apply(m, x, y) for x in (x0, x1) for y in (y0, y1)]
    return (min(x for x, _ in corners), min(y for _, y in corners), max(x for x, _ in corners),
            max(y for _, y in corners))


def _pdfium_segments(obj, count: int, matrix: Matrix, stroked: bool, frame: PageFrame, rules: Rules,
                     pdfium_c) -> None:
    """A path rule by rule: each closed rectangle as add_box takes it (a hairline one is a rule, a
    stroked one four), each straight horizontal or vertical stroke of a stroked path a rule."""
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    curved = False
    for k in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = frame.point(*_apply(matrix, x.value, y.value))
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        else:
            curved |= kind == pdfium_c.FPDF_SEGMENT_BEZIERTO
            subpaths[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            subpaths[-1].append(subpaths[-1][0])
    if curved and not stroked:
        return  # a filled shape with curves: a glyph, a logo, a seal
    for points in subpaths:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        is_box = len(points) in (4, 5) and len({round(v, 1) for v in xs}) <= 2 and len({round(v, 1) for v in ys}) <= 2
        if is_box and (len(points) == 5 or not stroked):  # closed (or filled): a rectangle
            rules.add_box((min(xs), min(ys), max(xs), max(ys)), stroked)
        elif stroked:
            for (x0, y0), (x1, y1) in itertools.pairwise(points):
                rules.add_segment(x0, y0, x1, y1)


_SPACE_CODES = frozenset(map(ord, " \t\r\n\x00\x02\xa0\u3000\ufffe"))
_NOT_BREAK = re.compile(r"[^\r\n]")


def diagonal(angle: float) -> bool:
    """A character set at an angle that is neither along nor across the page: a watermark stamp."""
    turn = angle % (math.pi / 2)
    return min(turn, math.pi / 2 - turn) >= 0.1


def pdfium_strays(textpage, pdfium_c) -> tuple[int, int]:
    """A diagonal watermark (深 圳 信 访 across the page) drawn before or after the page's text:
    (the number of its characters at the start, where it begins at the end) of the text page.
    A few calls a page; a stamp drawn in the middle is found line by line (pdfium_tables)."""
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    unicode, angle_of = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetCharAngle

    def run(indices: Iterable[int]) -> list[int]:
        out = []
        for k in indices:
            if unicode(raw, k) in _SPACE_CODES:
                continue
            if not diagonal(angle_of(raw, k)):
                break
            out.append(k)
            if len(out) > 40:
                return []  # a page of text at an angle is text, not a watermark
        return out

    tail = run(range(count - 1, -1, -1))
    head = [k for k in run(range(count)) if k not in set(tail)]
    return (max(head) + 1 if head else 0), (min(tail) if tail else count)


class TextLayer:
    """A pdfium text page as the line reader and the table reader use it: its text (a watermark
    at its start or end blanked, offsets kept) and its characters' boxes on the displayed page."""

    def __init__(self, textpage, frame: PageFrame, pdfium_c, head: int = 0, tail: int = 1 << 30) -> None:
        import pypdfium2 as pdfium

        self.raw = raw = textpage.raw
        text = textpage.get_text_range()
        if head > 0 or tail < len(text):
            text = _NOT_BREAK.sub(" ", text[:head]) + text[head:tail] + _NOT_BREAK.sub(" ", text[tail:])
        self.text = text
        self._angle = pdfium_c.FPDFText_GetCharAngle
        # The text layer costs most of its time in character boxes (three a line), so pdfium is
        # called directly into reused buffers, not through pypdfium2's get_charbox (which allocates).
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        rect = pdfium_c.FS_RECTF()
        tight, loose_box = pdfium_c.FPDFText_GetCharBox, pdfium_c.FPDFText_GetLooseCharBox
        page_top, rotated = frame.top, frame.rotation != 0

        def charbox(k: int, loose: bool = False) -> Box:
            """Character k's (left, top, right, bottom) on the displayed page."""
            if loose:
                if not loose_box(raw, k, rect):
                    raise pdfium.PdfiumError(f"no box for character {k}")
                box = rect.left, rect.bottom, rect.right, rect.top
            else:
                if not tight(raw, k, left, right, bottom, top):
                    raise pdfium.PdfiumError(f"no box for character {k}")
                box = left.value, bottom.value, right.value, top.value
            if rotated:
                return frame.box(*box)
            return box[0], page_top - box[3], box[2], page_top - box[1]

        self.charbox = charbox

    def diagonal(self, k: int) -> bool:
        return diagonal(self._angle(self.raw, k))


Span = tuple[int, int, float, float, float, bool]  # a line's characters (start, end) in the text page,
# how far up, down and right its sampled characters reach, and whether they run left to right on one
# baseline


def pdfium_tables(page, frame: PageFrame, lines: list[PlacedLine], spans: list[Span], layer: TextLayer,
                  pdfium_c) -> list[PdfTable]:
    """The ruled tables of a pdfium page: the grid from its path objects; each cell's text from the
    text lines inside it, whole where a line keeps to one cell (most lines: no calls into pdfium),
    else character by character, each placed by its box (a header row pdfium read as one line,
    text of two rows run together, a watermark character stuck to a line)."""
    rules = pdfium_rules(page, frame, pdfium_c)
    if rules is None or not rules.vertical or not rules.horizontal:
        return []
    tables = []
    for grid in find_grids(rules):
        pieces: dict[Region, list[str]] = {}
        sizes = []
        xs, ys, regions = grid.xs, grid.ys, grid.regions
        last_row, last_col = len(ys) - 2, len(xs) - 2
        grid_left, grid_top, grid_right, grid_bottom = grid.box
        for line, (start, end, top, bottom, right, regular) in zip(lines, spans, strict=True):
            if bottom < grid_top or top > grid_bottom or line.left > grid_right or right < grid_left \
                    or not line.size:
                continue  # not in this table, or an empty line
            sizes.append(line.size)
            if regular and not _overfull(line, right):
                # The cells of the line's two ends (a snap inside them): one cell, the line is its text.
                right = max(line.left, right)
                r0 = min(max(bisect.bisect_right(ys, top + SNAP) - 1, 0), last_row)
                r1 = min(max(bisect.bisect_right(ys, bottom - SNAP) - 1, 0), last_row)
                c0 = min(max(bisect.bisect_right(xs, line.left + SNAP) - 1, 0), last_col)
                c1 = min(max(bisect.bisect_right(xs, right - SNAP) - 1, 0), last_col)
                region = regions[r0, c0]
                first_row, first_col, end_row, end_col = region
                if region == regions[r1, c1] and xs[first_col] - SNAP <= line.left \
                        and right <= xs[end_col + 1] + SNAP and ys[first_row] - SNAP <= top \
                        and bottom <= ys[end_row + 1] + SNAP:
                    pieces.setdefault(region, []).append(line.text)
                    continue
            _place_chars(grid, line, start, end, layer, pieces)
        table = read_table(grid, pieces, sizes or [line.size for line in lines if line.size])
        if table is not None:
            tables.append(table)
    return tables


def _place_chars(grid: Grid, line: PlacedLine, start: int, end: int, layer: TextLayer,
                 pieces: dict[Region, list[str]]) -> None:
    """A line over several cells, character by character: each to the cell its box's middle is in,
    a new piece where, within a cell, the text moves down a line (one pdfium line may hold two
    lines of a cell: 12 / 55号); watermark glyphs (big, at an angle) left out."""
    placed: dict[Region, list[list[str]]] = {}
    last: dict[Region, Box] = {}
    text, charbox = layer.text, layer.charbox
    for k in range(start, end):
        char = text[k]
        if char.isspace():
            for runs in placed.values():
                runs[-1].append(" ")
            continue
        box = charbox(k)
        region = grid.region_at((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        if region is None or (box[3] - box[1] > 2 * line.size and layer.diagonal(k)):
            continue
        runs = placed.setdefault(region, [[]])
        before = last.get(region)
        if before is not None and (box[1] >= before[3] - 0.2 * line.size or box[2] < before[0]):
            runs.append([])
        runs[-1].append(char)
        last[region] = box
    for region, runs in placed.items():
        pieces.setdefault(region, []).extend("".join(run) for run in runs)


# ---- pdfplumber ----------------------------------------------------------------------------------


def plumber_rules(page) -> Rules:
    """The rules on a pdfplumber page: its lines, rectangles and straight strokes of other paths
    (pdfminer gives them on the page as displayed already)."""
    rules = Rules()
    for line in page.lines:
        if _plumber_white(line.get("stroking_color")):
            continue
        points = line.get("pts") or [(line["x0"], line["top"]), (line["x1"], line["bottom"])]
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            if min(abs(x1 - x0), abs(y1 - y0)) <= THIN and max(abs(x1 - x0), abs(y1 - y0)) >= MIN_RULE:
                rules.add_box((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), False)
    for curve in page.curves:  # pdfminer's name for a path that is neither one line nor one rectangle
        if curve.get("stroke") and not _plumber_white(curve.get("stroking_color")):
            for (x0, y0), (x1, y1) in itertools.pairwise(curve.get("pts") or []):
                rules.add_segment(x0, y0, x1, y1)
    for rect in page.rects:
        stroked = bool(rect.get("stroke")) and not _plumber_white(rect.get("stroking_color"))
        filled = bool(rect.get("fill")) and not _plumber_white(rect.get("non_stroking_color"))
        if stroked or filled:  # white hairlines are the borders of a layout table that has none
            rules.add_box((rect["x0"], rect["top"], rect["x1"], rect["bottom"]), stroked)
    return rules


def _plumber_white(color) -> bool:
    """A pdfminer colour (gray, RGB or CMYK components, 0-1) that is white."""
    if color is None or isinstance(color, str):
        return False
    values = list(color) if isinstance(color, (tuple, list)) else [color]
    if not values or not all(isinstance(v, (int, float)) for v in values):
        return False
    if len(values) == 4:  # CMYK: white is no ink
        return max(values) <= 0.02
    return min(values) >= 0.98


def plumber_tables(page, lines: list[PlacedLine]) -> list[PdfTable]:
    """The ruled tables of a pdfplumber page, their cells read from the page's characters: each
    placed by its middle (a full-width comma's box reaches past its glyph, over a rule), taken in
    the page's order and broken into lines where the baseline moves or the text runs back left,
    as pdfium's text is."""
    if not page.objects.get("line") and not page.objects.get("rect") and not page.objects.get("curve"):
        return []
    grids = find_grids(plumber_rules(page))
    if not grids:
        return []
    # Watermark characters are set diagonally (pdfium_strays); text along or across the page stays.
    chars = [c for c in page.chars if c["text"].strip() and not _diagonal(c.get("matrix"))]
    tables = []
    for grid in grids:
        held: dict[Region, list[list[dict]]] = {}
        for char in chars:
            region = grid.region_at((char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2)
            if region is None:
                continue
            runs = held.setdefault(region, [])
            size = char.get("size") or 10.0
            if runs and abs(char["top"] - runs[-1][-1]["top"]) <= 0.4 * size \
                    and char["x0"] >= runs[-1][-1]["x0"] - 0.2 * size:
                runs[-1].append(char)
            else:
                runs.append([char])
        pieces = {region: [_plumber_run_text(run) for run in runs] for region, runs in held.items()}
        sizes = [line.size for line in lines if line.size and _inside(line, grid.box)]
        table = read_table(grid, pieces, sizes or [line.size for line in lines if line.size])
        if table is not None:
            tables.append(table)
    return tables


def _plumber_run_text(run: list[dict]) -> str:
    out = [run[0]["text"]]
    for previous, char in itertools.pairwise(run):
        out.append(" " if char["x0"] - previous["x1"] > 0.2 * (char.get("size") or 10.0) else "")
        out.append(char["text"])
    return "".join(out)


def _diagonal(matrix: tuple[float, ...] | None) -> bool:
    if not matrix:
        return False
    a, b = abs(matrix[0]), abs(matrix[1])
    return min(a, b) > 0.1 * max(a, b)
