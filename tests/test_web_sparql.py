"""graph/endpoint.py's SPARQL protocol handler served inside the web app (web/sparql.py), at /sparql."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from gazettekg.graph.endpoint import make_server
from gazettekg.web.app import create_app
from gazettekg.web.sparql import handler_app

ROOT = Path(__file__).resolve().parent.parent
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?t a gkg:Task }"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    import gc

    from click.testing import CliRunner

    from gazettekg.cli import main

    store = tmp_path_factory.mktemp("web-sparql") / "store"
    result = CliRunner().invoke(main, ["ingest", str(ROOT / "corpus" / "gazette-2022-01.txt"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    gc.collect()
    server = make_server(store, "127.0.0.1", 0, quiet=True)
    try:
        with TestClient(create_app(store, sparql_app=handler_app(server.RequestHandlerClass, server))) as c:
            yield c
    finally:
        server.server_close()


def _count(response) -> int:
    assert response.status_code == 200, response.text
    return int(json.loads(response.content)["results"]["bindings"][0]["n"]["value"])


def test_protocol_get_and_post_at_sparql(client) -> None:
    n = _count(client.get("/sparql", params={"query": COUNT}, headers={"accept": "application/sparql-results+json"}))
    assert n > 0
    assert _count(client.post("/sparql", content=COUNT.encode(),
                              headers={"content-type": "application/sparql-query"})) == n  # fmt: skip
    assert _count(client.post("/sparql", data={"query": COUNT})) == n
    csv = client.get("/sparql", params={"query": COUNT, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.splitlines() == ["n", str(n)]
    # the old URLs of the stdlib server, for protocol requests
    assert _count(client.get("/query", params={"query": COUNT})) == n
    assert _count(client.get("/", params={"query": COUNT})) == n


def test_protocol_refusals_come_from_the_endpoint(client) -> None:
    r = client.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 403 and "read-only" in r.text
    r = client.post("/sparql", content=b"DROP ALL", headers={"content-type": "application/sparql-update"})
    assert r.status_code == 403
    assert client.get("/sparql", params={"query": "SELEC"}).status_code == 400
    assert client.put("/sparql", content=b"x").status_code == 405
    assert client.get("/sparql").status_code == 200  # the endpoint's help text
