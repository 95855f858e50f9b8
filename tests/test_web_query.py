"""The explorer's query page (web/app.py): typed SPARQL within the endpoint's limits (through its worker
pool when the app has the endpoint's server, pre-parse checks and a row cap without), and read-only Cypher
on the embedded FalkorDB graph (issue 12 follow-ups)."""

from __future__ import annotations

import gc
import re
import warnings
from html import unescape
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from gazettekg.graph.endpoint import Limits, make_server
from gazettekg.web.app import create_app
from gazettekg.web.sparql import handler_app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "gazette-2022-01.txt"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DEEP = "SELECT * WHERE " + "{ " * 3000 + "?s ?p ?o" + " }" * 3000
AGENCIES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a gkg:Agency }"


def _error(html: str) -> str:
    found = re.search(r'<p class="error" id="error">(.*?)</p>', html, re.S)
    return unescape(found.group(1)) if found else ""


def _count(html: str) -> int:
    found = re.search(r'<table class="results" id="results">.*?<tbody>\s*<tr><td>(\d+)</td>', html, re.S)
    assert found, html[-2000:]
    return int(found.group(1))


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from gazettekg.cli import main

    store = tmp_path_factory.mktemp("web-query") / "store"
    result = CliRunner().invoke(main, ["ingest", str(SAMPLE), "--store", str(store)])
    assert result.exit_code == 0, result.output
    gc.collect()
    return store


@pytest.fixture(scope="module")
def served(store_dir: Path):
    """The app as `gazettekg serve` builds it, with a short time limit and one worker."""
    server = make_server(store_dir, "127.0.0.1", 0, quiet=True, limits=Limits(timeout=1.5), workers=1)
    try:
        with TestClient(create_app(store_dir, sparql_app=handler_app(server.RequestHandlerClass, server))) as c:
            yield c
    finally:
        server.server_close()


@pytest.fixture(scope="module")
def alone(store_dir: Path):
    """create_app without the endpoint's server: queries run in this process."""
    with TestClient(create_app(store_dir)) as c:
        yield c


def test_typed_sparql_runs_through_the_worker_pool(served, alone) -> None:
    r = served.post("/query", data={"sparql": AGENCIES})
    assert r.status_code == 200, _error(r.text)
    assert _count(r.text) == _count(alone.post("/query", data={"sparql": AGENCIES}).text) > 0
    named = served.get("/query", params={"name": "agency_tasks", "agency": "市应急局"})
    assert named.status_code == 200 and 'id="results"' in named.text
    graph = served.post("/query", data={"sparql": "CONSTRUCT { ?a a gkg:Agency } WHERE { ?a a gkg:Agency } LIMIT 3"})
    assert graph.status_code == 200 and '<span id="row-count">3</span>' in graph.text
    csv = served.post("/query.csv", data={"sparql": AGENCIES})
    assert csv.status_code == 200 and csv.content.decode("utf-8-sig").splitlines()[0] == "n"


def test_a_cartesian_query_is_stopped_at_the_time_limit(served) -> None:
    r = served.post("/query", data={"sparql": CARTESIAN})
    assert r.status_code == 503
    assert "time limit of 1.5 s" in _error(r.text) and "查询被终止" in _error(r.text)
    r = served.post("/query", data={"sparql": AGENCIES})  # the worker was replaced: the page still answers
    assert r.status_code == 200 and _count(r.text) > 0


@pytest.mark.parametrize("client_name", ["served", "alone"])
def test_deep_nesting_service_and_long_chains_are_refused_with_a_message(client_name: str, request) -> None:
    client = request.getfixturevalue(client_name)
    r = client.post("/query", data={"sparql": DEEP})
    assert r.status_code == 400 and "nested deeper than the limit of 100" in _error(r.text)
    chain = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 5000) + ") }"
    r = client.post("/query", data={"sparql": chain})
    assert r.status_code == 400 and "operators" in _error(r.text)
    r = client.post("/query", data={"sparql": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 403 and "SERVICE" in _error(r.text)
    assert client.post("/query.csv", data={"sparql": DEEP}).status_code == 400
    assert client.post("/query", data={"sparql": AGENCIES}).status_code == 200  # still up


def test_without_the_server_the_row_cap_applies(store_dir: Path) -> None:
    import gazettekg.web.app as web

    app = create_app(store_dir)
    with TestClient(app) as client:
        runner = web._Queries(app.state.view, None)
        runner.limits = Limits(max_rows=5)
        context = runner.run({"sparql": "SELECT * WHERE { ?s ?p ?o }"})
        assert context["status"] == 500 and "more than 5 rows" in str(context["error"])
        assert runner.run({"sparql": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})["total"] == 5
        assert client.get("/query").status_code == 200


# ---------------------------------------------------------------- Cypher


def _falkor() -> bool:
    from gazettekg.graph import falkor

    return falkor.available()


cypher = pytest.mark.skipif(not _falkor(), reason="falkordblite is not installed (pip install '.[cypher]')")


@cypher
def test_cypher_counts_the_same_agencies_as_sparql(served, alone) -> None:
    page = served.get("/query", params={"lang": "cypher"})
    assert page.status_code == 200 and 'id="cypher"' in page.text and "cypher-missing" not in page.text
    assert "MATCH" in unescape(served.get("/query", params={"lang": "cypher", "name": "leads", "example": "1"}).text)
    sparql = _count(served.post("/query", data={"sparql": AGENCIES}).text)
    for client in (served, alone):
        r = client.post("/query", data={"lang": "cypher", "cypher": "MATCH (a:Agency) RETURN count(a)"})
        assert r.status_code == 200, _error(r.text)
        assert _count(r.text) == sparql
    csv = served.post("/query.csv", data={"lang": "cypher", "cypher": "MATCH (a:Agency) RETURN count(a) AS n"})
    assert csv.status_code == 200 and csv.content.decode("utf-8-sig").splitlines() == ["n", str(sparql)]


@cypher
def test_named_cypher_queries_give_the_sparql_rows(served) -> None:
    for name, params in (("leads", {}), ("agency_tasks", {"agency": "市应急局"})):
        rows = []
        for lang in ("sparql", "cypher"):
            r = served.get("/query", params={"name": name, "lang": lang, **params})
            assert r.status_code == 200, _error(r.text)
            rows.append(re.search(r'<span id="row-count">(\d+)</span>', r.text).group(1))
        assert rows[0] == rows[1] != "0"


@cypher
def test_cypher_writes_are_refused_with_a_message(served, store_dir: Path) -> None:
    for text in ("CREATE (:X)", "MATCH (a:Agency) SET a.name = 'x'", "MATCH (n) DETACH DELETE n"):
        r = served.post("/query", data={"lang": "cypher", "cypher": text})
        assert r.status_code == 403 and "只读" in _error(r.text), _error(r.text)
    r = served.post("/query", data={"lang": "cypher", "cypher": "MATCH (x:X) RETURN count(x)"})
    assert r.status_code == 200 and _count(r.text) == 0
    r = served.post("/query", data={"lang": "cypher", "cypher": "MATC nonsense"})
    assert r.status_code == 400 and "Cypher error" in _error(r.text)


def test_without_falkordb_the_cypher_tab_says_so(alone, monkeypatch) -> None:
    from gazettekg.graph import falkor

    monkeypatch.setattr(falkor, "available", lambda: False)
    page = alone.get("/query", params={"lang": "cypher"})
    assert page.status_code == 200 and 'id="cypher-missing"' in page.text and "FalkorDBLite" in page.text
    r = alone.post("/query", data={"lang": "cypher", "cypher": "MATCH (a:Agency) RETURN count(a)"})
    assert r.status_code == 503 and "FalkorDBLite" in _error(r.text)


@cypher
def test_a_cypher_query_over_the_time_limit_is_stopped(served) -> None:
    slow = "MATCH (a), (b), (c) WHERE a.id < b.id RETURN count(*)"
    r = served.post("/query", data={"lang": "cypher", "cypher": slow})
    assert r.status_code == 503 and "time limit of 1.5 s" in _error(r.text)
    r = served.post("/query", data={"lang": "cypher", "cypher": "MATCH (a:Agency) RETURN count(a)"})
    assert r.status_code == 200 and _count(r.text) > 0


@cypher
def test_the_embedded_graph_is_reloaded_when_an_ingest_saves_it(served, store_dir: Path) -> None:
    import os

    from gazettekg.graph import falkor

    ask = {"lang": "cypher", "cypher": "MATCH (a:Agency) RETURN count(a)"}
    before = _count(served.post("/query", data=ask).text)
    path = falkor.database_path(store_dir).resolve()
    first = falkor._OPEN[path].process.pid
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # as a writer's SAVE would
    assert _count(served.post("/query", data=ask).text) == before
    assert falkor._OPEN[path].process.pid != first  # a fresh server loaded the file
