"""The web explorer (web/app.py) through Starlette's TestClient: every route, on the ingested sample."""

from __future__ import annotations

import gc
import io
import re
import warnings
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from gazettekg.cli import main
from gazettekg.graph.ids import task_key
from gazettekg.graph.sparql import agency_keys, run_named
from gazettekg.graph.store import GraphStore

pytest.importorskip("starlette")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # "install httpx2": httpx is what the dev extra pins
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from gazettekg.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "gazette-2022-01.txt"
ISSUE = "重庆市人民政府公报2022年第1期"
DOC = "渝府办发〔2021〕156号"


def ingest(inputs: list[Path], store: Path) -> Path:
    result = CliRunner().invoke(main, ["ingest", *map(str, inputs), "--store", str(store)])
    assert result.exit_code == 0, result.output
    gc.collect()
    return store


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingest([SAMPLE], tmp_path_factory.mktemp("web") / "store")


@pytest.fixture(scope="module")
def client(store_dir: Path):
    with TestClient(create_app(store_dir)) as c:
        yield c


@pytest.fixture(scope="module")
def graph(store_dir: Path):
    return GraphStore(store_dir, read_only=True).oxigraph


def u(key: str) -> str:
    return quote(key, safe="")


def texts(html: str, pattern: str) -> list[str]:
    return [unescape(m) for m in re.findall(pattern, html, re.S)]


def test_index_lists_the_issue_and_busiest_agencies(client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "text/html" in r.headers["content-type"]
    assert ISSUE in r.text and f'href="/issue/{u(ISSUE)}"' in r.text
    assert "server-timing" in r.headers


def test_agency_in_any_spelling_redirects_to_its_page(client, graph) -> None:
    [key] = agency_keys(graph, "市应急局")
    r = client.get("/agency", params={"name": "市应急局"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/agency/{u(key)}"
    assert client.get(f"/agency/{u('市应急局')}").url.path == f"/agency/{key}"


def test_agency_page_lists_exactly_the_graphs_assignments(client, graph) -> None:
    [key] = agency_keys(graph, "市应急局")
    r = client.get(f"/agency/{u(key)}")
    assert r.status_code == 200
    listed = sorted(zip(texts(r.text, r'<tr data-task="([^"]+)"'), texts(r.text, r'data-role="([^"]+)"'), strict=True))
    _, rows = run_named(graph, "agency_tasks", {"agency": key})
    expected = sorted((task_key(doc, path), role) for role, _, doc, path, *_ in rows)
    assert listed == expected and listed
    assert "<svg" in r.text and "时限时间轴" in r.text  # the timeline
    assert "协同单位" in r.text


def test_agency_filters(client, graph) -> None:
    [key] = agency_keys(graph, "市应急局")
    everything = texts(client.get(f"/agency/{u(key)}").text, r'data-role="([^"]+)"')
    leads = texts(client.get(f"/agency/{u(key)}", params={"role": "lead"}).text, r'data-role="([^"]+)"')
    assert leads == [r for r in everything if r == "lead"]
    by_doc = client.get(f"/agency/{u(key)}", params={"doc": DOC}).text
    assert all(t.startswith(DOC) for t in texts(by_doc, r'<tr data-task="([^"]+)"'))
    dated = client.get(f"/agency/{u(key)}", params={"due_from": "2000-01-01", "due_to": "2100-12-31"}).text
    assert len(texts(dated, r"<tr data-task=")) <= len(everything)
    nothing = client.get(f"/agency/{u(key)}", params={"issue": "no such issue"}).text
    assert "没有符合条件的任务" in nothing


def test_unknown_pages_are_404(client) -> None:
    for path in ("/agency/无此单位", "/task/nothing%23here", "/doc/nothing", "/issue/nothing", "/source/" + "0" * 64):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "text/html" in r.headers["content-type"]


def test_task_page_marks_the_clause_in_the_source_text(client, graph) -> None:
    _, rows = run_named(graph, "leads")
    agency, doc, path, title, quote_ = next(r for r in rows if r[1] == DOC)
    r = client.get(f"/task/{u(task_key(doc, path))}")
    assert r.status_code == 200
    assert title in unescape(r.text)
    # the assignment's quote, reassembled from the marks that carry its id
    fact = re.search(r'<tr id="fact-(a\d+)" data-quote="([^"]*)">\s*<td><a [^>]*>' + re.escape(agency), r.text)
    assert fact is not None
    ident, quoted = fact.group(1), unescape(fact.group(2))
    marks = re.findall(r'<mark class="([^"]*)" data-facts="([^"]*)"[^>]*>(.*?)</mark>', r.text, re.S)
    text = "".join(re.sub(r"<[^>]+>", "", unescape(m[2])) for m in marks if ident in m[1].split())
    assert text == quoted == quote_
    assert re.search(r'<span class="page" id="page-\d+">第\d+页</span>', r.text)  # page markers in the text


def test_task_page_links_the_pdf_at_its_page(tmp_path: Path) -> None:
    store = ingest([ROOT / "corpus" / "gazette-2022-01.pdf"], tmp_path / "store")
    graph = GraphStore(store, read_only=True).oxigraph
    _, rows = run_named(graph, "leads")
    _, doc, path, _, _ = rows[0]
    with TestClient(create_app(store)) as client:
        r = client.get(f"/task/{u(task_key(doc, path))}")
        link = re.search(r'id="pdf-link" href="(/source/[0-9a-f]{64})#page=(\d+)"', r.text)
        assert link is not None and int(link.group(2)) >= 1
        pdf = client.get(link.group(1))
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")


def test_doc_page_tree_links_and_matrix(client, graph) -> None:
    from gazettekg.queries.matrix import matrix_table, responsibility_matrix

    r = client.get(f"/doc/{u(DOC)}")
    assert r.status_code == 200
    html = unescape(r.text)
    assert "条目结构" in html and "牵头：" in html
    assert "引用" in html and "安委〔2021〕9号" in html  # cites
    header, rows = matrix_table(responsibility_matrix(graph, documents=[DOC]))
    table = re.search(r'<table class="matrix" id="matrix">(.*?)</table>', r.text, re.S).group(1)
    body = re.findall(r"<tr><td>(.*?)</tr>", table, re.S)
    cells = [[re.sub(r"<[^>]+>", "", unescape(c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", "<td>" + b, re.S)]
             for b in body]  # fmt: skip
    assert cells == rows
    heads = [re.sub(r"<[^>]+>", "", unescape(h)).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]
    assert heads == header
    assert f"/export/matrix.xlsx?doc={quote(DOC)}" in r.text


def test_superseded_document_page(client) -> None:
    r = client.get(f"/doc/{u('渝办发〔2006〕14号')}")
    assert r.status_code == 200
    assert "被替代于" in r.text and "未导入" in r.text


def test_issue_page_and_matrix_xlsx(client, graph) -> None:
    from openpyxl import load_workbook

    from gazettekg.queries.matrix import responsibility_matrix

    r = client.get(f"/issue/{u(ISSUE)}")
    assert r.status_code == 200 and DOC in r.text
    x = client.get("/export/matrix.xlsx", params={"issue": ISSUE})
    assert x.status_code == 200 and "attachment" in x.headers["content-disposition"]
    book = load_workbook(io.BytesIO(x.content))
    assert book.sheetnames[:2] == ["责任矩阵", "任务清单"]
    matrix = responsibility_matrix(graph)
    assert book["责任矩阵"].max_row == len(matrix.tasks) + 1
    assert client.get("/export/matrix.xlsx", params={"doc": "no such doc"}).status_code == 404


def test_search_finds_agencies_tasks_and_documents(client, graph) -> None:
    [key] = agency_keys(graph, "市应急局")
    r = client.get("/search", params={"q": "市应急局"})
    assert f'href="/agency/{u(key)}"' in r.text and "名称相符" in r.text
    r = client.get("/search", params={"q": "燃气 安全"})
    titles = texts(r.text, r'<ul class="results" id="task-results">(.*?)</ul>')
    assert titles and "燃气" in titles[0]
    r = client.get("/search", params={"q": "渝府办发〔2021〕156 号"})
    assert f'href="/doc/{u(DOC)}"' in r.text
    assert client.get("/search").status_code == 200


def test_query_page_runs_named_and_typed_queries(client, graph) -> None:
    page = client.get("/query")
    assert page.status_code == 200 and "leads" in page.text and "<textarea" in page.text
    _, rows = run_named(graph, "leads")
    r = client.get("/query", params={"name": "leads"})
    assert f'<span id="row-count">{len(rows)}</span>' in r.text
    r = client.get("/query", params={"name": "agency_tasks", "agency": "市应急局"})
    assert r.status_code == 200 and 'id="results"' in r.text
    r = client.post("/query", data={"sparql": "SELECT (COUNT(*) AS ?n) WHERE { ?t a gkg:Task }"})
    assert r.status_code == 200 and '<span id="row-count">1</span>' in r.text
    csv = client.post("/query.csv", data={"name": "leads"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert len(csv.content.decode("utf-8-sig").strip().splitlines()) == len(rows) + 1


def test_query_page_is_read_only(client, graph) -> None:
    before = len(graph)
    for text in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "PREFIX x: <urn:x>\nDROP ALL", "CLEAR DEFAULT"):
        r = client.post("/query", data={"sparql": text})
        assert r.status_code == 400 and "只读" in r.text
        assert client.post("/query.csv", data={"sparql": text}).status_code == 400
    assert len(graph) == before
    r = client.post("/query", data={"sparql": "SELECT * WHERE { ?s ?p 'DELETE' } LIMIT 1"})
    assert r.status_code == 200  # a literal saying DELETE is not an update
    assert client.post("/query", data={"sparql": "SELEC nonsense"}).status_code == 400


def test_static_and_mounting_a_sparql_app(store_dir: Path) -> None:
    async def sparql(scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": f"sparql {scope['path']}".encode()})

    with TestClient(create_app(store_dir, sparql_app=sparql)) as client:
        assert client.get("/sparql", params={"query": "ASK {}"}).text == "sparql /sparql"
        assert client.post("/sparql", content="ASK {}",
                           headers={"content-type": "application/sparql-query"}).text == "sparql /sparql"
        assert client.get("/query", params={"query": "ASK {}"}).text == "sparql /query"  # protocol at /query
        assert client.post("/query", data={"query": "ASK {}"}).text == "sparql /query"
        assert "命名查询" in client.post("/query", data={"sparql": "ASK {}"}).text  # the page
        assert "总览" in client.get("/").text
        assert client.get("/static/style.css").status_code == 200
