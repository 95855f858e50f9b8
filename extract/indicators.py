"""Indicator tables of plans: ``指标 / 2020年 / 2025年 / 属性`` and their rows as targets.

Two printed forms reach us as text:

* one row a line (PDF, TAB or space separated): ``毛入园率（%） 90.3 ＞93 预期性``;
* one cell a line, as web crawls flatten ``<table>``: ``序号 / 指标名称 / 属性 / 单位 / “十四五”现状 /
  “十五五”目标`` header cells, then ``1 / 新建绿地 / 约束性 / 万平方米 / 90.87 / 35`` cell by cell, with
  merged group cells (绿化) and sub-rows (其中公园绿地) that print fewer cells.

Either way a row becomes one target: its last value column is the goal, the one before it the baseline,
the years come from the header (2025年, “十五五”目标), sub-rows ``其中：…`` sit under their parent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazettekg.extract.deadlines import BACKGROUND_TITLE, deepest_section
from gazettekg.extract.numbers import BASE_UNITS, MAGNITUDES, half_width, number_as_printed
from gazettekg.extract.timeexpr import five_year_plan
from gazettekg.records import Document, Provenance, SourceText, Target

ATTRIBUTES = ("预期性", "约束性")
_YEAR_COL = re.compile(r"(\d{4})\s*年")
_CELL = re.compile(r"^(?P<cmp>[<>≥≤]|不低于|不少于|不超过|超过)?[〔\[(（]?(?P<num>\d+(?:\.\d+)?)[〕\])）]?"
                   r"(?P<unit>%|‰)?(?P<after>以上|以下|左右|以内)?$")
_EMPTY_CELL = re.compile(r"^[/／—–\-－]$")
_LABEL_UNIT = re.compile(r"[（(](?P<unit>[^（）()]{1,6})[）)]\s*$")
# A unit column's cell: 万平方米, %, 条（段）, 元/人.
_UNIT_TOKEN = re.compile(
    "[%‰]|[" + MAGNITUDES + "]?(?:" + "|".join(re.escape(u) for u in BASE_UNITS) + ")(?:[（(][一-龥]{1,2}[）)])?")
_SUBROW = re.compile(r"^(?:其中[：:]?|含[：:])\s*")
_CELL_CMP = {">": ">", "<": "<", "≥": ">=", "≤": "<=", "不低于": ">=", "不少于": ">=", "不超过": "<=",
             "超过": ">", "以上": ">=", "以下": "<=", "以内": "<=", "左右": "approx"}
# Header cells of the value columns: 2020年, 2025年目标, “十四五”现状, 目标值, 规划值.
_PLAN_NAME = re.compile(r"十([一二三四五六七八九])五")
_VALUE_COLUMN = re.compile(r"\d{4}\s*年|目标|现状|基期|基数|规划值|预期值|期末")


@dataclass(frozen=True, slots=True)
class IndicatorTable:
    """An indicator table: its value columns' years and whether it has a 属性 column."""

    header_start: int
    header_end: int
    baseline_year: int | None
    target_year: int | None
    has_attribute: bool
    value_columns: int = 2
    attribute_last: bool = False  # 属性 is the row's last cell, so it ends each row


def _attribute_last(header: str) -> bool:
    """Whether the 属性 column comes after every value column (``… 2020年 2025年 属性``)."""
    at = header.rfind("属性")
    values = [m.end() for m in _VALUE_COLUMN.finditer(header)]
    return at >= 0 and bool(values) and at >= values[-1]


def _column_year(cell: str) -> int | None:
    """The year a value column stands for: 2025年 -> 2025, “十四五”现状 -> 2025, “十五五”目标 -> 2030."""
    if m := _YEAR_COL.search(half_width(cell)):
        return int(m[1])
    if m := _PLAN_NAME.search(cell):
        return five_year_plan(10 + "一二三四五六七八九".index(m[1]) + 1).last_year
    return None


def table_header(line: str) -> IndicatorTable | None:
    """The header row of an indicator table, e.g. ``分 类 指 标 2020年 2025年 属性``."""
    norm = half_width(line)
    years = [int(y) for y in _YEAR_COL.findall(norm)]
    compact = re.sub(r"\s", "", norm)
    if len(compact) > 80 or re.search(r"[。；;，]", compact):
        return None  # a sentence that names years, not a header row
    if len(years) >= 2 and (("指标" in compact) or "属性" in compact or len(compact) < 40):
        return IndicatorTable(0, len(line), years[0], years[-1], "属性" in compact,
                              attribute_last=_attribute_last(norm))
    if "指标" in compact and re.search(r"目标值?|规划值|预期值", compact) and len(compact) < 60:
        cells = [c for c in line.split() if _VALUE_COLUMN.search(c) and "指标" not in c]
        years_of = [_column_year(c) for c in cells]
        return IndicatorTable(0, len(line), years_of[0] if len(years_of) >= 2 else None,
                              years_of[-1] if years_of else None, "属性" in compact,
                              attribute_last=_attribute_last(norm))
    return None


@dataclass(frozen=True, slots=True)
class TableRow:
    label: str
    unit: str
    cells: list[tuple[str, str] | None]  # (number as printed, comparator); None for an empty cell "/"
    attribute: str | None


def parse_row(line: str) -> TableRow | None:
    """``毛入园率（%） 90.3 ＞93 预期性`` -> label, unit, [(90.3, =), (93, >)], 预期性; also
    ``1 新建绿地 约束性 万平方米 90.87 35`` (序号, attribute and unit columns before the values) and
    ``14 新能源环卫车辆占比 预期性 % / 70以上`` (an empty baseline)."""
    tokens = half_width(line).split()
    attribute = None
    for a in ATTRIBUTES:
        if a in tokens:
            attribute = a
            tokens.remove(a)
    cells: list[tuple[str, str] | None] = []
    while tokens:
        if _EMPTY_CELL.match(tokens[-1]):
            cells.insert(0, None)
            tokens.pop()
            continue
        m = _CELL.match(tokens[-1])
        if not m:
            break
        cells.insert(0, (number_as_printed(m["num"]), _CELL_CMP.get(m["cmp"] or m["after"] or "", "=")))
        tokens.pop()
    if tokens and re.fullmatch(r"\d{1,3}", tokens[0]) and len(tokens) >= 2:
        tokens.pop(0)  # the 序号 column
    if not any(cells) or not tokens or cells[-1] is None:
        return None
    unit = ""
    if len(tokens) >= 2 and _UNIT_TOKEN.fullmatch(tokens[-1]):
        unit = tokens.pop()  # a 单位 column: "地区生产总值 亿元 11000 16000"
    label = "".join(tokens)
    if not unit and (m := _LABEL_UNIT.search(label)):
        unit, label = m["unit"], label[:m.start()]
    return TableRow(label, unit, cells, attribute)


def _row_target(source: SourceText, doc: Document, table: IndicatorTable, row: TableRow, parent: TableRow | None,
                start: int, end: int) -> Target:
    label, unit = _SUBROW.sub("", row.label), row.unit
    if parent is not None:
        label = f"{parent.label}（{label}）"
        unit = unit or parent.unit
    value, comparator = row.cells[-1]
    before = row.cells[-2] if len(row.cells) >= 2 else None
    baseline = before[0] if before else None
    section = deepest_section(doc, start)
    where = section.path if section else ""
    return Target(
        doc_id=doc.doc_id, where=where, indicator=label, subject="", value=value, value_max=None,
        unit=unit, comparator=comparator, baseline=baseline,
        baseline_year=table.baseline_year if baseline is not None else None,
        target_year=table.target_year, attribute=row.attribute or (parent.attribute if parent else None), hedge=None,
        provenance=Provenance.of(source, doc.doc_id, where, start, end),
    )


def _is_sub_row(row: TableRow, parent: TableRow | None, in_subrows: bool) -> bool:
    return bool(_SUBROW.match(row.label)) or (in_subrows and parent is not None and row.unit in ("", parent.unit))


def row_table_targets(source: SourceText, doc: Document, lo: int, hi: int) -> tuple[list[Target], set[int]]:
    """Targets of the one-row-a-line indicator tables between ``lo`` and ``hi``, and the offsets of the
    lines they occupy, so that the prose reader leaves those lines alone."""
    text = source.text
    targets: list[Target] = []
    used: set[int] = set()
    table: IndicatorTable | None = None
    parent: TableRow | None = None
    in_subrows = False
    for line_start, line_end in _lines(text, lo, hi):
        line = text[line_start:line_end]
        header = table_header(line)
        if header:
            table, parent, in_subrows = header, None, False
            used.add(line_start)
            continue
        if table is None:
            continue
        for start, end in _row_spans(text, line_start, line_end, table):
            row = parse_row(text[start:end])
            if row is None:
                compact = re.sub(r"\s", "", text[start:end])
                if not compact or (len(compact) <= 12 and not re.search(r"[。；，]", compact)):
                    used.add(line_start)  # a category line (学前教育)
                    parent, in_subrows = None, False
                    continue
                table = None  # prose again: the table is over
                break
            used.add(line_start)
            if _is_sub_row(row, parent, in_subrows):
                in_subrows = True
                targets.append(_row_target(source, doc, table, row, parent, start, end))
            else:
                parent, in_subrows = row, False
                targets.append(_row_target(source, doc, table, row, None, start, end))
    return targets, used


_ATTRIBUTE_END = re.compile("|".join(ATTRIBUTES))


def _row_spans(text: str, start: int, end: int, table: IndicatorTable) -> list[tuple[int, int]]:
    """The rows of one line: the line itself, or, where a narrow hard wrap ran rows together
    (``在园幼儿数（万人） 100.8 110 预期性毛入园率（%） 90.3 ＞93 预期性``), each run up to its 属性 cell."""
    if not table.attribute_last:
        return [(start, end)]
    cuts = [m.end() for m in _ATTRIBUTE_END.finditer(text, start, end)]
    if len(cuts) < 2 and not (cuts and text[cuts[0]:end].strip()):
        return [(start, end)]
    spans, s = [], start
    for cut in cuts:
        spans.append((s, cut))
        s = cut
    if text[s:end].strip():
        spans.append((s, end))  # a category glued on after the last row (高中阶段教育)
    return spans


# ---- one cell a line -------------------------------------------------------------------

_HEADING_LINE = re.compile(r"^(?:第[一二三四五六七八九十百]+(?:章|部分|篇|节)|[一二三四五六七八九十]+、|"
                           r"[（(][一二三四五六七八九十]+[）)]|附件|专栏|表\s*\d)")
_MAX_CELL = 40  # a cell longer than this, or one with a sentence stop, is prose


def _lines(text: str, lo: int, hi: int):
    pos = lo
    while pos < hi:
        nl = text.find("\n", pos, hi)
        end = hi if nl == -1 else nl
        yield pos, end
        pos = end + 1


def _is_cell(line: str) -> bool:
    compact = re.sub(r"\s", "", line)
    return 0 < len(compact) <= _MAX_CELL and not re.search(r"[。；;！？]", compact)


def _is_value(cell: str) -> bool:
    cell = half_width(re.sub(r"\s", "", cell))
    return bool(_CELL.match(cell) or _EMPTY_CELL.match(cell))


def _flat_header(cells: list[tuple[int, int, str]], i: int) -> tuple[int, IndicatorTable] | None:
    """A header of one cell a line starting at ``cells[i]``: short cells among which one names the
    indicator (指标) and at least one names a value column; returns the index after it."""
    names = []
    j = i
    while j < len(cells) and j - i < 12 and _is_cell(cells[j][2]) and not _is_value(cells[j][2]):
        names.append(re.sub(r"\s", "", cells[j][2]))
        j += 1
    while names and not (_VALUE_COLUMN.search(names[-1]) or names[-1] in ("属性", "单位")):
        names.pop()  # group cells after the header (绿化) belong to the rows
    value_names = [n for n in names if _VALUE_COLUMN.search(n) and "指标" not in n]
    if not any("指标" in n for n in names) or not value_names or len(names) < 3:
        return None
    years = [_column_year(n) for n in value_names]
    table = IndicatorTable(cells[i][0], cells[i + len(names) - 1][1], years[0] if len(years) >= 2 else None,
                           years[-1], "属性" in names, value_columns=len(value_names))
    return i + len(names), table


def flat_table_targets(source: SourceText, doc: Document, lo: int, hi: int) -> tuple[list[Target], set[int]]:
    """Targets of indicator tables printed one cell a line, and the offsets of the lines they use."""
    text = source.text
    cells = [(s, e, text[s:e].strip()) for s, e in _lines(text, lo, hi)]
    cells = [c for c in cells if c[2]]
    targets: list[Target] = []
    used: set[int] = set()
    i = 0
    while i < len(cells):
        if not ((_is_cell(cells[i][2]) and "指标" in cells[i][2]) or cells[i][2] in ("序号", "板块", "类别", "领域")):
            i += 1
            continue
        found = _flat_header(cells, i)
        if found is None:
            i += 1
            continue
        used.update(c[0] for c in cells[i:found[0]])
        i, table = found
        rows, i = _flat_rows(cells, i, table.value_columns)
        parent: TableRow | None = None
        in_subrows = False
        for row_cells in rows:
            row = parse_row(" ".join(c[2].replace(" ", "") for c in row_cells))
            if row is None:
                continue
            used.update(c[0] for c in row_cells)
            start, end = row_cells[0][0], row_cells[-1][1]
            if _is_sub_row(row, parent, in_subrows) and not re.match(r"\d", row_cells[0][2]):
                in_subrows = True
                targets.append(_row_target(source, doc, table, row, parent, start, end))
            else:
                parent, in_subrows = row, False
                targets.append(_row_target(source, doc, table, row, None, start, end))
    return targets, used


def _flat_rows(cells: list[tuple[int, int, str]], i: int, value_columns: int):
    """The rows after a header: label cells then ``value_columns`` value cells; a label cell followed
    by a 序号 is a merged group cell (绿化), not part of the row.  Stops at prose or a heading."""
    rows = []
    row: list[tuple[int, int, str]] = []
    values = 0
    while i < len(cells):
        cell = cells[i][2]
        if not _is_cell(cell) or _HEADING_LINE.match(cell):
            break
        is_number = _is_value(cell)
        if is_number and values == 0 and not row and re.fullmatch(r"\d{1,3}", cell):
            row.append(cells[i])  # the 序号
        elif is_number and row:
            row.append(cells[i])
            values += 1
            if values == value_columns:
                rows.append(row)
                row, values = [], 0
        elif is_number:
            break  # a value with no label: not this table's shape
        else:
            nxt = cells[i + 1][2] if i + 1 < len(cells) else ""
            if not row and re.fullmatch(r"\d{1,3}", nxt):
                pass  # a merged group cell over the next rows
            elif values:
                rows.append(row)  # a row with fewer values than columns ends at the next label
                row, values = [cells[i]], 0
            else:
                row.append(cells[i])
        i += 1
    if row and values:
        rows.append(row)
    return rows, i


def indicator_table_targets(source: SourceText, doc: Document, lo: int, hi: int) -> tuple[list[Target], set[int]]:
    """Targets of every indicator table between ``lo`` and ``hi``, one row a line or one cell a line,
    and the line offsets they occupy."""
    by_row, used = row_table_targets(source, doc, lo, hi)
    by_cell, used_cells = flat_table_targets(source, doc, lo, hi)
    # A table of a background chapter (“十四五”规划执行情况) reports results, not goals.
    background = [s for s in doc.walk() if BACKGROUND_TITLE.search(s.title or "")]
    goals = [t for t in by_row + by_cell
             if not any(b.start <= t.provenance.start < b.end for b in background)]
    return goals, used | used_cells
