"""The responsibility matrix, ledger and targets sheets, read back from the files written.

Expected values come from the store by independent SPARQL (not from queries/matrix.py),
on the sample issue and on hand-built State Council issues (tests/graph_samples.py).
"""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from gazettekg.cli import main
from gazettekg.graph.sparql import run
from gazettekg.graph.store import GraphStore
from gazettekg.queries.matrix import build_report, matrix_table, responsibility_matrix
from gazettekg.queries.xlsx import display_width, write_report
from gazettekg.tests.graph_samples import later_issue, state_council_issue

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "gazette-2022-01.txt"

# Every assignment, keyed the way the matrix shows it: (document, path, column header).
ASSIGNED = """
SELECT ?doc ?path ?short ?role ?basis WHERE {
  ?a a gkg:Assignment ; gkg:role ?role ; gkg:basis ?basis ;
     gkg:task [ gkg:path ?path ; gkg:document/gkg:key ?doc ] ;
     gkg:agency/gkg:shortName ?short .
}
"""


def _expected_cells(store) -> dict[tuple[str, str, str], str]:
    _, rows = run(store, ASSIGNED)
    rank = {("lead", "explicit"): 0, ("lead", "implicit"): 1, ("support", "explicit"): 2, ("support", "implicit"): 3}
    label = {"lead": "牵头", "support": "参与"}
    best: dict[tuple[str, str, str], tuple[str, str]] = {}
    for doc, path, short, role, basis in rows:
        key = (doc, path, short)
        if key not in best or rank[(role, basis)] < rank[best[key]]:
            best[key] = (role, basis)
    return {k: label[r] + ("*" if b == "implicit" else "") for k, (r, b) in best.items()}


def _sheet_cells(sheet) -> tuple[list[str], dict[tuple[str, str, str], str]]:
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    cells = {}
    for row in rows[1:]:
        for column, value in zip(header[4:], row[4:], strict=True):
            if value:
                cells[(row[0], row[1], column)] = value
    return header, cells


# ---------------------------------------------------------------- the sample issue


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    store_dir = tmp_path_factory.mktemp("store")
    result = CliRunner().invoke(main, ["ingest", str(SAMPLE), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    return store_dir


@pytest.fixture(scope="module")
def sample_workbook(sample_store: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out") / "matrix.xlsx"
    result = CliRunner().invoke(main, ["export", "matrix", "--out", str(out), "--store", str(sample_store)])
    assert result.exit_code == 0, result.output
    return out


def test_sample_matrix_cells_equal_the_graphs_assignments(sample_store: Path, sample_workbook: Path) -> None:
    book = load_workbook(sample_workbook)
    assert book.sheetnames == ["责任矩阵", "任务清单", "目标", "说明"]
    header, cells = _sheet_cells(book["责任矩阵"])
    assert header[:4] == ["文件", "条目", "任务", "时限"]
    expected = _expected_cells(GraphStore(sample_store).oxigraph)
    assert cells == expected
    assert any(v == "参与*" for v in cells.values())  # the sample's 各区县政府 are implicit supporters
    # Busiest agency first: column totals never grow from left to right.
    totals = Counter(column for _, _, column in cells)
    counts = [totals[c] for c in header[4:]]
    assert counts == sorted(counts, reverse=True)


def test_sample_matrix_rows_follow_the_documents(sample_workbook: Path) -> None:
    sheet = load_workbook(sample_workbook)["责任矩阵"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    docs = list(dict.fromkeys(r[0] for r in rows))
    # Documents in the issue's order (the education plan and the fireworks rules assign their
    # tasks in prose), and within a document 三.（一）.1 before 三.（一）.2 before 三.（二）.1.
    assert docs == ["渝府发〔2021〕37号", "渝府办发〔2021〕156号", "渝府办发〔2021〕154号", "渝府办发〔2021〕151号"]
    gas = [r[1] for r in rows if r[0] == docs[1]]
    assert gas[:3] == ["三.（一）.1", "三.（一）.2", "三.（一）.3"]
    finance = [r[1] for r in rows if r[0] == docs[3]]
    assert finance.index("（二）") < finance.index("（十）") < finance.index("（二十）")


def test_sample_workbook_layout(sample_workbook: Path) -> None:
    book = load_workbook(sample_workbook)
    matrix = book["责任矩阵"]
    assert matrix.freeze_panes == "E2"  # header row and 文件/条目/任务/时限 stay in view
    assert matrix.auto_filter.ref == f"A1:{matrix.cell(1, matrix.max_column).column_letter}{matrix.max_row}"
    # 文件 is wide enough for a 发文字号 counted at two columns per CJK character.
    assert matrix.column_dimensions["A"].width >= display_width("渝府办发〔2021〕156号")
    fills = {}
    for row in matrix.iter_rows(min_row=2, min_col=5):
        for cell in row:
            if cell.value:
                fills.setdefault(cell.value, set()).add(cell.fill.fgColor.rgb)
    assert all(len(colours) == 1 for colours in fills.values())
    assert fills["参与*"] != fills["参与"] and fills["牵头"] != fills["参与"]
    legend = [row[0] for row in book["说明"].iter_rows(values_only=True)]
    assert "参与*" in legend and "牵头*" in legend


def test_sample_ledger_lists_each_assignment_with_its_quote_and_page(sample_store, sample_workbook) -> None:
    sheet = load_workbook(sample_workbook)["任务清单"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:6] == ("单位", "单位全称", "文件", "条目", "任务", "分工")
    col = {name: i for i, name in enumerate(header)}
    store = GraphStore(sample_store).oxigraph
    _, count = run(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a a gkg:Assignment }")
    assert len(rows) - 1 == count[0][0]
    by_agency = [r[col["单位"]] for r in rows[1:]]
    assert by_agency == sorted(by_agency, key=by_agency.index)  # grouped: each agency's rows together
    economy = [r for r in rows[1:] if r[col["单位"]] == "市经济信息委" and r[col["条目"]] == "三.（一）.1"]
    assert len(economy) == 1
    quote = economy[0][col["原文"]]
    assert quote.startswith("（责任单位") and "市经济信息委" in quote
    assert economy[0][col["分工"]] == "牵头"
    assert str(economy[0][col["页码"]]).isdigit()
    # A task with a target carries it into the ledger.
    assert any(r[col["目标"]] for r in rows[1:])


def test_sample_targets_sheet_matches_the_graph(sample_store: Path, sample_workbook: Path) -> None:
    rows = list(load_workbook(sample_workbook)["目标"].iter_rows(values_only=True))
    store = GraphStore(sample_store).oxigraph
    _, expected = run(store, "SELECT ?doc ?indicator ?value WHERE { ?t a gkg:Target ; gkg:document/gkg:key ?doc ;"
                             " gkg:indicator ?indicator ; gkg:value ?value }")  # fmt: skip
    col = {name: i for i, name in enumerate(rows[0])}
    written = Counter((r[col["文件"]], r[col["指标"]], str(r[col["目标值"]])) for r in rows[1:])
    assert written == Counter((d, i, v) for d, i, v in expected)
    assert len(rows) > 100


def test_csv_has_a_bom_and_the_same_cells_for_one_agency(sample_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    result = CliRunner().invoke(
        main,
        ["export", "matrix", "--out", str(out), "--store", str(sample_store), "--agency", "重庆市经济和信息化委员会"],
    )
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["文件", "条目", "任务", "时限", "市经济信息委"]
    expected = {k: v for k, v in _expected_cells(GraphStore(sample_store).oxigraph).items() if k[2] == "市经济信息委"}
    assert {(r[0], r[1], "市经济信息委"): r[4] for r in rows[1:]} == expected


def test_unknown_agency_or_suffix_is_a_clear_error(sample_store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", "matrix", "--out", str(tmp_path / "m.xlsx"), "--store",
                                  str(sample_store), "--agency", "不存在的局"])  # fmt: skip
    assert result.exit_code != 0 and "不存在的局" in result.output
    result = runner.invoke(main, ["export", "matrix", "--out", str(tmp_path / "m.pdf"), "--store", str(sample_store)])
    assert result.exit_code != 0 and ".xlsx or .csv" in result.output


# ---------------------------------------------------------------- State Council style, two issues


@pytest.fixture
def state_council_store() -> GraphStore:
    store = GraphStore()
    first = state_council_issue()
    # 各省政府 is made responsible by a sentence elsewhere: an implicit supporter of 二.（二）.
    money = next(a for a in first.assignments if a.task_path == "二.（二）")
    first.agencies["provinces"] = dataclasses.replace(
        first.agencies["mof"], id="provinces", name="各省、自治区、直辖市人民政府", short_name="各省级政府",
        kind="collective", aliases=(),
    )  # fmt: skip
    first.assignments.append(
        dataclasses.replace(money, agency_id="provinces", surface="各省", role="support", lead_basis="", rank=4,
                            basis="implicit")
    )  # fmt: skip
    store.ingest(later_issue())  # ingested first, yet its issue is the later one
    store.ingest(first)
    return store


def test_state_council_matrix_orders_issues_and_marks_implicit(state_council_store: GraphStore) -> None:
    matrix = responsibility_matrix(state_council_store.oxigraph)
    header, rows = matrix_table(matrix)
    assert [(r[0], r[1]) for r in rows] == [
        ("国办发〔2022〕12号", "二.（一）"), ("国办发〔2022〕12号", "二.（二）"), ("国办发〔2023〕3号", "一.（一）"),
    ]  # fmt: skip
    assert header[4] == "住房城乡建设部"  # three tasks: the busiest
    cell = dict(zip(header, rows[1], strict=True))
    assert cell["人民银行"] == "牵头" and cell["银保监会"] == "参与" and cell["各省级政府"] == "参与*"
    assert cell["自然资源部"] == ""
    assert rows[0][3] == "2022-12-31" and rows[2][3] == "2023-06-30"


def test_state_council_filters_and_sheets(state_council_store: GraphStore, tmp_path: Path) -> None:
    report = build_report(state_council_store.oxigraph, documents=["国办发〔2022〕 12 号"], agencies=["住建部"])
    assert [c.header for c in report.matrix.agencies] == ["住房城乡建设部"]
    assert [t.path for t in report.matrix.tasks] == ["二.（一）", "二.（二）"]
    assert [(r.path, r.role) for r in report.ledger] == [("二.（一）", "参与"), ("二.（二）", "参与")]
    assert [(t.indicator, t.value, t.unit, t.target_year) for t in report.targets] == [
        ("新增保障性租赁住房", "650", "万套", 2025)
    ]
    out = write_report(report, tmp_path / "gwy.xlsx")
    book = load_workbook(out)
    assert book["任务清单"].cell(2, 1).value == "住房城乡建设部"
    assert book["目标"].cell(2, 4).value == "新增保障性租赁住房"
