"""The endpoint is safe and bounded: nothing a client sends crashes it, runs forever, or reaches out.

A real server on 127.0.0.1 (ephemeral port) over the ingested sample store; raw sockets for
malformed HTTP. The only timings asserted are generous guards; figures are printed.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from gazettekg.cli import main
from gazettekg.graph.endpoint import Limits, check_query, endpoint_url, make_server, results_as_rows
from gazettekg.graph.store import GraphStore
from gazettekg.tests.graph_samples import state_council_issue

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("safety") / "store"
    store = GraphStore(directory)
    store.ingest(state_council_issue())
    store.flush()
    del store
    gc.collect()  # closes the read-write RocksDB handle, as the end of `gazettekg ingest` does
    return directory


@pytest.fixture(scope="module")
def serve(store_dir: Path):
    """serve(**make_server options) -> (url, server); every server is shut down after the module."""
    servers = []

    def start(**options):
        server = make_server(store_dir, "127.0.0.1", 0, quiet=True, **options)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return endpoint_url(server), server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def url(serve) -> str:
    return serve(read_timeout=1.0)[0]


def _request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _get(url: str, **params: str):
    return _request(f"{url}?{urllib.parse.urlencode(params)}", headers={"Accept": "application/sparql-results+json"})


def _count(url: str) -> int:
    status, _, body = _get(url, query=COUNT)
    assert status == 200, body
    return int(results_as_rows(body)[1][0]["n"])


def _raw(url: str, data: bytes, wait: float = 15.0) -> tuple[int, bytes, float]:
    """Send raw bytes; (status, whole response, seconds until the server closed or answered)."""
    parts = urllib.parse.urlsplit(url)
    started = time.monotonic()
    chunks = []
    with socket.create_connection((parts.hostname, parts.port), timeout=wait) as sock:
        sock.sendall(data)
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    response = b"".join(chunks)
    status = int(response.split()[1]) if response.startswith(b"HTTP/") else 0
    return status, response, time.monotonic() - started


# ---- 1. size and depth, before parsing ----
@pytest.mark.parametrize("depth", [3000, 20000])
def test_deep_nesting_is_refused_and_the_server_stays_up(url: str, depth: int) -> None:
    before = _count(url)
    for query in (
        "SELECT * WHERE " + "{" * depth + "?s ?p ?o" + "}" * depth,
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "1" + ")" * depth + ") }",
        "ASK { ?s ?p " + "[?p" * depth + "1" + "]" * depth + " }",  # over 64 KB at 20,000: refused for size
        "ASK { FILTER(?x<" + "(" * depth + ">) }",  # an IRI-looking token still counts its brackets
        "ASK { ?s ?p " + "<< ?s ?p " * depth + "?o" + " >>" * depth + " }",  # triple terms nest too
    ):
        status, headers, body = _request(url, data=query.encode(), headers={"Content-Type": "application/sparql-query"})
        assert status == 400 and headers["Content-Type"].startswith("text/plain")
        message = body.decode()
        assert "nested deeper than the limit of 100" in message or "over the limit of 65536 bytes" in message
    assert _count(url) == before


def test_long_flat_chains_are_refused(url: str) -> None:
    # each of these overflows pyoxigraph's stack with no bracket nested deeper than 2
    for query in (
        "ASK { FILTER(" + "!" * 12000 + "?o) }",
        "SELECT * WHERE { BIND(" + "+".join(["1"] * 8000) + " AS ?x) }",
        "ASK { ?s ?p ?o FILTER(" + "||".join(["?o"] * 12000) + ") }",
    ):
        status, _, body = _request(url, data=query.encode(), headers={"Content-Type": "application/sparql-query"})
        assert status == 400 and b"more than 4000 operators and joins" in body
    assert _count(url) > 0


def test_the_named_queries_pass_the_checks() -> None:
    from gazettekg import queries

    for name in queries.names():
        check_query(queries.load(name, "sparql"))


def test_a_long_query_is_refused_and_brackets_in_strings_do_not_count(url: str) -> None:
    long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000
    status, _, body = _request(url, data=long.encode(), headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and b"over the limit of 65536 bytes" in body
    quoted = 'SELECT * WHERE { ?s ?p "' + "{(" * 500 + '" } # ' + "[" * 500 + "\nLIMIT 1"
    assert _get(url, query=quoted)[0] == 200
    check_query("SELECT * WHERE " + "{" * 100 + "}" * 100)
    with pytest.raises(Exception, match="limit of 5"):
        check_query("SELECT * WHERE " + "{" * 6 + "}" * 6, Limits(max_depth=5))


@pytest.mark.parametrize("depth", [3000, 20000])
def test_sparql_command_refuses_deep_nesting_in_one_line(store_dir: Path, depth: int) -> None:
    query = "SELECT * WHERE " + "{" * depth + "?s ?p ?o" + "}" * depth
    result = CliRunner().invoke(main, ["sparql", query, "--store", str(store_dir)])
    assert result.exit_code == 1
    message = "Error: query refused: brackets { ( [ << nested deeper than the limit of 100"
    assert result.output.strip().splitlines() == [message]


def test_sparql_command_stops_a_query_at_its_timeout(store_dir: Path) -> None:
    started = time.monotonic()
    result = CliRunner().invoke(main, ["sparql", CARTESIAN, "--timeout", "1", "--store", str(store_dir)])
    elapsed = time.monotonic() - started
    print(f"\n`gazettekg sparql --timeout 1` on the cartesian query returned after {elapsed:.2f} s")
    assert result.exit_code == 1 and "time limit of 1 s" in result.output
    assert elapsed < 20
    result = CliRunner().invoke(main, ["sparql", COUNT, "--format", "csv", "--store", str(store_dir)])
    assert result.exit_code == 0 and result.output.splitlines()[0] == "n"


# ---- 2. SERVICE ----
class _Recorder:
    """A TCP listener that records every connection made to it (and hangs up)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def recorder():
    listener = _Recorder()
    yield listener
    listener.close()


def test_service_is_refused_and_no_request_goes_out(serve, url: str, recorder: _Recorder) -> None:
    target = f"<http://127.0.0.1:{recorder.port}/sparql>"
    for query in (
        f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent {target} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z .SeRvIcE {target} {{ ?s ?p ?o }} }}",
        f"# a comment\nSELECT * WHERE {{ ?s ?p 'x' }} \n#\nSELECT * WHERE {{ Service\n{target}{{?s ?p ?o}} }}",
        f"PREFIX ex: <http://x/>\nSELECT * WHERE {{ BIND({target} AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ):
        status, headers, body = _get(url, query=query)
        assert status == 403 and headers["Content-Type"].startswith("text/plain"), query
        assert "SERVICE" in body.decode() and "--allow-service" in body.decode()
    # the word as a variable, a prefixed name, in a string or a comment is no SERVICE clause
    harmless = "PREFIX service: <http://x/>\nSELECT ?service WHERE { ?service service:p 'SERVICE <x>' } # SERVICE"
    assert _get(url, query=harmless)[0] == 200
    time.sleep(0.5)
    assert recorder.connections == 0
    # the recorder does see a request when SERVICE is allowed: the check above is not vacuous
    allowed, _ = serve(limits=Limits(allow_service=True, timeout=10))
    status, _, _ = _get(allowed, query=f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}")
    assert status != 200
    assert recorder.connections >= 1


# ---- 3. CORS ----
def test_no_cors_header_unless_asked(serve, url: str) -> None:
    status, headers, _ = _get(url, query=COUNT)
    assert status == 200 and headers.get("Access-Control-Allow-Origin") is None
    with_cors, _ = serve(cors="http://localhost:3000")
    status, headers, _ = _get(with_cors, query=COUNT)
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    status, headers, _ = _request(
        with_cors,
        method="OPTIONS",
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"},
    )
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    status, headers, _ = _request(url, method="OPTIONS")
    assert status == 204 and headers.get("Access-Control-Allow-Origin") is None


# ---- 4. time limit ----
def test_a_runaway_query_is_stopped_while_others_are_answered(serve) -> None:
    limited, server = serve(limits=Limits(timeout=1.5), workers=2)
    _count(limited)  # both workers warm
    _count(limited)
    before = set(server.pool.pids())
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        outcome["response"] = _get(limited, query=CARTESIAN)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert _count(limited) > 0
    second = time.monotonic() - started
    thread.join(30)
    status, _, body = outcome["response"]
    print(f"\nsecond client answered in {second * 1000:.0f} ms while the cartesian query ran; "
          f"the runaway was answered after {outcome['seconds']:.2f} s")
    assert second < 1.0
    assert status == 503 and "time limit of 1.5 s" in body.decode()
    gone = before - set(server.pool.pids())
    assert len(gone) == 1
    for pid in gone:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # killed and reaped: no worker keeps running after its limit
    assert len(server.pool.pids()) == 2
    assert _count(limited) > 0  # the replacement answers


def test_a_worker_that_dies_is_replaced(serve) -> None:
    fragile, server = serve(workers=2)
    _count(fragile)
    for pid in server.pool.pids():
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    statuses = [_get(fragile, query=COUNT)[0] for _ in range(3)]
    assert set(statuses) <= {200, 500}
    assert _count(fragile) > 0


def test_a_query_over_its_memory_limit_stops_its_worker_only(serve) -> None:
    capped, server = serve(limits=Limits(max_memory_mb=700, timeout=60), workers=2)  # a worker idles at ~460 MB
    _count(capped)
    before = set(server.pool.pids())
    started = time.monotonic()
    status, _, body = _get(capped, query=CARTESIAN.replace("(COUNT(*) AS ?n)", "?a") + " ORDER BY ?c ?f ?i LIMIT 1")
    print(f"\na sort of a cartesian product hit the 700 MB limit after {time.monotonic() - started:.1f} s")
    assert status == 500 and b"memory limit of 700 MB" in body
    assert len(before - set(server.pool.pids())) == 1
    assert _count(capped) > 0


# ---- 5. result limits ----
def test_results_over_max_rows_or_bytes_are_refused(serve) -> None:
    small, _ = serve(limits=Limits(max_rows=10))
    status, _, body = _get(small, query="SELECT * WHERE { ?s ?p ?o }")
    assert status == 500 and b"more than 10 rows" in body and b"LIMIT" in body
    status, _, body = _get(small, query="SELECT ?s WHERE { ?s ?p ?o } LIMIT 10")
    assert status == 200 and len(results_as_rows(body)[1]) == 10
    status, _, body = _get(small, query="CONSTRUCT WHERE { ?s ?p ?o }", format="turtle")
    assert status == 500 and b"more than 10 rows" in body
    status, _, body = _get(small, query="CONSTRUCT WHERE { ?s ?p ?o } LIMIT 10", format="nt")
    assert status == 200 and len(body.splitlines()) == 10
    status, _, body = _get(small, query="SELECT * WHERE { ?s ?p ?o } LIMIT 3", format="csv")
    assert status == 200 and body.decode().splitlines()[0] == "o,p,s" and len(body.splitlines()) == 4
    tiny, _ = serve(limits=Limits(max_bytes=600))
    for fmt in ("json", "xml", "tsv"):
        status, _, body = _get(tiny, query="SELECT * WHERE { ?s ?p ?o } LIMIT 10", format=fmt)
        assert status == 500 and b"over 600 bytes" in body, fmt
    status, _, body = _get(tiny, query="CONSTRUCT WHERE { ?s ?p ?o } LIMIT 10", format="turtle")
    assert status == 500 and b"over 600 bytes" in body
    assert _get(tiny, query="ASK { ?s ?p ?o }")[0] == 200


# ---- 6. malformed HTTP ----
def _post(length: str, body: bytes = b"") -> bytes:
    return (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        + f"Content-Length: {length}\r\n\r\n".encode()
        + body
    )


def test_malformed_requests_are_answered(url: str) -> None:
    cases = [
        (_post("abc", b"ASK {}"), 400),
        (_post("-5", b"ASK {}"), 400),
        (_post("99999999999999"), 413),
        (_post("9" * 5000), 413),
        (_post("١٢"), 400),  # Arabic-Indic digits are digits to str.isdigit, not to HTTP
        (b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nASK{}\r\n0\r\n\r\n", 411),
        (b"GET /sparql?query=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET /sparql?query=%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET /sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET /sparql?query=ASK%7B%7D&named-graph-uri=%3Cbad HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"BREW /sparql HTTP/1.1\r\nHost: x\r\n\r\n", 405),
        (b"PUT /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405),
        (b"DELETE /sparql HTTP/1.1\r\nHost: x\r\n\r\n", 405),
    ]
    for request, expected in cases:
        status, response, seconds = _raw(url, request)
        assert status == expected, (request, response[:300])
        assert seconds < 5
    assert _count(url) > 0


def test_a_body_that_never_comes_times_out(url: str) -> None:
    status, response, seconds = _raw(url, _post("100", b"ASK {"))  # 5 of 100 bytes, then silence
    print(f"\na stalled body was answered {status} after {seconds:.2f} s (read timeout 1 s)")
    assert status == 408 and b"did not arrive in time" in response
    assert seconds < 5
    status, response, seconds = _raw(url, b"POST /sparql HTTP/1.1\r\nHost: x\r\n")  # headers never end
    assert status == 408 and b"headers did not arrive in time" in response and seconds < 5
    status, response, _ = _raw(url, b"GET /sparql?query=ASK%7B%7D HTTP/9\r\n\r\n")  # a garbled version
    assert status == 400 and response.startswith(b"HTTP/1.0 400")
    status, _, seconds = _raw(url, b"")  # connect and say nothing
    assert status == 0 and seconds < 5


# ---- 7. bounded threads, real backlog ----
def test_the_server_is_bounded(serve) -> None:
    _, server = serve(max_threads=3)
    assert server.request_queue_size >= 128
    assert server._slots._value == 3
