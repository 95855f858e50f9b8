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
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from gazettekg.graph.rdf import PREFIXES

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
        self._stamp = self._manifest_stamp()
        self._store = ox.Store.read_only(str(self.database))

    def _manifest_stamp(self) -> tuple[int, int] | None:
        try:
            stat = (self.directory / "manifest.json").stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def current(self, *, renew: bool = False) -> ox.Store:
        """The view to query: reopened when the manifest changed (or ``renew``), if it can be."""
        with self._lock:
            stamp = self._manifest_stamp()
            if renew or stamp != self._stamp:
                try:
                    self._store = ox.Store.read_only(str(self.database))
                    self._stamp = stamp
                except (OSError, RuntimeError):
                    pass  # a writer is mid-flush: keep the previous view and try again next request
            return self._store


class SparqlEndpoint:
    """Runs one protocol request against a store; independent of HTTP plumbing, so testable alone."""

    def __init__(self, source: Path | str | ox.Store) -> None:
        self._fixed = source if isinstance(source, ox.Store) else None
        self._view = None if self._fixed is not None else ReadOnlyStore(source)

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
        if is_update(query):
            raise Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is not accepted")
        options: dict[str, object] = {"prefixes": PREFIXES}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        for attempt in (0, 1):
            try:
                result = self._store(renew=attempt == 1).query(query, **options)
                graph_result = isinstance(result, ox.QueryTriples)
                media = choose_format(accept, format_param, graph_result)
                body = result.serialize(format=(GRAPH_FORMATS if graph_result else RESULT_FORMATS)[media])
                return media, body or b""
            except SyntaxError as error:
                raise Refused(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {error}") from error
            except ValueError as error:  # e.g. an IRI that is not one in default-graph-uri
                raise Refused(HTTPStatus.BAD_REQUEST, str(error)) from error
            except OSError as error:
                if attempt == 1 or self._fixed is not None:
                    raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"the store could not be read: {error}") from error
        raise AssertionError("unreachable")


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
    quiet = False

    # ---- plumbing ----
    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            super().log_message(format, *args)

    def _send(self, status: HTTPStatus, media: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header(
            "Content-Type", media if "charset" in media or media.endswith("+json") else f"{media}; charset=utf-8"
        )
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")  # browser query editors on another port
        self.send_header("Vary", "Accept")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, refused: Refused) -> None:
        self._send(refused.status, "text/plain", (refused.message + "\n").encode("utf-8"))

    def _route(self) -> tuple[str, dict[str, list[str]]]:
        parts = urlsplit(self.path)
        if parts.path not in PATHS:
            raise Refused(HTTPStatus.NOT_FOUND, f"no such resource {parts.path!r}; the endpoint is at /sparql")
        return parts.path, parse_qs(parts.query, keep_blank_values=True)

    def _run(self, params: dict[str, list[str]], query: str | None) -> None:
        if "update" in params:
            raise Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is not accepted")
        if query is None:
            queries = params.get("query", [])
            if len(queries) != 1:
                raise Refused(HTTPStatus.BAD_REQUEST, "give exactly one query= parameter")
            query = queries[0]
        media, body = self.endpoint.answer(
            query,
            accept=self.headers.get("Accept", ""),
            format_param=(params.get("format") or [None])[0],
            default_graphs=params.get("default-graph-uri", []),
            named_graphs=params.get("named-graph-uri", []),
        )
        self._send(HTTPStatus.OK, media, body)

    # ---- methods ----
    def do_GET(self) -> None:
        try:
            _, params = self._route()
            if not params:
                self._send(HTTPStatus.OK, "text/plain", _HELP.format(path="/sparql").encode("utf-8"))
                return
            self._run(params, None)
        except Refused as refused:
            self._refuse(refused)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        try:
            _, params = self._route()
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
            body = self.rfile.read(length).decode("utf-8", errors="replace") if length > 0 else ""
            media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                raise Refused(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is not accepted")
            if media == "application/sparql-query":
                self._run(params, body)
            elif media == "application/x-www-form-urlencoded":
                form = parse_qs(body, keep_blank_values=True)
                self._run({**params, **form}, None)
            else:
                raise Refused(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "POST application/sparql-query or application/x-www-form-urlencoded (query=…)",
                )
        except Refused as refused:
            self._refuse(refused)

    def _read_only(self) -> None:
        self._refuse(Refused(HTTPStatus.METHOD_NOT_ALLOWED, "this endpoint is read-only: use GET or POST a query"))

    do_PUT = do_DELETE = do_PATCH = _read_only


def make_server(
    source: Path | str | ox.Store, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *, quiet: bool = False
) -> ThreadingHTTPServer:
    """A ready (not yet serving) HTTP server; port 0 picks a free one (see ``server.server_address``)."""
    endpoint = SparqlEndpoint(source)
    handler = type("SparqlHandler", (_Handler,), {"endpoint": endpoint, "quiet": quiet})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def endpoint_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/sparql"


def results_as_rows(body: bytes) -> tuple[list[str], list[dict[str, str | None]]]:
    """SPARQL JSON results as (variables, rows of plain values): a small client-side helper."""
    data = json.loads(body)
    variables = data["head"].get("vars", [])
    rows = [{v: b[v]["value"] if v in b else None for v in variables} for b in data["results"]["bindings"]]
    return variables, rows
