"""Writing the analyst tables of queries/matrix.py: an .xlsx workbook (openpyxl) or a CSV.

The workbook has four sheets: 责任矩阵 (tasks x agencies), 任务清单 (the per-agency
ledger), 目标 (the targets table) and 说明 (legend and the documents). Every table sheet
has a frozen header row and first columns, an autofilter, and widths measured the way
a spreadsheet draws Chinese: a CJK character is two columns wide.

The CSV is the matrix sheet alone, UTF-8 with a byte-order mark: without the BOM, Excel
reads a CSV in the locale's code page and shows Chinese as mojibake.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gazettekg.queries.matrix import (
    IMPLICIT_MARK,
    LEGEND,
    ROLE_LABELS,
    Report,
    ledger_table,
    matrix_table,
    targets_table_rows,
)

SHEET_MATRIX = "责任矩阵"
SHEET_LEDGER = "任务清单"
SHEET_TARGETS = "目标"
SHEET_LEGEND = "说明"

# Cell fills by label; an implicit assignment gets its own fill so it stands out even
# when printed in black and white (the * says it too).
FILLS = {
    ROLE_LABELS["lead"]: PatternFill("solid", fgColor="F4B183"),
    ROLE_LABELS["support"]: PatternFill("solid", fgColor="BDD7EE"),
    ROLE_LABELS["lead"] + IMPLICIT_MARK: PatternFill("solid", fgColor="FFE699"),
    ROLE_LABELS["support"] + IMPLICIT_MARK: PatternFill("solid", fgColor="E2EFDA"),
}
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_MAX_WIDTH = 60  # a long quote wraps instead of making a column a screen wide
_LINE_HEIGHT = 15  # points per line of 11-point text


def display_width(text: object) -> int:
    """Columns ``text`` takes in a spreadsheet: 2 for a wide (CJK, full-width) character, else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text or ""))


def _fit_widths(sheet: Worksheet, rows: Sequence[Sequence[object]], *, skip_header: Sequence[int] = ()) -> None:
    """Set each column to its widest cell (the header too, unless its index is in ``skip_header``)."""
    widths: dict[int, int] = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if r == 0 and c in skip_header:
                continue
            widths[c] = max(widths.get(c, 0), display_width(value))
    for c, width in widths.items():
        sheet.column_dimensions[get_column_letter(c + 1)].width = min(_MAX_WIDTH, max(4, width) + 2)


def _table_sheet(
    sheet: Worksheet, header: Sequence[str], rows: Sequence[Sequence[object]], frozen_columns: int
) -> None:
    sheet.append(list(header))
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.freeze_panes = sheet.cell(row=2, column=frozen_columns + 1)
    # Printed (or converted to PDF): landscape, one page wide, header and key columns on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_title_cols = f"A:{get_column_letter(frozen_columns)}"
    last = get_column_letter(max(1, len(header)))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    _fit_widths(sheet, [header, *rows])
    for row in sheet.iter_rows(min_row=2):
        lines = 1
        for cell in row:
            width = display_width(cell.value)
            if width > _MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines = max(lines, math.ceil(width / (_MAX_WIDTH - 2)))
        if lines > 1:  # spreadsheets do not grow a row for wrapped text they did not lay out themselves
            sheet.row_dimensions[row[0].row].height = _LINE_HEIGHT * lines
            for cell in row:
                if not cell.alignment.wrap_text:
                    cell.alignment = Alignment(vertical="top")


def _matrix_sheet(sheet: Worksheet, report: Report) -> None:
    header, rows = matrix_table(report.matrix)
    fixed = len(header) - len(report.matrix.agencies)
    _table_sheet(sheet, header, rows, frozen_columns=fixed)
    # Agency names run top to bottom (CJK stacked), so a column is as narrow as its cells.
    tallest = 0
    for cell in sheet[1][fixed:]:
        cell.alignment = Alignment(text_rotation=255, horizontal="center", vertical="bottom")
        tallest = max(tallest, len(str(cell.value)))
    sheet.row_dimensions[1].height = max(30, 14 * tallest)
    for c in range(fixed, len(header)):
        sheet.column_dimensions[get_column_letter(c + 1)].width = 6
    for row in sheet.iter_rows(min_row=2, min_col=fixed + 1):
        for cell in row:
            fill = FILLS.get(cell.value)
            if fill is not None:
                cell.fill = fill
                cell.alignment = Alignment(horizontal="center")
                cell.border = _BORDER
                if str(cell.value).endswith(IMPLICIT_MARK):
                    cell.font = Font(italic=True)


def _legend_sheet(sheet: Worksheet, report: Report) -> None:
    sheet.append(["图例", "含义"])
    for label, meaning in LEGEND:
        sheet.append([label, meaning])
    for row in sheet.iter_rows(min_row=2, max_col=1):  # the fills themselves, so the legend shows the colours
        if row[0].value in FILLS:
            row[0].fill = FILLS[row[0].value]
    sheet.append([])
    sheet.append(["文件", "标题"])
    documents = dict.fromkeys((t.doc, t.doc_title) for t in report.matrix.tasks)
    for doc, title in documents:
        sheet.append([doc, title])
    sheet.append([])
    sheet.append(["单位", "全称", "牵头", "参与"])
    for c in report.matrix.agencies:
        sheet.append([c.header, c.name, c.lead, c.support])
    for row in sheet.iter_rows():
        if row[0].value in {"图例", "文件", "单位"}:
            for cell in row:
                cell.font = Font(bold=True)
                cell.fill = HEADER_FILL
    _fit_widths(sheet, [[cell.value for cell in row] for row in sheet.iter_rows()])


def write_xlsx(report: Report, path: Path) -> Path:
    """Write the matrix, ledger, targets and legend sheets to ``path`` (.xlsx)."""
    book = Workbook()
    matrix = book.active
    matrix.title = SHEET_MATRIX
    _matrix_sheet(matrix, report)
    header, rows = ledger_table(report.ledger)
    _table_sheet(book.create_sheet(SHEET_LEDGER), header, rows, frozen_columns=1)
    header, rows = targets_table_rows(report.targets)
    _table_sheet(book.create_sheet(SHEET_TARGETS), header, rows, frozen_columns=3)
    _legend_sheet(book.create_sheet(SHEET_LEGEND), report)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_csv(report: Report, path: Path) -> Path:
    """Write the matrix sheet as CSV, UTF-8 with BOM so Excel opens the Chinese correctly."""
    header, rows = matrix_table(report.matrix)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_report(report: Report, path: Path) -> Path:
    """Write ``report`` in the format the suffix of ``path`` names: .xlsx or .csv."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_xlsx(report, path)
    if suffix == ".csv":
        return write_csv(report, path)
    raise ValueError(f"cannot write {suffix or 'a file without suffix'}: use .xlsx or .csv")
