"""The named SPARQL queries (queries/*.rq) on hand-built issues and on the sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazettekg import queries
from gazettekg.graph.network import co_responsibility_graph
from gazettekg.graph.sparql import bind_parameters, run, run_named
from gazettekg.graph.store import GraphStore
from gazettekg.tests.graph_samples import later_issue, state_council_issue

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "gazette-2022-01.txt"
NEW, OLD = "国办发〔2023〕3号", "国办发〔2022〕12号"
LAND = "（自然资源部牵头，住房城乡建设部、财政部按职责分工负责）"
MONEY = "（人民银行牵头，银保监会、住房城乡建设部按职责分工负责）"
STOCK = "（住房城乡建设部牵头，自然资源部按职责分工负责）"


@pytest.fixture(scope="module")
def store() -> GraphStore:
    s = GraphStore()
    s.ingest(state_council_issue())
    s.ingest(later_issue())
    return s


@pytest.fixture(scope="session")
def sample_store() -> tuple:
    from gazettekg.extract.pipeline import extract_file

    x = extract_file(SAMPLE)
    s = GraphStore()
    s.ingest(x)
    return x, s


def test_every_named_query_has_a_sparql_text_and_declared_params() -> None:
    assert queries.names() == list(queries.PARAMS)
    for name in queries.names():
        text = queries.load(name, "sparql")
        for param in queries.PARAMS[name]:
            assert f"${param}" in text


def test_leads(store) -> None:
    columns, rows = run_named(store.oxigraph, "leads")
    assert columns == ["agency", "doc", "path", "task", "quote"]
    # Strings sort by code point, as in Cypher: 中华… before 中国….
    assert rows == [
        ("中华人民共和国住房和城乡建设部", NEW, "一.（一）", "盘活存量房屋", STOCK),
        ("中华人民共和国自然资源部", OLD, "二.（一）", "加强土地支持", LAND),
        ("中国人民银行", OLD, "二.（二）", "完善金融支持", MONEY),
    ]


def test_agency_tasks_spans_issues_with_earliest_deadline_and_target_count(store) -> None:
    columns, rows = run_named(store.oxigraph, "agency_tasks", {"agency": "mohurd"})
    assert columns == ["role", "basis", "doc", "path", "task", "deadline", "targets"]
    assert rows == [
        ("support", "explicit", OLD, "二.（一）", "加强土地支持", "2022-12-31", 0),
        ("support", "explicit", OLD, "二.（二）", "完善金融支持", None, 0),
        ("lead", "explicit", NEW, "一.（一）", "盘活存量房屋", "2023-06-30", 0),
    ]


def test_due_before_is_strict_and_sorted_by_date(store) -> None:
    columns, rows = run_named(store.oxigraph, "due_before", {"date": "2023-06-30"})
    assert columns == ["doc", "path", "task", "deadline", "expr", "quote"]
    assert [(r[0], r[1], r[3], r[4]) for r in rows] == [  # same date: in the order of the text
        (OLD, "二.（一）", "2022-12-31", "2022年底"),
        (OLD, "三", "2022-12-31", "每季度"),
    ]
    assert rows[0][2] == "加强土地支持" and rows[0][5] == "2022年底前完成存量用地清理"
    _, later = run_named(store.oxigraph, "due_before", {"date": "2026-01-01"})
    body = [r for r in later if r[1] == ""]
    assert body == [(OLD, "", None, "2025-12-31", "到2025年", "到2025年，全国新增保障性租赁住房650万套以上")]


def test_targets_for_year(store) -> None:
    columns, rows = run_named(store.oxigraph, "targets_for_year", {"year": "2025"})
    assert columns == ["doc", "path", "indicator", "value", "unit", "comparator", "target_year", "quote"]
    quote = "到2025年，全国新增保障性租赁住房650万套以上"
    assert rows == [(OLD, "一", "新增保障性租赁住房", "650", "万套", ">=", 2025, quote)]
    assert run_named(store.oxigraph, "targets_for_year", {"year": 2030})[1] == []


def test_co_agencies_counts_shared_tasks(store) -> None:
    columns, rows = run_named(store.oxigraph, "co_agencies", {"agency": "mohurd"})
    assert columns == ["agency", "shared_tasks"]
    assert rows == [
        ("中华人民共和国自然资源部", 2),
        ("中华人民共和国财政部", 1),
        ("中国人民银行", 1),
        ("中国银行保险监督管理委员会", 1),
    ]


def test_workload(store) -> None:
    columns, rows = run_named(store.oxigraph, "workload")
    assert columns == ["agency", "lead", "support", "total"]
    assert rows[:2] == [("中华人民共和国住房和城乡建设部", 1, 2, 3), ("中华人民共和国自然资源部", 1, 1, 2)]
    assert sum(r[3] for r in rows) == 8


def test_document_links(store) -> None:
    columns, rows = run_named(store.oxigraph, "document_links")
    assert columns == ["doc", "relation", "target"]
    assert rows == [(NEW, "cites", "安委〔2021〕9号"), (NEW, "supersedes", OLD)]


def test_parameters_are_bound_as_escaped_literals(store) -> None:
    hostile = 'mohurd" } UNION { ?a ?b ?c } #'
    text = bind_parameters("SELECT * WHERE { ?x gkg:key $agency }", {"agency": hostile})
    assert text.count("UNION") == 1 and '\\"' in text
    assert run_named(store.oxigraph, "agency_tasks", {"agency": hostile})[1] == []
    with pytest.raises(ValueError):
        run_named(store.oxigraph, "due_before", {"date": "next week"})
    with pytest.raises(ValueError):
        run_named(store.oxigraph, "leads", {"agency": "mohurd"})


def test_free_sparql_returns_python_values(store) -> None:
    columns, rows = run(store.oxigraph, "SELECT ?d ?date WHERE { ?x gkg:key ?d ; eli:date_document ?date } ORDER BY ?d")
    assert columns == ["d", "date"]
    assert rows == [(OLD, "2022-03-01"), (NEW, "2023-02-01")]
    assert run(store.oxigraph, "ASK { ?a a gkg:Agency }") == (["ask"], [(True,)])


def test_co_responsibility_network(store) -> None:
    graph = co_responsibility_graph(store.oxigraph)
    assert graph.edges["mohurd", "mnr"]["weight"] == 2
    assert graph.nodes["pbc"]["leads"] == 1
    assert "gov-office" not in graph  # issues documents but is assigned no task


def test_sample_queries_answer_with_quotes_from_the_text(sample_store) -> None:
    x, store = sample_store
    _, leads = run_named(store.oxigraph, "leads")
    assert len(leads) == sum(1 for a in x.assignments if a.role == "lead") > 0
    assert all(quote in x.source.text for *_, quote in leads)
    busiest = max({a.agency_id for a in x.assignments}, key=lambda k: sum(a.agency_id == k for a in x.assignments))
    _, tasks = run_named(store.oxigraph, "agency_tasks", {"agency": busiest})
    assert len(tasks) == sum(a.agency_id == busiest for a in x.assignments)
    _, work = run_named(store.oxigraph, "workload")
    assert work[0][0] == x.agencies[busiest].name
    assert sum(r[3] for r in work) == len(x.assignments)
    _, links = run_named(store.oxigraph, "document_links")
    expected = {(d.doc_id, "supersedes", s) for d in x.documents for s in d.supersedes}
    assert expected <= {tuple(r) for r in links}
