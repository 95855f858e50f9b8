"""Division-of-labour tables (重点任务分工表): one task per row, its units from their columns.

A table is found by its header row: a 序号 column, a task column (任务, 任务内容, 改革举措 …) and at
least one unit column (牵头单位, 责任单位, 配合部门, 指导部门 …), maybe a time column (完成时限,
时间节点 …). It arrives in the clean text in one of three forms:

  rows     one paragraph a row, cells separated by TABs (a web table or a Markdown pipe table)
  cells    one paragraph a cell (a table flattened by a crawler or copied out of a PDF), a row
           starting at its 序号 (1, 2, 3 …)
  spaced   one paragraph a row, cells separated by spaces (text copied from a PDF table)

A row's cells are matched to the columns by what they hold — a number, a list of units, a time,
text — so a row that leaves out a merged cell (a task group spanning several rows, a lead unit
written once for a block of rows) takes that cell from the row above. Section rows (一、…方面)
group the rows and are no tasks. The task's title is the first sentence of its task cell; where
the table has a name column that merges over rows (任务名称 over 任务内容), the content names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gazettekg.extract.clauses import Party
from gazettekg.extract.documents import ANNEX_HEAD, Paragraph
from gazettekg.extract.tasks import first_sentence
from gazettekg.extract.units import units_of


def _words(words: str) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(sorted(words.split(), key=len, reverse=True)) + ")$")


_COLUMN_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("seq", _words("序号 编号 序 No No.")),
    ("lead", _words("牵头单位 牵头部门 牵头责任单位 牵头责任部门 牵头考核单位 牵头落实单位 主责单位 主责部门 主办单位 "
                    "主办部门 牵头")),
    ("support", _words("配合单位 配合部门 参与单位 参与部门 参加单位 协办单位 协同单位 协作单位 协助单位 支持单位 "
                       "协办部门 协同部门")),
    ("responsible", _words("责任单位 责任部门 主体责任单位 责任主体 负责单位 负责部门 落实单位 落实部门 实施单位 "
                           "实施部门 实施主体 指导部门 主管部门 承办单位 承办部门 责任单位及分工 具体责任单位")),
    ("time", _words("完成时限 完成时间 完成期限 时间节点 时限 时限要求 时间 时间安排 时间要求 进度安排 进度要求 "
                    "完成时间节点")),
    ("name", _words("任务名称 工作任务 重点任务 主要任务 具体任务 任务 改革举措 举措 改革事项 事项 事项名称 政策措施 "
                    "工作措施 具体措施 措施 目标任务 工作事项 项目名称")),
    ("content", _words("任务内容 工作内容 主要内容 具体内容 内容 工作要求 具体要求 工作措施及要求 主要任务及措施")),
    ("other", _words("推广范围 适用范围 备注 完成标准 工作目标 预期成果 成果形式 考核指标 牵头领导 责任领导 责任人 "
                     "分管领导 联系人 类别 序列 资金来源 投资 建设内容 指标")),
]
_UNIT_KINDS = ("lead", "responsible", "support")
_TASK_KINDS = ("name", "content")
_CN = "一二三四五六七八九十"
_SECTION_ROW = re.compile(rf"^(?:[{_CN}]+[、.．]|[（(][{_CN}]+[）)]|第[{_CN}]+(?:部分|章))")
_SEQ = re.compile(r"^(\d{1,3})[.．、]?$")
_TIME = re.compile(
    r"(?:19|20)\d{2}\s*年|\d{1,2}\s*月(?:底|份|末)?|季度|上半年|下半年|年底|年内|长期|持续|常态|每年|每月|每季|即日起|前完成|"
    r"[一二三四五六七八九十]{1,2}月"
)
_CONTINUES = ("、", "，", ",", "；")


_CELL_JUNK = re.compile(r"[\s:：]")


def column_kind(cell: str) -> str | None:
    key = _CELL_JUNK.sub("", cell)
    return next((kind for kind, pattern in _COLUMN_KINDS if pattern.match(key)), None)


@dataclass(slots=True)
class TableRow:
    number: str  # the 序号 as printed
    start: int  # offsets of the row in the source text
    end: int
    cells: dict[int, str]  # column index -> text (merged cells taken from the row above)
    carried: frozenset[int] = frozenset()  # the columns taken from the row above


@dataclass(slots=True)
class Table:
    index: int  # 1-based, in document order (表1, 表2 …)
    columns: list[str]  # the kind of each column
    start: int
    end: int
    rows: list[TableRow] = field(default_factory=list)

    def task_column(self) -> int | None:
        """The column that names each row's task: a name column written on every row, else the content."""
        names = [i for i, kind in enumerate(self.columns) if kind == "name"]
        contents = [i for i, kind in enumerate(self.columns) if kind == "content"]
        for i in names:
            if contents and any(self._merged(row, i) for row in self.rows):
                continue
            return i
        return contents[0] if contents else (names[0] if names else None)

    def _merged(self, row: TableRow, column: int) -> bool:
        return column in row.carried


@dataclass(frozen=True, slots=True)
class TableTask:
    path: str
    title: str
    start: int
    end: int
    parties: tuple[Party, ...]
    deadline: str  # the time cell as written ("" when none)


def _header(cells: list[str]) -> list[str] | None:
    kinds = [column_kind(cell) for cell in cells]
    if len(cells) < 3 or any(kind is None for kind in kinds):
        return None
    if not any(k in _TASK_KINDS for k in kinds) or not any(k in _UNIT_KINDS for k in kinds):
        return None
    return [k for k in kinds if k is not None]


def _row_cells(text: str) -> list[str]:
    return [cell.strip() for cell in text.split("\t")] if "\t" in text else [text.strip()]


def find_tables(pars: list[Paragraph]) -> list[Table]:
    """The division-of-labour tables among a document's paragraphs."""
    tables: list[Table] = []
    i = 0
    while i < len(pars):
        cells = _row_cells(pars[i].text)
        spaced = pars[i].text.split(" ") if len(cells) == 1 else []
        if len(cells) >= 3 and (columns := _header(cells)):
            table, i = _read_rows(pars, i, columns, len(tables) + 1)
        elif len(spaced) >= 3 and (columns := _header(spaced)):
            table, i = _read_rows(pars, i, columns, len(tables) + 1, spaced=True)
        elif len(cells) == 1 and column_kind(cells[0]) is not None and (run := _header_run(pars, i)):
            columns, first_cell = run
            table, i = _read_cells(pars, i, first_cell, columns, len(tables) + 1)
        else:
            i += 1
            continue
        if table.rows:
            tables.append(table)
    return tables


def _header_run(pars: list[Paragraph], i: int) -> tuple[list[str], int] | None:
    """A header written one cell a paragraph: (its columns, the index after it)."""
    j = i
    kinds = []
    while j < len(pars) and (kind := column_kind(pars[j].text)) is not None and len(kinds) < 12:
        kinds.append(kind)
        j += 1
    if len(kinds) >= 3 and any(k in _TASK_KINDS for k in kinds) and any(k in _UNIT_KINDS for k in kinds):
        return kinds, j
    return None


def _read_rows(pars: list[Paragraph], i: int, columns: list[str], index: int,
               spaced: bool = False) -> tuple[Table, int]:
    """Rows written one paragraph each, after the header at pars[i]."""
    table = Table(index, columns, pars[i].start, pars[i].end)
    previous: dict[int, str] = {}
    j = i + 1
    while j < len(pars):
        text = pars[j].text
        cells = text.split(" ") if spaced else _row_cells(text)
        if len(cells) == 1:
            if _SECTION_ROW.match(text) and len(text) <= 60:
                j += 1
                continue  # a section row: groups the rows, no task
            break
        row = _align(cells, columns, previous, pars[j].start, pars[j].end)
        if row is None:
            break
        table.rows.append(row)
        previous = row.cells
        table.end = pars[j].end
        j += 1
    return table, j


def _read_cells(pars: list[Paragraph], i: int, first: int, columns: list[str], index: int) -> tuple[Table, int]:
    """Rows written one cell a paragraph: a row starts at its 序号, the next number in sequence."""
    table = Table(index, columns, pars[i].start, pars[first - 1].end)
    previous: dict[int, str] = {}
    expected = 1
    j = first
    width = len(columns)
    while j < len(pars):
        text = pars[j].text.strip()
        m = _SEQ.match(text)
        if m is None or not expected <= int(m.group(1)) <= expected + 20:
            if (_SECTION_ROW.match(text) and len(text) <= 60 and expected > 1) or (expected == 1 and not m):
                j += 1
                if expected == 1 and j - first > 3:
                    break
                continue
            break
        cells: list[tuple[str, int, int]] = []
        k = j + 1
        while k < len(pars) and len(cells) < width - 1:
            cell = pars[k].text.strip()
            nxt = _SEQ.match(cell)
            if nxt and expected < int(nxt.group(1)) <= expected + 20 and len(cells) >= 2:
                break  # the next row (numbers may skip where rows were cut)
            if _SECTION_ROW.match(cell) and len(cell) <= 60 and cells and k + 1 < len(pars) \
                    and _SEQ.match(pars[k + 1].text.strip()):
                break
            if ANNEX_HEAD.match(cell) or column_kind(cell) is not None:
                break  # the next annex, or the header of the next table
            if cells and cells[-1][0].endswith(_CONTINUES):
                text_so_far, start, _ = cells[-1]
                cells[-1] = (text_so_far + cell, start, pars[k].end)  # a cell wrapped over two lines
            else:
                cells.append((cell, pars[k].start, pars[k].end))
            k += 1
        # A unit list wrapped onto one more line than the row has cells for.
        while k < len(pars) and cells and cells[-1][0].endswith(_CONTINUES):
            text_so_far, start, _ = cells[-1]
            cells[-1] = (text_so_far + pars[k].text.strip(), start, pars[k].end)
            k += 1
        row = _align([text, *(c for c, _, _ in cells)], columns, previous, pars[j].start,
                     cells[-1][2] if cells else pars[j].end)
        if row is None:
            break
        table.rows.append(row)
        previous = row.cells
        table.end = row.end
        expected = int(m.group(1)) + 1
        j = k
    return table, j


def _fits(kind: str, cell: str) -> float:
    """How well a cell's content fits a column kind (negative: it does not)."""
    if kind == "seq":
        return 3.0 if _SEQ.match(cell) else -9.0
    if kind in _UNIT_KINDS:
        if units_of(cell):
            return 2.0
        return 1.0 if units_of(cell, lenient=True) and len(cell) <= 60 else -3.0
    if kind == "time":
        return 2.0 if _TIME.search(cell) and len(cell) <= 40 else -2.0
    if kind in _TASK_KINDS:
        if units_of(cell) or (len(cell) <= 15 and units_of(cell, lenient=True)):
            return -1.0
        return 1.0
    return 0.0


def _align(cells: list[str], columns: list[str], previous: dict[int, str], start: int, end: int) -> TableRow | None:
    """Cells to columns in order, skipping columns a merged cell left out (they keep the row above's
    value). A dynamic program over (cell, column) keeps the best-fitting monotone assignment."""
    cells = [c for c in cells if c]
    n, m = len(cells), len(columns)
    if n == 0 or n > m:
        return None
    skip = -0.6
    best = [[float("-inf")] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for a in range(n + 1):
        for b in range(m + 1):
            if best[a][b] == float("-inf"):
                continue
            if b < m and best[a][b] + skip > best[a][b + 1]:
                best[a][b + 1] = best[a][b] + skip
                back[a][b + 1] = (a, b)
            if a < n and b < m:
                score = best[a][b] + _fits(columns[b], cells[a])
                if score > best[a + 1][b + 1]:
                    best[a + 1][b + 1] = score
                    back[a + 1][b + 1] = (a, b)
            if a + 1 < n and b < m and columns[b] in _UNIT_KINDS:
                # A unit list written over two lines (two cells) fills one unit column.
                score = best[a][b] + _fits(columns[b], cells[a]) + _fits(columns[b], cells[a + 1]) - 1.0
                if score > best[a + 2][b + 1]:
                    best[a + 2][b + 1] = score
                    back[a + 2][b + 1] = (a, b)
    if best[n][m] == float("-inf") or best[n][m] < 0:
        return None
    placed: dict[int, str] = {}
    a, b = n, m
    while (a, b) != (0, 0):
        step = back[a][b]
        if step is None:
            return None
        pa, pb = step
        if pa < a:
            placed[b - 1] = "、".join(cells[pa:a])
        a, b = pa, pb
    if columns[0] == "seq" and 0 not in placed:
        return None
    # A task cell merged over several rows applies to each; an empty unit or time cell stays empty.
    merged = {col: value for col, value in previous.items() if col not in placed and columns[col] in _TASK_KINDS}
    return TableRow(placed.get(0, ""), start, end, {**merged, **placed}, frozenset(merged))


def table_tasks(tables: list[Table]) -> list[TableTask]:
    """One task per row: title from the task column, parties from the unit columns."""
    out = []
    for table in tables:
        task_col = table.task_column()
        if task_col is None:
            continue
        has_lead = "lead" in table.columns
        for row in table.rows:
            title = first_sentence(row.cells.get(task_col, ""))
            parties: list[Party] = []
            for col, kind in enumerate(table.columns):
                if kind not in _UNIT_KINDS or not row.cells.get(col):
                    continue
                units = units_of(row.cells[col], lenient=True) or []
                for name, full in units:
                    if kind == "lead":
                        parties.append(Party(name, "lead", "marked", full))
                    elif kind == "responsible" and not has_lead and not parties:
                        parties.append(Party(name, "lead", "first_listed", full))
                    else:
                        parties.append(Party(name, "support", "", full))
            seen: set[str] = set()
            unique = [p for p in parties if not (p.surface in seen or seen.add(p.surface))]
            if not title or not unique:
                continue
            if not any(p.role == "lead" for p in unique):
                first = unique[0]
                unique[0] = Party(first.surface, "lead", "first_listed", first.full)
            deadline = next((row.cells[c] for c, kind in enumerate(table.columns) if kind == "time" and c in row.cells),
                            "")
            number = _SEQ.match(row.number)
            out.append(TableTask(f"表{table.index}.{number.group(1) if number else row.number}", title, row.start,
                                 row.end, tuple(unique), deadline))
    return out
