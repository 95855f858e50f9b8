"""The read-only SPARQL endpoint, over real HTTP on 127.0.0.1 with an ephemeral port."""

from __future__ import annotations

import gc
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazettekg import queries
from gazettekg.cli import main
from gazettekg.graph.endpoint import endpoint_url, is_update, make_server, results_as_rows
from gazettekg.graph.store import GraphStore
from gazettekg.tests.graph_samples import later_issue, state_council_issue

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "store"
    store = GraphStore(directory)
    store.ingest(state_council_issue())
    store.flush()
    del store
    gc.collect()  # closes the read-write RocksDB handle, as the end of `gazettekg ingest` does
    return directory


@pytest.fixture
def url(store_dir: Path):
    server = make_server(store_dir, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint_url(server)
    finally:
        server.shutdown()
        server.server_close()


def _request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def _get(url: str, accept: str = "application/sparql-results+json", **params: str):
    return _request(f"{url}?{urllib.parse.urlencode(params)}", headers={"Accept": accept})


def _count(url: str) -> int:
    _, _, body = _get(url, query=COUNT)
    return int(results_as_rows(body)[1][0]["n"])


def test_leads_over_http_equal_the_cli_query(store_dir: Path, url: str) -> None:
    cli = CliRunner().invoke(main, ["query", "leads", "--format", "json", "--store", str(store_dir)])
    assert cli.exit_code == 0, cli.output
    expected = [json.loads(line) for line in cli.output.splitlines()]
    assert len(expected) == 2  # the two lead assignments of the State Council sample

    text = queries.load("leads", "sparql")
    status, media, body = _get(url, query=text)
    assert status == 200 and media.startswith("application/sparql-results+json")
    assert results_as_rows(body)[1] == expected

    status, _, body = _request(url, data=text.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and results_as_rows(body)[1] == expected

    form = urllib.parse.urlencode({"query": text}).encode()
    status, _, body = _request(url, data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and results_as_rows(body)[1] == expected


def test_csv_and_tsv_by_accept_header_or_format_parameter(url: str) -> None:
    query = "SELECT ?name WHERE { ?a a gkg:Agency ; gkg:shortName ?name } ORDER BY ?name"
    status, media, body = _get(url, accept="text/csv", query=query)
    assert status == 200 and media.startswith("text/csv")
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "name" and "人民银行" in lines
    status, media, body = _get(url, accept="text/csv;q=0.5, text/tab-separated-values", query=query)
    assert media.startswith("text/tab-separated-values") and body.decode().splitlines()[0] == "?name"
    status, media, _ = _get(url, accept="text/csv", query=query, format="json")
    assert media.startswith("application/sparql-results+json")
    status, media, body = _get(url, accept="text/turtle", query="CONSTRUCT WHERE { ?a gkg:shortName ?n }")
    assert status == 200 and media.startswith("text/turtle") and "人民银行".encode() in body


def test_updates_are_refused_and_change_nothing(url: str) -> None:
    before = _count(url)
    insert = "INSERT DATA { <http://example.org/s> <http://example.org/p> 'x' }"
    attempts = [
        _request(url, data=urllib.parse.urlencode({"update": insert}).encode(),
                 headers={"Content-Type": "application/x-www-form-urlencoded"}),
        _request(url, data=insert.encode(), headers={"Content-Type": "application/sparql-update"}),
        _get(url, query=insert),
        _get(url, query="PREFIX ex: <http://example.org/>\n# a comment\nDROP ALL"),
        _request(url, data=b"CLEAR DEFAULT", headers={"Content-Type": "application/sparql-query"}),
    ]  # fmt: skip
    for status, _, body in attempts:
        assert status == 403
        assert "read-only" in body.decode()
    assert _count(url) == before


def test_bad_requests_get_clear_errors(url: str) -> None:
    status, _, body = _get(url, query="SELEKT ?x WHERE {}")
    assert status == 400 and "syntax" in body.decode().lower()
    assert _get(url.replace("/sparql", "/nowhere"), query=COUNT)[0] == 404
    assert _get(url, accept="image/png", query=COUNT)[0] == 406
    assert _request(url, data=b"{}", headers={"Content-Type": "application/json"})[0] == 415
    status, _, body = _request(url)  # no query: a short description of the endpoint
    assert status == 200 and b"read-only" in body


def test_an_ingest_while_serving_shows_up(store_dir: Path, url: str, tmp_path: Path) -> None:
    before = _count(url)
    source = tmp_path / "gwy-2023-05.txt"
    source.write_text("a later issue", encoding="utf-8")
    writer = GraphStore(store_dir)  # the served store is opened read-only: a writer may still open it
    writer.ingest(later_issue(), source=source)
    writer.flush()
    del writer
    gc.collect()
    assert _count(url) > before
    _, _, body = _get(url, query="SELECT ?doc WHERE { ?d gkg:supersedes/gkg:key ?doc }")
    assert results_as_rows(body)[1] == [{"doc": "国办发〔2022〕12号"}]


def test_is_update_reads_the_operation_not_the_words() -> None:
    assert is_update("PREFIX gkg: <https://w3id.org/gazettekg/ontology#>\nDELETE WHERE { ?s gkg:key ?k }")
    assert is_update("base <http://x/> with <http://x/g> delete { ?s ?p ?o } where { ?s ?p ?o }")
    assert is_update("LOAD <http://example.org/data.ttl>")
    assert not is_update('SELECT ?s WHERE { ?s ?p "DELETE" }')
    assert not is_update("# INSERT DATA\nASK { ?s ?p ?o }")
    assert not is_update("PREFIX insert: <http://x/>\nSELECT * WHERE { ?s insert:p ?o }")
