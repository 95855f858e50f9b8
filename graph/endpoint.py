"""A read-only SPARQL 1.1 Protocol endpoint over a gazettekg store (``gazettekg serve``).

A small standard-library HTTP app (http.server.ThreadingHTTPServer) in front of
pyoxigraph: no web framework, loopback by default. It answers

* ``GET  /sparql?query=…``
* ``POST /sparql`` with ``Content-Type: application/sparql-query`` (the query is the body)
* ``POST /sparql`` with ``Content-Type: application/x-www-form-urlencoded`` and ``query=…``

(``default-graph-uri`` / ``named-graph-uri`` are honoured; without them the default graph
is the union of all issues, as for ``gazettekg query``, and the prefixes gkg eli org prov
time skos rdfs rdf xsd are predeclared). SELECT and ASK results are SPARQL JSON
(``application/sparql-results+json``), XML, CSV or TSV as the ``Accept`` header or a
``format=json|xml|csv|tsv`` parameter asks; CONSTRUCT and DESCRIBE give Turtle, N-Triples
or RDF/XML.

Read-only: an update (``update=`` form field, ``application/sparql-update``, or an update
operation sent as a query) is refused with 403 before anything runs, and the server only
ever calls ``Store.query``. The Oxigraph database is opened with ``Store.read_only``, which
takes no write lock, so ``gazettekg ingest`` can still write the store while it is served;
the endpoint reopens its read-only view when the store's manifest changes (an ingest has
finished an input). pyoxigraph calls a read-only instance used *during* another
process's write undefined behaviour: a query that fails with an I/O error is retried once
on a fresh view, and a view that cannot be opened mid-write keeps the previous one.

Bounded (``Limits``, each a ``serve`` option): before pyoxigraph parses anything, a query
over 64 KB, with brackets ``{ ( [ <<`` nested deeper than 100 or with more than 4,000
operators and joins is refused (400; its parser recurses, and a few thousand nested brackets
or about 10,000 chained ``!`` or ``||`` overflow the stack and kill the process), and so is
SERVICE (403) unless ``allow_service``, which would make the server send HTTP requests for
its client. Each query then runs in one of a few warm worker processes (``QueryPool``),
each with its own read-only view renewed as above: pyoxigraph cannot interrupt a query from
another thread, so one over the time limit (10 s) has its process killed and replaced and
is answered 503; one over the memory limit (2 GB of address space) dies and is replaced,
and answered 500. A result over 100,000 rows or 32 MB is refused with 500 (the SPARQL
Protocol's "query request refused"; a truncated result would be indistinguishable from a
complete one). Malformed requests get a text/plain 4xx: a bad Content-Length (400, 413 when
huge), a body that does not arrive within the read timeout (408), bad percent-encoding or
graph IRIs (400), other methods (405). No CORS header unless one origin is given; the HTTP
server has a listen backlog of 128 and at most 32 request threads.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import re
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from gazettekg.graph.rdf import PREFIXES
from gazettekg.graph.store import manifest_stamp, retrying

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
PATHS = ("/sparql", "/query", "/")
MAX_BODY = 1 << 20  # a SPARQL query is text; a megabyte is already absurd

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
RDFXML = "application/rdf+xml"

RESULT_FORMATS = {
    JSON: ox.QueryResultsFormat.JSON, XML: ox.QueryResultsFormat.XML,
    CSV: ox.QueryResultsFormat.CSV, TSV: ox.QueryResultsFormat.TSV,
}  # fmt: skip
GRAPH_FORMATS = {TURTLE: ox.RdfFormat.TURTLE, NTRIPLES: ox.RdfFormat.N_TRIPLES, RDFXML: ox.RdfFormat.RDF_XML}
# Short names for ?format= (what YASGUI, curl users and the SPARQL Protocol tests send).
FORMAT_NAMES = {
    "json": JSON, "srj": JSON, "xml": XML, "srx": XML, "csv": CSV, "tsv": TSV,
    "turtle": TURTLE, "ttl": TURTLE, "ntriples": NTRIPLES, "nt": NTRIPLES, "rdfxml": RDFXML,
}  # fmt: skip
_ALIASES = {"application/json": JSON, "application/xml": XML, "text/xml": XML, "text/plain": NTRIPLES}

# A SPARQL Update starts, after its prologue (BASE / PREFIX) and comments, with one of these.
_UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_PROLOGUE = re.compile(r"\s*(?:BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)", re.IGNORECASE)
# Read left to right, so a "#" inside an IRI or a string is not taken for a comment.
_LEXEMES = re.compile(
    r"(?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\")"
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<comment>#[^\n]*)",
    re.DOTALL,
)
_BLANKED = {"string": '""', "iri": "<>", "comment": " "}


@dataclass(frozen=True)
class Limits:
    """What one request may cost; every field is a ``gazettekg serve`` option."""

    max_query_bytes: int = 64 * 1024  # the longest query text, in UTF-8 bytes
    max_depth: int = 100  # the deepest nesting of { ( [ << (pyoxigraph's parser recurses, and overflows its stack)
    max_operators: int = 4000  # operators and joins (+ || ! . UNION …): long flat chains overflow it too
    timeout: float = 10.0  # seconds of work per query, parse + evaluation + serialization (0: no limit)
    max_rows: int = 100_000  # solutions of a SELECT, triples of a CONSTRUCT / DESCRIBE
    max_bytes: int = 32 * 1024 * 1024  # the serialized response body
    allow_service: bool = False  # SERVICE makes the server send HTTP requests on the client's behalf
    max_memory_mb: int = 2048  # address space of a worker process (0: no limit); over it the worker dies, is replaced


class Refused(Exception):
    """A request the endpoint will not run; carries the HTTP status and a message for the client."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def is_update(text: str) -> bool:
    """True when ``text`` is a SPARQL Update (INSERT, DELETE, LOAD, DROP, ...), not a query.

    Judged on the first keyword after the prologue, with strings and comments removed,
    so a query that merely mentions "DELETE" in a literal or an IRI is still a query.
    """
    text = _LEXEMES.sub(lambda m: _BLANKED[m.lastgroup or "comment"], text)
    while True:
        match = _PROLOGUE.match(text)
        if match is None:
            break
        text = text[match.end() :]
    first = re.match(r"\s*([A-Za-z]+)", text)
    return bool(first) and first.group(1).upper() in _UPDATE_KEYWORDS


# One left-to-right pass over the query text, before pyoxigraph sees it: strings, IRIs and
# comments are whole tokens (so a bracket or a keyword inside them does not count), then
# brackets and the SERVICE keyword (not a variable ?service, a prefixed name ex:service or
# service:x, or part of a longer word). Linear: each alternative stops at a line end or at a
# character it cannot hold, and the text is at most max_query_bytes long.
_SCAN = re.compile(
    r"(?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\")"
    r"|(?P<open><<|[{(\[])|(?P<close>>>|[})\]])"
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<service>(?<![\w:?$\-])SERVICE(?![\w:\-]))"
    r"|(?P<operator>\|\||&&|!=|<=|>=|[-+*/!|^=<>;]|\.(?!\d)"
    r"|(?<![\w:?$\-])(?:UNION|OPTIONAL|MINUS|FILTER|BIND|GRAPH|VALUES)(?![\w:\-]))",
    re.DOTALL | re.IGNORECASE,
)


def _iri_peak(iri: str) -> int:
    """The deepest run of ( [ inside an IRI token: counted, in case the parser reads that ``<`` as less-than."""
    depth = peak = 0
    for char in iri:
        if char in "([":
            depth += 1
            peak = max(peak, depth)
        elif char in ")]" and depth:
            depth -= 1
    return peak


def check_query(text: str, limits: Limits | None = None) -> None:
    """Refuse (raise Refused) a query that is too long, too deeply nested, an update, or uses SERVICE.

    Runs before pyoxigraph parses anything: its recursive-descent parser overflows the stack
    (and kills the process) on a few thousand nested brackets.
    """
    limits = limits or Limits()
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > limits.max_query_bytes:
        raise Refused(
            HTTPStatus.BAD_REQUEST, f"query refused: {size} bytes, over the limit of {limits.max_query_bytes} bytes"
        )
    depth = peak = operators = 0
    service = False
    for match in _SCAN.finditer(text):
        kind = match.lastgroup
        if kind == "operator":
            operators += 1
            if operators > limits.max_operators:
                raise Refused(
                    HTTPStatus.BAD_REQUEST,
                    f"query refused: more than {limits.max_operators} operators and joins, this endpoint's limit",
                )
        elif kind == "open":
            depth += 1
            peak = max(peak, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "iri":
            peak = max(peak, depth + _iri_peak(match.group()))
        elif kind == "service":
            service = True
        if peak > limits.max_depth:
            raise Refused(
                HTTPStatus.BAD_REQUEST,
                f"query refused: brackets {{ ( [ << nested deeper than the limit of {limits.max_depth}",
            )
    if is_update(text):
        raise Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is not accepted")
    if service and not limits.allow_service:
        raise Refused(
            HTTPStatus.FORBIDDEN,
            "query refused: SERVICE (federated query) is disabled on this endpoint (`gazettekg serve --allow-service`)",
        )


def _accepted(header: str) -> list[str]:
    """Media types of an Accept header, most preferred first (q-values honoured, stable)."""
    ranked = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    quality = float(f[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, fields[0].lower()))
    return [media for _, _, media in sorted(ranked)]


def choose_format(accept: str, format_param: str | None, graph_result: bool) -> str:
    """The media type to answer with: ?format= first, then the Accept header, else the default."""
    offered = GRAPH_FORMATS if graph_result else RESULT_FORMATS
    default = TURTLE if graph_result else JSON
    if format_param:
        wanted = FORMAT_NAMES.get(format_param.lower(), format_param.lower())
        wanted = _ALIASES.get(wanted, wanted)
        if wanted not in offered:
            raise Refused(
                HTTPStatus.NOT_ACCEPTABLE,
                f"format {format_param!r} is not offered; use one of "
                + ", ".join(n for n, m in FORMAT_NAMES.items() if m in offered),
            )
        return wanted
    for media in _accepted(accept or "*/*"):
        media = _ALIASES.get(media, media)
        if media in offered:
            return media
        if media in {"*/*", "application/*", "text/*"}:
            return default
    raise Refused(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer in {accept!r}; offered: {', '.join(offered)}")


class ReadOnlyStore:
    """A read-only view of a store folder's Oxigraph database, renewed when an ingest lands."""

    def __init__(self, store_dir: Path | str) -> None:
        self.directory = Path(store_dir)
        self.database = self.directory / "oxigraph"
        if not self.database.exists():
            raise FileNotFoundError(f"no store at {self.directory}: run `gazettekg ingest INPUT... --store DIR`")
        self._lock = threading.Lock()
        self._stamp = manifest_stamp(self.directory)
        self._store = ox.Store.read_only(str(self.database))

    def current(self, *, renew: bool = False) -> ox.Store:
        """The view to query: reopened when the manifest changed (or ``renew``), if it can be."""
        with self._lock:
            stamp = manifest_stamp(self.directory)
            if renew or stamp != self._stamp:
                try:
                    self._store = ox.Store.read_only(str(self.database))
                    self._stamp = stamp
                except (OSError, RuntimeError):
                    pass  # a writer is mid-flush: keep the previous view and try again next request
            return self._store


def _too_many_rows(limits: Limits) -> Refused:
    return Refused(
        HTTPStatus.INTERNAL_SERVER_ERROR,
        f"query request refused: the result has more than {limits.max_rows} rows, this endpoint's limit; "
        "add LIMIT (and OFFSET to page through it)",
    )


def _too_many_bytes(limits: Limits) -> Refused:
    return Refused(
        HTTPStatus.INTERNAL_SERVER_ERROR,
        f"query request refused: the response would be over {limits.max_bytes} bytes, this endpoint's limit; "
        "add LIMIT or select fewer variables",
    )


class _CappedBuffer:
    """A binary writer for pyoxigraph's serializers that stops them past a byte limit."""

    def __init__(self, limit: int, max_lines: int | None = None) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit
        self.over = False
        self.lines = 0
        self.max_lines = max_lines
        self.too_many_lines = False

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            self.over = True
            raise OSError("response byte limit")
        if self.max_lines is not None:
            self.lines += bytes(data).count(b"\n")
            if self.lines > self.max_lines:
                self.too_many_lines = True
                raise OSError("response row limit")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _select_body(result: ox.QuerySolutions, media: str, limits: Limits) -> bytes:
    """SELECT results serialized, refused past max_rows or max_bytes.

    pyoxigraph writes them as TSV first, where one row is one line (a newline inside a
    literal is escaped), so counting lines counts rows and stops the query early; the
    other formats are pyoxigraph's own serializations of that TSV parsed back (the same
    bytes as serializing directly, at about a third more time).
    """
    tsv = _CappedBuffer(limits.max_bytes, max_lines=limits.max_rows + 1)
    try:
        result.serialize(tsv, format=ox.QueryResultsFormat.TSV)
    except OSError:
        if tsv.too_many_lines:
            raise _too_many_rows(limits) from None
        if tsv.over:
            raise _too_many_bytes(limits) from None
        raise
    body = b"".join(tsv.parts)
    if media == TSV:
        return body
    writer = _CappedBuffer(limits.max_bytes)
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    try:
        parsed.serialize(writer, format=RESULT_FORMATS[media])  # type: ignore[union-attr]
    except OSError:
        if writer.over:
            raise _too_many_bytes(limits) from None
        raise
    return b"".join(writer.parts)


def _graph_body(result: ox.QueryTriples, media: str, limits: Limits) -> bytes:
    """CONSTRUCT / DESCRIBE results serialized, refused past max_rows triples or max_bytes."""
    count = 0

    def counted() -> Iterator[ox.Triple]:
        nonlocal count
        for triple in result:
            count += 1
            if count > limits.max_rows:
                raise _too_many_rows(limits)
            yield triple

    writer = _CappedBuffer(limits.max_bytes)
    try:
        ox.serialize(counted(), writer, format=GRAPH_FORMATS[media], prefixes=PREFIXES)
    except Refused:
        raise
    except OSError:
        if writer.over:
            raise _too_many_bytes(limits) from None
        raise
    if count > limits.max_rows:
        raise _too_many_rows(limits)
    return b"".join(writer.parts)


def _graph_terms(default_graphs: Sequence[str], named_graphs: Sequence[str]) -> dict[str, object]:
    """The dataset options of a request; a value that is not an IRI is a 400, not a crash."""
    options: dict[str, object] = {"prefixes": PREFIXES}
    try:
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    except (ValueError, TypeError) as error:
        raise Refused(HTTPStatus.BAD_REQUEST, f"default-graph-uri / named-graph-uri must be IRIs: {error}") from error
    return options


class SparqlEndpoint:
    """Runs one protocol request against a store; independent of HTTP plumbing, so testable alone.

    ``answer`` runs the query in the calling thread (no time limit: pyoxigraph cannot be
    interrupted); the server sends each query to a ``QueryPool`` worker process instead.
    """

    def __init__(self, source: Path | str | ox.Store, limits: Limits | None = None) -> None:
        self._fixed = source if isinstance(source, ox.Store) else None
        self._view = None if self._fixed is not None else ReadOnlyStore(source)
        self.limits = limits or Limits()

    def _store(self, renew: bool = False) -> ox.Store:
        return self._fixed if self._fixed is not None else self._view.current(renew=renew)  # type: ignore[union-attr]

    def answer(
        self,
        query: str,
        *,
        accept: str = "",
        format_param: str | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> tuple[str, bytes]:
        """(media type, body) of the results of ``query``; raises Refused for what is not answered."""
        check_query(query, self.limits)
        _graph_terms(default_graphs, named_graphs)
        return self.execute(query, accept, format_param, default_graphs, named_graphs)

    def execute(
        self,
        query: str,
        accept: str = "",
        format_param: str | None = None,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> tuple[str, bytes]:
        """Run an already checked query (see ``check_query``) and serialize it within the limits."""
        options = _graph_terms(default_graphs, named_graphs)
        for attempt in (0, 1):
            try:
                result = self._store(renew=attempt == 1).query(query, **options)
                graph_result = isinstance(result, ox.QueryTriples)
                media = choose_format(accept, format_param, graph_result)
                if isinstance(result, ox.QuerySolutions):
                    return media, _select_body(result, media, self.limits)
                if isinstance(result, ox.QueryTriples):
                    return media, _graph_body(result, media, self.limits)
                return media, result.serialize(format=RESULT_FORMATS[media]) or b""
            except SyntaxError as error:
                raise Refused(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {error}") from error
            except ValueError as error:
                raise Refused(HTTPStatus.BAD_REQUEST, str(error)) from error
            except OSError as error:
                if attempt == 1 or self._fixed is not None:
                    raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"the store could not be read: {error}") from error
        raise AssertionError("unreachable")


def _serve_queries(connection, store_dir: str, limits: Limits) -> None:  # a worker process's main
    """Answer jobs from ``connection`` until it closes: one warm read-only view, reused."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the server stops us
    if limits.max_memory_mb:  # a sort or join over a cartesian product grows by ~150 MB a second
        try:
            import resource

            cap = limits.max_memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        except (ImportError, ValueError, OSError):
            pass  # not on this platform: the time limit still bounds the damage
    endpoint, opening_error = _open_endpoint(store_dir, limits)
    connection.send(("ready", None, None))  # the parent starts the query clock only after this
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        if endpoint is None:  # the writer may have moved on since: opened again, once per job
            endpoint, opening_error = _open_endpoint(store_dir, limits)
        if endpoint is None:
            connection.send(("refused", int(HTTPStatus.SERVICE_UNAVAILABLE), opening_error))
            continue
        try:
            media, body = endpoint.execute(*job)
            outcome: tuple[str, object, object] = ("ok", media, body)
        except Refused as refused:
            outcome = ("refused", int(refused.status), refused.message)
        except Exception as error:  # anything else is the server's fault, said so
            outcome = ("refused", int(HTTPStatus.INTERNAL_SERVER_ERROR), f"query failed: {error}")
        connection.send(outcome)


def _open_endpoint(store_dir: str, limits: Limits) -> tuple[SparqlEndpoint | None, str]:
    """A worker's read-only view, or the reason there is none. Opened again after a short wait when a
    writer replaced a file during the open (a bulk load or compaction rolls RocksDB's MANIFEST)."""
    try:
        return retrying(lambda: SparqlEndpoint(store_dir, limits), errors=(Exception,)), ""
    except BaseException as error:  # reported to the parent, which refuses the request
        return None, f"the store could not be opened: {error}"


class _Worker:
    def __init__(self, context, store_dir: str, limits: Limits) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_serve_queries, args=(child, store_dir, limits), name="gazettekg-sparql-worker", daemon=True
        )
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, seconds: float = 60.0) -> bool:
        """Wait for a fresh process to have imported and opened the store (not counted in a query's time)."""
        if not self.ready and self.connection.poll(seconds):
            self.ready = self.connection.recv()[0] == "ready"
        return self.ready

    def stop(self) -> None:
        """Kill the process (a query cannot be interrupted otherwise) and reap it."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """A few warm worker processes, each with its own read-only view of the store.

    A query that outlives ``limits.timeout`` has its process killed (and replaced): pyoxigraph
    offers no way to interrupt a query from another thread, and a thread left running would
    keep burning a core after its client gave up. A worker that dies (a crash inside
    pyoxigraph) is replaced the same way; the server stays up.
    """

    def __init__(self, store_dir: Path | str, limits: Limits, size: int) -> None:
        self.store_dir = str(store_dir)
        self.limits = limits
        self.size = size
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._closed = False
        self.last_stop_seconds = 0.0  # how long the last kill-and-replace took (benchmarks/bench_endpoint.py)
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self.store_dir, self.limits)
        with self._lock:
            self._workers.append(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
            closed = self._closed
        if not closed:
            self._idle.put(self._spawn())

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def run(self, job: tuple) -> tuple[str, bytes]:
        """(media, body) from a worker; Refused on a refusal, a timeout (503) or a dead worker (500)."""
        timeout = self.limits.timeout or None
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise Refused(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"all {self.size} query workers stayed busy for {timeout:g} s; try again later",
            ) from None
        try:
            if not worker.wait_ready():
                raise OSError("the worker did not start")
            worker.connection.send(job)
            outcome = worker.connection.recv() if worker.connection.poll(timeout) else None
        except (EOFError, OSError):
            self._replace(worker)
            memory = f"over its memory limit of {self.limits.max_memory_mb} MB, " if self.limits.max_memory_mb else ""
            raise Refused(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                f"query stopped: its worker process died ({memory}or a crash) and was replaced",
            ) from None
        if outcome is None:
            started = time.monotonic()
            self._replace(worker)
            self.last_stop_seconds = time.monotonic() - started
            raise Refused(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"query stopped: it ran over this endpoint's time limit of {timeout:g} s",
            )
        self._idle.put(worker)
        kind, first, second = outcome
        if kind == "ok":
            return first, second
        raise Refused(HTTPStatus(first), second)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            try:
                worker.connection.send(None)
            except OSError:
                pass
            worker.process.join(0.5)
            worker.stop()


_HELP = """gazettekg SPARQL endpoint (read-only)

GET  {path}?query=SELECT…            SPARQL 1.1 Protocol query via GET
POST {path}  application/sparql-query  the query as the body
POST {path}  application/x-www-form-urlencoded  query=…
Results: application/sparql-results+json (default), +xml, text/csv, text/tab-separated-values
         (Accept header or ?format=json|xml|csv|tsv); CONSTRUCT/DESCRIBE: Turtle, N-Triples, RDF/XML.
Prefixes gkg eli org prov time skos rdfs rdf xsd are predeclared; the default graph is the union of all issues.
Updates are refused (403).
"""


class _Handler(BaseHTTPRequestHandler):
    server_version = "gazettekg-sparql/1"
    endpoint: SparqlEndpoint  # set on the subclass make_server builds
    pool: QueryPool | None = None  # worker processes (time limit); None runs queries in this thread
    cors: str | None = None  # the Access-Control-Allow-Origin to send, if any
    quiet = False
    timeout = 10.0  # socket read timeout (StreamRequestHandler applies it): a stalled client is cut off
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s: %(explain)s\n"
    default_request_version = "HTTP/1.0"  # so an error about a garbled request line still has a status line

    def parse_request(self) -> bool:
        try:
            return super().parse_request()
        except TimeoutError:  # the request line came, its headers did not: say so rather than hang up
            self.close_connection = True
            self.send_error(HTTPStatus.REQUEST_TIMEOUT, "the request headers did not arrive in time")
            return False

    # ---- plumbing ----
    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            super().log_message(format, *args)

    def end_headers(self) -> None:
        if self.cors:  # browser query editors served from another origin, only when asked for
            self.send_header("Access-Control-Allow-Origin", self.cors)
            self.send_header("Vary", "Origin")
        super().end_headers()

    def _send(self, status: HTTPStatus, media: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header(
            "Content-Type", media if "charset" in media or media.endswith("+json") else f"{media}; charset=utf-8"
        )
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        if status >= 400:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, refused: Refused) -> None:
        self._send(refused.status, "text/plain", (refused.message + "\n").encode("utf-8"))

    def _route(self) -> tuple[str, dict[str, list[str]]]:
        parts = urlsplit(self.path)
        if parts.path not in PATHS:
            raise Refused(HTTPStatus.NOT_FOUND, f"no such resource {parts.path!r}; the endpoint is at /sparql")
        return parts.path, _parse_form(parts.query, "the request URL")

    def _run(self, params: dict[str, list[str]], query: str | None) -> None:
        if "update" in params:
            raise Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is not accepted")
        if query is None:
            queries = params.get("query", [])
            if len(queries) != 1:
                raise Refused(HTTPStatus.BAD_REQUEST, "give exactly one query= parameter")
            query = queries[0]
        limits = self.endpoint.limits
        check_query(query, limits)
        default_graphs = params.get("default-graph-uri", [])
        named_graphs = params.get("named-graph-uri", [])
        _graph_terms(default_graphs, named_graphs)
        format_param = (params.get("format") or [None])[0]
        job = (query, self.headers.get("Accept", ""), format_param, default_graphs, named_graphs)
        media, body = self.pool.run(job) if self.pool is not None else self.endpoint.execute(*job)
        self._send(HTTPStatus.OK, media, body)

    def _guarded(self, work) -> None:
        """Run one method's work: a Refused is its answer, anything else a 500 (never a dropped connection)."""
        try:
            work()
        except Refused as refused:
            self._refuse(refused)
        except TimeoutError:
            self._refuse(Refused(HTTPStatus.REQUEST_TIMEOUT, "the request body did not arrive in time"))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as error:  # a bug, not the client's fault: say so instead of hanging up
            self.log_error("internal error: %r", error)
            self._refuse(Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(error).__name__}"))

    # ---- methods ----
    def do_GET(self) -> None:
        def work() -> None:
            _, params = self._route()
            if not params:
                self._send(HTTPStatus.OK, "text/plain", _HELP.format(path="/sparql").encode("utf-8"))
                return
            self._run(params, None)

        self._guarded(work)

    do_HEAD = do_GET

    def _body(self) -> str:
        declared = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding"):
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length (chunked is not accepted)")
        if declared is None:
            return ""
        declared = declared.strip()
        if not (declared.isascii() and declared.isdigit()):
            raise Refused(HTTPStatus.BAD_REQUEST, f"Content-Length {declared[:40]!r} is not a byte count")
        length = int(declared) if len(declared) < 19 else MAX_BODY + 1
        if length > MAX_BODY:
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
        data = self.rfile.read(length) if length else b""
        if len(data) < length:
            raise Refused(HTTPStatus.BAD_REQUEST, f"the body ended after {len(data)} of {length} declared bytes")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Refused(HTTPStatus.BAD_REQUEST, f"the request body is not UTF-8: {error}") from error

    def do_POST(self) -> None:
        def work() -> None:
            _, params = self._route()
            body = self._body()
            media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                raise Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is not accepted")
            if media == "application/sparql-query":
                self._run(params, body)
            elif media == "application/x-www-form-urlencoded":
                form = _parse_form(body, "the form body")
                self._run({**params, **form}, None)
            else:
                raise Refused(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "POST application/sparql-query or application/x-www-form-urlencoded (query=…)",
                )

        self._guarded(work)

    def do_OPTIONS(self) -> None:
        """CORS preflight (and a plain OPTIONS): what the endpoint allows."""
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", "GET, HEAD, POST, OPTIONS")
        if self.cors:
            self.send_header("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Accept, Content-Type")
            self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_allowed(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        body = f"method {self.command} is not allowed; this endpoint is read-only: use GET or POST a query\n".encode()
        self.send_header("Allow", "GET, HEAD, POST, OPTIONS")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def __getattr__(self, name: str):
        if name.startswith("do_"):  # PUT, DELETE, PATCH, and any other method: 405, not 501
            return self._not_allowed
        raise AttributeError(name)


_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _parse_form(text: str, where: str) -> dict[str, list[str]]:
    """URL-encoded parameters, strictly: a bad %-escape or one that is not UTF-8 is a 400."""
    if _PERCENT.search(text):
        raise Refused(HTTPStatus.BAD_REQUEST, f"bad percent-encoding in {where}")
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=100)
    except UnicodeDecodeError as error:
        raise Refused(HTTPStatus.BAD_REQUEST, f"{where} does not decode as UTF-8: {error}") from error
    except ValueError as error:
        raise Refused(HTTPStatus.BAD_REQUEST, f"bad parameters in {where}: {error}") from error


class EndpointServer(ThreadingHTTPServer):
    """A threading HTTP server with a real listen backlog and at most ``max_threads`` request threads.

    Past that many open requests the accept loop waits, and new connections queue in the
    kernel backlog instead of each getting a thread. Closing it stops the worker processes.
    """

    request_queue_size = 128
    daemon_threads = True
    block_on_close = False
    pool: QueryPool | None = None

    def __init__(self, address, handler, max_threads: int = 32) -> None:
        self._slots = threading.BoundedSemaphore(max_threads)
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def server_close(self) -> None:
        super().server_close()
        if self.pool is not None:
            self.pool.close()


def make_server(
    source: Path | str | ox.Store,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    quiet: bool = False,
    limits: Limits | None = None,
    cors: str | None = None,
    workers: int | None = None,
    max_threads: int = 32,
    read_timeout: float = 10.0,
) -> EndpointServer:
    """A ready (not yet serving) HTTP server; port 0 picks a free one (see ``server.server_address``).

    Over a store folder, queries run in ``workers`` processes (default: min(4, CPUs), at
    least 2) so ``limits.timeout`` can stop them; over an in-memory ``ox.Store`` they run in
    the request thread, with every limit but the time limit.
    """
    limits = limits or Limits()
    endpoint = SparqlEndpoint(source, limits)
    pool = None
    if not isinstance(source, ox.Store):
        pool = QueryPool(source, limits, workers or max(2, min(4, os.cpu_count() or 1)))
    handler = type(
        "SparqlHandler",
        (_Handler,),
        {"endpoint": endpoint, "pool": pool, "cors": cors, "quiet": quiet, "timeout": read_timeout},
    )
    try:
        server = EndpointServer((host, port), handler, max_threads=max_threads)
    except BaseException:
        if pool is not None:
            pool.close()
        raise
    server.pool = pool
    return server


def run_query(
    server: EndpointServer, query: str, accept: str = "", format_param: str | None = None
) -> tuple[str, bytes]:
    """(media, body) of one query answered as ``server`` answers /sparql: its ``Limits`` checked before
    parsing, then run in its worker pool (time limit) or, without one, in this thread. Raises Refused.
    What the web explorer's query page runs typed SPARQL with (web/app.py)."""
    handler = server.RequestHandlerClass
    check_query(query, handler.endpoint.limits)  # type: ignore[attr-defined]
    job = (query, accept, format_param, [], [])
    pool = handler.pool  # type: ignore[attr-defined]
    return pool.run(job) if pool is not None else handler.endpoint.execute(*job)  # type: ignore[attr-defined]


def server_limits(server: EndpointServer) -> Limits:
    """The ``Limits`` ``server`` answers queries within."""
    return server.RequestHandlerClass.endpoint.limits  # type: ignore[attr-defined]


def endpoint_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/sparql"


def results_as_rows(body: bytes) -> tuple[list[str], list[dict[str, str | None]]]:
    """SPARQL JSON results as (variables, rows of plain values): a small client-side helper."""
    data = json.loads(body)
    variables = data["head"].get("vars", [])
    rows = [{v: b[v]["value"] if v in b else None for v in variables} for b in data["results"]["bindings"]]
    return variables, rows
