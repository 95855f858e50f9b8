"""The property graph: rows, the exact Cypher statements, FalkorDBLite loading, export, Neo4j plumbing."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazettekg.graph import cypher, export, falkor
from gazettekg.graph.cypher import FALKORDB, NEO4J
from gazettekg.graph.ids import agency_key, doc_key, iri, task_key
from gazettekg.graph.neo4j_loader import load_with_driver
from gazettekg.graph.property import STUB, RelGroup, build_property_graph, combine
from gazettekg.tests.cypher_samples import city_issue, guangdong_issue

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "gazette-2022-01.txt"

needs_falkor = pytest.mark.skipif(
    not falkor.available() and os.environ.get("GAZETTEKG_REQUIRE_CYPHER") != "1",
    reason="falkordblite is not installed (pip install '.[cypher]'); set GAZETTEKG_REQUIRE_CYPHER=1 to fail instead",
)


@pytest.fixture(scope="session")
def sample_extraction():
    from gazettekg.extract.pipeline import extract_file

    return extract_file(SAMPLE)


@pytest.fixture(scope="module", autouse=True)
def _stop_servers():
    yield
    falkor.close()


def rows_of(graph, label):
    return {row["id"]: row["props"] for row in graph.nodes.get(label, [])}


def rels_of(graph, rel_type):
    return {(g.src_label, r["src"], g.dst_label, r["dst"]): r["props"]
            for g, rows in graph.relationships.items() if g.type == rel_type for r in rows}  # fmt: skip


# ---- rows ----
def test_rows_follow_the_contract_names_and_keys() -> None:
    x = guangdong_issue()
    g = build_property_graph(x)
    doc = doc_key("粤府办〔2022〕5号")
    assert rows_of(g, "Document")[doc]["date"] == "2022-03-08"
    assert rows_of(g, "Agency")["gd-ndrc"]["aliases"] == ["广东省发改委"]
    task = task_key(doc, "一.（一）")
    props = rows_of(g, "Task")[task]
    assert (props["doc"], props["path"], props["title"]) == (doc, "一.（一）", "建设骨干冷链物流基地")
    assert x.source.text[props["start"] : props["end"]] == props["quote"] == "（一）建设骨干冷链物流基地"
    assert ("Task", task, "Task", task_key(doc, "一")) in rels_of(g, "SUBTASK_OF")
    lead = rels_of(g, "LEADS")[("Agency", "gd-ndrc", "Task", task)]
    assert lead["basis"] == "explicit" and lead["lead_basis"] == "marked" and lead["rank"] == 1
    assert lead["quote"] == "（省发展改革委牵头，省交通运输厅、省商务厅配合）"
    assert rels_of(g, "SUPPORTS")[("Agency", "gd-cities", "Task", task)]["basis"] == "implicit"
    # a fact with where == "" hangs on the Document; the others on their Task
    aims = rels_of(g, "AIMS_AT")
    assert [k[0] for k in aims] == ["Document"]
    assert {k[0] for k in rels_of(g, "DUE_BY")} == {"Document", "Task"}
    # supersedes a document never ingested -> stub; cites only the 发文字号, not the 《title》
    assert [r["id"] for r in g.nodes[STUB]] == ["粤府办〔2019〕20号", "粤府〔2021〕1号"]
    assert {k[3] for k in rels_of(g, "CITES")} == {"粤府〔2021〕1号"}
    assert ("Document", doc, "Agency", "gd-office") in rels_of(g, "ISSUED_BY")
    assert ("Agency", "gd-office", "Agency", "gd-gov") in rels_of(g, "SUB_ORGANIZATION_OF")
    duty = next(iter(rows_of(g, "Duty").values()))
    assert (duty["role"], duty["duty"], duty["where"]) == ("responsible", "统筹协调", "二")
    assert ("Duty", next(iter(rows_of(g, "Duty"))), "Agency", "gd-ndrc") in rels_of(g, "WITH_AGENCY")


def test_fact_ids_are_the_rdf_node_keys() -> None:
    from rdflib import URIRef

    from gazettekg.graph.rdf import build_graph

    x = guangdong_issue()
    g = build_property_graph(x)
    subjects = {str(s) for s in build_graph(x).subjects()}
    for label, kind in (("Deadline", "deadline"), ("Target", "target"), ("Duty", "duty"), ("Rule", "rule"),
                        ("Task", "task"), ("Agency", "agency"), ("Document", "doc"), ("Issue", "issue")):  # fmt: skip
        for node_id in rows_of(g, label):
            assert str(URIRef(iri(kind, node_id))) in subjects, (label, node_id)


def test_an_ingested_document_replaces_the_stub_another_reference_made() -> None:
    combined = combine([build_property_graph(city_issue()), build_property_graph(guangdong_issue())])
    documents = rows_of(combined, "Document")
    assert documents["粤府办〔2022〕5号"]["title"] == "广东省推动冷链物流高质量发展实施方案"
    assert "粤府办〔2022〕5号" not in rows_of(combined, STUB)
    assert rows_of(combined, "Agency")["gd-transport"]["name"] == "广东省交通运输厅"


# ---- statements ----
def test_statement_text_is_exact() -> None:
    assert cypher.merge_node_statement("Agency") == (
        "UNWIND $rows AS row MERGE (n:Agency {id: row.id}) SET n += row.props"
    )
    assert cypher.merge_relationship_statement(RelGroup("LEADS", "Agency", "Task")) == (
        "UNWIND $rows AS row MATCH (a:Agency {id: row.src}) MATCH (b:Task {id: row.dst}) "
        "MERGE (a)-[r:LEADS]->(b) SET r += row.props"
    )
    assert cypher.merge_node_statement(STUB) == (
        "UNWIND $rows AS row MERGE (n:Document {id: row.id}) ON CREATE SET n += row.props"
    )
    neo4j = cypher.schema_statements(NEO4J)
    assert neo4j[0] == "CREATE CONSTRAINT issue_id IF NOT EXISTS FOR (n:Issue) REQUIRE n.id IS UNIQUE"
    assert "CREATE INDEX task_doc IF NOT EXISTS FOR (n:Task) ON (n.doc)" in neo4j
    assert cypher.schema_statements(FALKORDB)[0] == "CREATE INDEX FOR (n:Issue) ON (n.id)"
    with pytest.raises(ValueError):
        cypher.schema_statements("memgraph")


def test_issue_statements_delete_first_then_merge_nodes_then_relationships_in_batches() -> None:
    x = guangdong_issue()
    statements = cypher.issue_statements(x, batch_size=3)
    texts = [t for t, _ in statements]
    assert texts[0] == (
        "MATCH (:Issue {id: $issue})-[:CONTAINS]->(d:Document) MATCH (n:Task {doc: d.id}) DETACH DELETE n"
    )
    assert statements[0][1] == {"issue": "广东省人民政府公报2022年第7期"}
    first_merge = next(i for i, t in enumerate(texts) if "MERGE" in t)
    assert all("DELETE" in t for t in texts[:first_merge])
    first_rel = next(i for i, t in enumerate(texts) if "MATCH (a:" in t)
    assert all("MATCH (a:" not in t for t in texts[first_merge:first_rel])
    agency_batches = [p["rows"] for t, p in statements if t == cypher.merge_node_statement("Agency")]
    assert [len(b) for b in agency_batches] == [3, 3, 1]
    with pytest.raises(ValueError):
        cypher.issue_statements(x, batch_size=0)


# ---- Neo4j driver plumbing (statements themselves are proven on FalkorDBLite below) ----
class _Counters:
    nodes_created, relationships_created, properties_set = 2, 1, 5


class _Result:
    def __init__(self, log, text, params):
        log.append((text, params))

    def consume(self):
        return type("Summary", (), {"counters": _Counters()})()


class _FakeSession:
    def __init__(self, log):
        self.log, self.write_calls = log, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, text, params=None):
        return _Result(self.log, text, params)

    def execute_write(self, work, *args):
        self.write_calls += 1
        return work(self, *args)  # a managed transaction exposes the same run()


class _FakeDriver:
    def __init__(self):
        self.log, self.databases = [], []
        self.session_obj = _FakeSession(self.log)

    def session(self, database=None):
        self.databases.append(database)
        return self.session_obj


def test_neo4j_loader_runs_schema_then_one_write_transaction_per_batch() -> None:
    x = guangdong_issue()
    statements = cypher.issue_statements(x, batch_size=2)
    driver = _FakeDriver()
    seen = []
    summary = load_with_driver(driver, statements, database="gazettes", on_statement=seen.append)
    schema = cypher.schema_statements(NEO4J)
    assert driver.databases == ["gazettes"]
    assert [t for t, _ in driver.log[: len(schema)]] == schema
    assert driver.log[len(schema) :] == statements
    assert driver.session_obj.write_calls == len(statements) == summary.statements == len(seen)
    assert summary.nodes_created == 2 * len(statements)


# ---- FalkorDBLite ----
@needs_falkor
def test_sync_is_idempotent_and_replaces_what_an_issue_contributed(tmp_path: Path) -> None:
    store = tmp_path / "store"
    x = guangdong_issue()
    falkor.sync(store, x)
    first = falkor.counts(store)
    falkor.sync(store, x)
    assert falkor.counts(store) == first
    g = build_property_graph(x)
    assert sum(first.get(label, 0) for label in ("Issue", "Document", "Task", "Agency", "Deadline", "Target",
                                                 "Duty", "Rule")) == g.node_count()  # fmt: skip
    assert sum(v for k, v in first.items() if k.isupper()) == g.relationship_count()

    # Re-extracted without its deadlines: the old Deadline nodes must not linger.
    x.deadlines = []
    falkor.sync(store, x)
    after = falkor.counts(store)
    assert "Deadline" not in after and "DUE_BY" not in after
    assert after["Task"] == first["Task"]


@needs_falkor
def test_two_issues_share_agencies_and_link_documents(tmp_path: Path) -> None:
    store = tmp_path / "store"
    falkor.sync(store, city_issue())  # cites the Guangdong document before it is ingested: a stub
    stub = "MATCH (d:Document {id: $id}) RETURN d.number, d.title"
    _, rows = falkor.run_cypher(store, stub, {"id": "粤府办〔2022〕5号"})
    assert rows == [["粤府办〔2022〕5号", None]]
    falkor.sync(store, guangdong_issue())
    falkor.sync(store, city_issue())  # re-loading the citing issue must not clobber the ingested document
    _, rows = falkor.run_cypher(
        store,
        "MATCH (c:Document)-[:CITES]->(d:Document {id: $id}) RETURN c.id, d.title",
        {"id": "粤府办〔2022〕5号"},
    )
    assert rows == [["深府〔2023〕2号", "广东省推动冷链物流高质量发展实施方案"]]
    _, rows = falkor.run_cypher(
        store,
        "MATCH (a:Agency {id: $a})-[:SUPPORTS]->(t:Task) RETURN t.doc ORDER BY t.doc",
        {"a": agency_key("gd-transport")},
    )
    assert rows == [["深府〔2023〕2号"], ["粤府办〔2022〕5号"]]
    columns, rows = falkor.run_cypher(store, "MATCH (a:Agency {id: 'gd-ndrc'}) RETURN a", {})
    assert columns == ["a"] and rows[0][0]["name"] == "广东省发展和改革委员会"


@needs_falkor
def test_sample_loads_idempotently(tmp_path: Path, sample_extraction) -> None:
    store = tmp_path / "store"
    falkor.sync(store, sample_extraction)
    first = falkor.counts(store)
    falkor.sync(store, sample_extraction)
    assert falkor.counts(store) == first
    g = build_property_graph(sample_extraction)
    assert first["Document"] == len(rows_of(g, "Document")) + len(rows_of(g, STUB))
    assert first["Agency"] == len(rows_of(g, "Agency"))
    assert first.get("LEADS", 0) == len({(a.agency_id, a.doc_id, a.task_path) for a in sample_extraction.assignments
                                         if a.role == "lead" and a.task_path})  # fmt: skip
    # reading the store back gives the same graph
    again = falkor.read_property_graph(store)
    assert (again.node_count(), again.relationship_count()) == (g.node_count(), g.relationship_count())


# ---- export ----
def test_cypher_literals_escape_quotes_backslashes_and_newlines() -> None:
    value = {"s": '它\'s "q" \\ a\nb', "n": None, "l": [1, 2], "odd key": True}
    assert export.cypher_literal(value) == "{s: '它\\'s \"q\" \\\\ a\\nb', n: null, l: [1, 2], `odd key`: true}"


@needs_falkor
def test_exported_script_and_csvs_rebuild_the_same_graph(tmp_path: Path) -> None:
    issues = [guangdong_issue(), city_issue()]
    files = export.export_extractions(tmp_path / "out", issues, batch_size=2)
    script = tmp_path / "out" / export.SCRIPT_NAME
    assert script in files
    by_sync = tmp_path / "sync"
    for x in issues:
        falkor.sync(by_sync, x)
    by_script = tmp_path / "script"
    with falkor.open_graph(by_script) as graph:
        falkor.ensure_schema(graph)
        for line in script.read_text(encoding="utf-8").splitlines():
            if line.startswith("//") or line.startswith("CREATE "):
                continue  # comment, or Neo4j schema syntax FalkorDB does not speak
            graph.query(line.removesuffix(";"))
        # literals survive the round trip exactly
        _, rows = falkor.query(graph, "RETURN " + export.cypher_literal("它's \\ \n"))
        assert rows == [["它's \\ \n"]]
    assert falkor.counts(by_script) == falkor.counts(by_sync)

    with open(tmp_path / "out" / "nodes_Agency.csv", encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header[0] == "id:ID(Agency)" and header[-1] == ":LABEL" and "aliases:string[]" in header
    with open(tmp_path / "out" / "rels_LEADS_Agency_Task.csv", encoding="utf-8") as f:
        reader = csv.reader(f)
        header, first = next(reader), next(reader)
    assert header[:3] == [":START_ID(Agency)", ":END_ID(Task)", ":TYPE"] and "rank:int" in header
    assert first[2] == "LEADS"
    docs = (tmp_path / "out" / "nodes_Document.csv").read_text(encoding="utf-8")
    assert "粤府办〔2019〕20号" in docs  # stubs are Documents too


# ---- CLI ----
@needs_falkor
def test_cli_cypher_and_export(tmp_path: Path) -> None:
    from gazettekg.cli import main

    store = tmp_path / "store"
    falkor.sync(store, guangdong_issue())
    runner = CliRunner()
    result = runner.invoke(main, ["cypher", "MATCH (t:Target) WHERE t.target_year = $y RETURN t.value AS v",
                                  "-p", "y=2025", "--format", "csv", "--store", str(store)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["v", "1000"]
    result = runner.invoke(main, ["cypher", "MATCH (n RETURN n", "--store", str(store)])
    assert result.exit_code == 1 and "Cypher error" in result.output
    result = runner.invoke(main, ["cypher", "RETURN 1", "--store", str(tmp_path / "missing")])
    assert result.exit_code == 1 and "no Cypher graph" in result.output
    result = runner.invoke(main, ["export", "cypher", "--store", str(store), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "nodes_Task.csv").exists()
