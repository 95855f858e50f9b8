"""The web explorer: a Starlette app over a read-only store (issue 12).

    from gazettekg.web.app import create_app, serve
    app = create_app("gazettekg-data")                  # an ASGI app: uvicorn, hypercorn, TestClient
    serve("gazettekg-data", host="127.0.0.1", port=7878)  # or run it with uvicorn here

Pages (server-rendered HTML in Chinese, no script needed, readable on a phone, printable):

    /                       issues, busiest agencies, the search box
    /agency/{key}           an agency's tasks (filters: issue, doc, role, due_from, due_to), co-agencies, timeline
    /agency?name=市应急局    an agency in any spelling -> its page (or the search page when ambiguous)
    /task/{key}             a task's facts and its document's text with the provenance spans marked
    /doc/{key}              heading tree with leads, supersedes / cites, the responsibility matrix
    /issue/{key}            an issue's documents and their matrix
    /search?q=              agencies (any spelling), tasks (words of the title), documents (发文字号)
    /query                  SPARQL, or Cypher (?lang=cypher), read-only, with the named queries as examples;
                            results as a table
    /query.csv              the same results as CSV
    /export/matrix.xlsx     the workbook of `gazettekg export matrix` (?doc=KEY&issue=KEY narrow it)
    /source/{sha256}        an ingested input file (the PDF a task page links to at #page=N)
    /static/...             the stylesheet

Keys in URLs are percent-encoded whole (a task key holds "#"). The SPARQL 1.1 protocol endpoint
(graph/endpoint.py) is not part of this module: a caller passes it as ``sparql_app`` (any ASGI
app; web/sparql.handler_app runs graph/endpoint.py's own request handler as one) and it answers
at /sparql, and at /query and / when a request carries a SPARQL protocol ``query`` or a SPARQL
body (so URLs the old stdlib server answered keep working). Anything else can be added with
``routes`` (Starlette routes, tried first) or by mounting this app inside another Starlette app.

The query page runs typed SPARQL as /sparql does when the app is given the endpoint's server
(``sparql_server``, or the one web/sparql.handler_app carries, as `gazettekg serve` passes it): its
Limits checked before parsing, then in its worker pool, so a query over the time limit is killed
and its message shown. Without one, the same pre-parse checks (size, nesting, operators, SERVICE,
updates) and the row cap apply, in this process. Cypher runs as `gazettekg cypher` does:
GRAPH.RO_QUERY on the store's embedded FalkorDB graph (graph/falkor.py), with the same time limit.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import threading
import time
from collections.abc import Sequence
from datetime import date
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Receive, Scope, Send

from gazettekg.graph.endpoint import Limits, Refused, check_query, run_query, server_limits
from gazettekg.web import data
from gazettekg.web.svg import Due, timeline

HERE = Path(__file__).resolve().parent
DISPLAY_ROWS = 1000  # rows of a query result shown on the page; the CSV has them all
MAX_QUERY = 100_000  # characters of SPARQL accepted from the query page


def url_key(key: str) -> str:
    return quote(key, safe="")


# ---------------------------------------------------------------- middleware


class ServerTiming:
    """Adds ``Server-Timing: app;dur=MS`` (time until the response headers): what the benchmark reads."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()

        async def timed(message: dict) -> None:
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - began) * 1000
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"server-timing", f"app;dur={ms:.1f}".encode())]
            await send(message)

        await self.app(scope, receive, timed)


class _Protocol:
    """Routes a SPARQL protocol request (a ``query`` parameter, or a SPARQL body) to ``sparql``,
    anything else to the page; the POST body is read once and replayed to whichever answers."""

    def __init__(self, page: ASGIApp, sparql: ASGIApp | None) -> None:
        self.page = page
        self.sparql = sparql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.sparql is None:
            await self.page(scope, receive, send)
            return
        params = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "query" in params:
            await self.sparql(scope, receive, send)
            return
        if scope.get("method") != "POST":
            await self.page(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = dict(scope.get("headers", []))
        media = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
        protocol = media in ("application/sparql-query", "application/sparql-update") or (
            media == "application/x-www-form-urlencoded"
            and {"query", "update"} & set(parse_qs(body.decode("utf-8", "replace")))
        )
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await (self.sparql if protocol else self.page)(scope, replay, send)


# ---------------------------------------------------------------- the app


def create_app(
    store_dir: Path | str,
    *,
    sparql_app: ASGIApp | None = None,
    sparql_server: object | None = None,
    routes: Sequence[BaseRoute] = (),
    debug: bool = False,
) -> Starlette:
    """The explorer over the store at ``store_dir`` (opened read-only, renewed after each ingest).

    ``sparql_app``: an ASGI app answering the SPARQL 1.1 protocol, served at /sparql (and for
    protocol requests at /query and /). ``sparql_server``: the endpoint's server (graph/endpoint.make_server),
    whose Limits and worker pool the query page runs SPARQL with; by default the one ``sparql_app``
    carries (web/sparql.handler_app). ``routes``: more Starlette routes, matched before the pages.
    """
    view = data.StoreView(store_dir)
    server = sparql_server if sparql_server is not None else getattr(sparql_app, "endpoint_server", None)
    runner = _Queries(view, server)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters["u"] = url_key
    env.globals["ROLE_LABELS"] = data.ROLE_LABELS
    env.globals["BASIS_LABELS"] = data.BASIS_LABELS

    def page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def not_found(request: Request, what: str) -> HTMLResponse:
        return page(request, "error.html", {"title": "未找到", "message": what}, 404)

    # ---- pages

    def index(request: Request) -> HTMLResponse:
        return page(request, "index.html", {"title": "总览", "issues": data.issues(view),
                                            "workload": data.workload(view)})  # fmt: skip

    def agency_by_name(request: Request) -> Response:
        name = request.query_params.get("name", "").strip()
        keys = data.resolve_agency(view, name) if name else []
        if len(keys) == 1:
            return RedirectResponse(f"/agency/{url_key(keys[0])}", status_code=303)
        return RedirectResponse(f"/search?q={quote(name)}", status_code=303)

    def agency(request: Request) -> HTMLResponse:
        key = request.path_params["key"]
        found = data.agency_page(view, key)
        if found is None:
            keys = data.resolve_agency(view, key)
            if len(keys) == 1:
                return RedirectResponse(f"/agency/{url_key(keys[0])}", status_code=303)  # type: ignore[return-value]
            return not_found(request, f"图中没有单位“{key}”。")
        q = request.query_params
        chosen = data.TaskFilter(q.get("issue", ""), q.get("doc", ""), q.get("role", ""),
                                 _iso(q.get("due_from", "")), _iso(q.get("due_to", "")))  # fmt: skip
        tasks = [t for t in found.tasks if chosen.keep(t)]
        issues = sorted({(t.issue, t.issue_label) for t in found.tasks if t.issue}, key=lambda x: data.natural(x[0]))
        docs = sorted({(t.doc, t.doc_title) for t in found.tasks}, key=lambda x: data.natural(x[0]))
        svg = timeline([Due(t.task, t.title, t.deadline, t.role) for t in tasks if t.deadline], date.today())
        counts = {"lead": sum(t.role == "lead" for t in tasks), "support": sum(t.role == "support" for t in tasks)}
        return page(request, "agency.html", {
            "title": found.agency.name, "a": found, "tasks": tasks, "filter": chosen, "issues": issues,
            "docs": docs, "svg": svg, "counts": counts, "undated": sum(not t.deadline for t in tasks),
        })  # fmt: skip

    def task(request: Request) -> HTMLResponse:
        key = request.path_params["key"]
        found = data.task_page(view, key)
        if found is None:
            return not_found(request, f"图中没有任务“{key}”。")
        facts = [*found.assignments, *found.deadlines, *found.targets, *found.rules]
        parts = data.segments(found.source, facts, found.heading) if found.source else []
        seen: set[str] = set()
        anchored = []  # each segment with the anchors (m-a0, ...) of the facts it begins
        for s in parts:
            new = [f for f in s.facts if f not in seen]
            seen.update(new)
            anchored.append((s, [f"m-{f}" for f in new]))
        parts = anchored
        return page(request, "task.html", {"title": found.title or found.path, "t": found, "segments": parts})

    def doc(request: Request) -> HTMLResponse:
        key = request.path_params["key"]
        found = data.doc_page(view, key)
        if found is None:
            return not_found(request, f"图中没有文件“{key}”。")
        matrix = _matrix(view, documents=[key]) if found.tasks else None
        return page(request, "doc.html", {"title": str(found.fields.get("eli:title") or key), "d": found,
                                          "matrix": matrix, "xlsx": f"/export/matrix.xlsx?doc={quote(key)}"})

    def issue(request: Request) -> HTMLResponse:
        key = request.path_params["key"]
        found = data.issue_page(view, key)
        if found is None:
            return not_found(request, f"图中没有一期“{key}”。")
        matrix = _matrix(view, documents=[d.key for d in found.documents]) if found.documents else None
        return page(request, "issue.html", {"title": found.label, "i": found, "matrix": matrix,
                                            "xlsx": f"/export/matrix.xlsx?issue={quote(key)}"})

    def search(request: Request) -> HTMLResponse:
        q = request.query_params.get("q", "")[:200]
        return page(request, "search.html", {"title": f"搜索：{q}" if q else "搜索", "r": data.search(view, q)})

    async def query_page(request: Request) -> HTMLResponse:
        form = await _form(request)
        context = await run_in_threadpool(runner.run, form)
        context["title"] = "查询"
        context["named"] = _named_queries(str(context["lang"]))
        context["cypher_missing"] = runner.cypher.missing() if context["lang"] == "cypher" else ""
        return page(request, "query.html", context, int(context["status"]))

    async def query_csv(request: Request) -> Response:
        form = await _form(request)
        context = await run_in_threadpool(runner.run, form, None)
        if context.get("error"):
            return Response(f"{context['error']}\n", status_code=int(context["status"]),
                            media_type="text/plain; charset=utf-8")
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(context["columns"])
        writer.writerows(["" if v is None else v for v in row] for row in context["rows"])
        name = context.get("name") or "query"
        return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": _attachment(f"{name}.csv")})  # fmt: skip

    def export_matrix(request: Request) -> Response:
        from gazettekg.queries.matrix import build_report
        from gazettekg.queries.xlsx import write_xlsx

        documents = list(request.query_params.getlist("doc"))
        label = documents[0] if len(documents) == 1 else "matrix"
        for key in request.query_params.getlist("issue"):
            found = data.issue_page(view, key)
            if found is None:
                raise HTTPException(404, f"no issue {key}")
            documents += [d.key for d in found.documents]
            label = key
        try:
            graph = data.scoped_store(view, documents) if documents else view.oxigraph
            report = build_report(graph, documents=documents)
        except LookupError as error:
            raise HTTPException(404, str(error)) from error
        with tempfile.TemporaryDirectory() as tmp:
            path = write_xlsx(report, Path(tmp) / "matrix.xlsx")
            body = path.read_bytes()
        return Response(body, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"content-disposition": _attachment(f"{label}-责任矩阵.xlsx")})  # fmt: skip

    def source(request: Request) -> Response:
        sha = request.path_params["sha"]
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise HTTPException(404)
        path = data.source_file(view, sha)
        if path is None:
            raise HTTPException(404, "the store no longer has this file")
        media = "application/pdf" if path.suffix.lower() == ".pdf" else None
        return FileResponse(path, media_type=media, content_disposition_type="inline", filename=path.name)

    def _sparql_route(path: str, endpoint, methods: tuple[str, ...] = ("GET", "HEAD")) -> Route:
        return Route(path, endpoint=_Protocol(_as_asgi(endpoint, methods), sparql_app), methods=None)

    pages = [
        *routes,
        _sparql_route("/", index),
        Route("/agency", agency_by_name),
        Route("/agency/{key:path}", agency),
        Route("/task/{key:path}", task),
        Route("/doc/{key:path}", doc),
        Route("/issue/{key:path}", issue),
        Route("/search", search),
        _sparql_route("/query", query_page, ("GET", "HEAD", "POST")),
        Route("/query.csv", query_csv, methods=["GET", "POST"]),
        Route("/export/matrix.xlsx", export_matrix),
        Route("/source/{sha}", source),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    if sparql_app is not None:
        pages.insert(len(routes), Route("/sparql", endpoint=_Raw(sparql_app), methods=None))

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        detail = getattr(exc, "detail", "") or "出错了"
        return page(request, "error.html", {"title": str(status), "message": detail}, status)

    def warm() -> None:
        """Compile the templates and read the agency names before the first request needs them."""
        for name in ("agency.html", "task.html", "doc.html", "issue.html", "search.html", "query.html"):
            env.get_template(name)
        try:
            data.agencies(view)
        except Exception:  # a store mid-write: the first request reads them instead
            pass

    threading.Thread(target=warm, name="gazettekg-web-warm", daemon=True).start()
    app = Starlette(debug=debug, routes=pages, exception_handlers={HTTPException: http_error})
    app.state.view = view
    app.add_middleware(ServerTiming)
    return app


class _Raw:
    """An ASGI app as a Route endpoint (Starlette treats a plain function as a request handler)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def _as_asgi(endpoint, methods: tuple[str, ...]) -> ASGIApp:
    """A page handler (sync or async, taking a Request) as an ASGI app answering ``methods``."""
    import inspect

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        if scope.get("method") not in methods:
            response: Response = Response("method not allowed", status_code=405, headers={"allow": ", ".join(methods)})
        elif inspect.iscoroutinefunction(endpoint):
            response = await endpoint(request)
        else:
            response = await run_in_threadpool(endpoint, request)
        await response(scope, receive, send)

    return app


def _iso(text: str) -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat() if text.strip() else ""
    except ValueError:
        return ""


def _attachment(filename: str) -> str:
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _matrix(view: data.StoreView, documents: list[str]):
    from gazettekg.queries.matrix import responsibility_matrix

    try:
        return responsibility_matrix(data.scoped_store(view, documents), documents=documents)
    except LookupError:
        return None


async def _form(request: Request) -> dict[str, str]:
    """Query-string and url-encoded form fields (the last value of each)."""
    fields = {k: v for k, v in request.query_params.items()}
    if request.method == "POST":
        body = (await request.body()).decode("utf-8", "replace")
        fields.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
    return fields


# ---------------------------------------------------------------- the query page


def _named_queries(lang: str = "sparql") -> list[dict[str, object]]:
    from gazettekg import queries

    found = []
    for name in queries.names():
        text = queries.load(name, lang)
        comment = []
        for line in text.splitlines():
            if not line.startswith(("#", "//")):
                break
            comment.append(line.lstrip("#/ "))
        found.append({"name": name, "params": queries.PARAMS[name], "about": " ".join(comment), "text": text})
    return found


_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE | re.MULTILINE)
_PARAM_DEFAULTS = {"agency": "市应急局", "date": "2022-06-30", "year": "2025"}
_PAGE_ACCEPT = "application/sparql-results+json, application/n-triples"  # what the page asks the worker pool for
# The endpoint's refusals are English (its clients are programs); the page says what kind each is.
_REFUSAL_KINDS = {400: "查询有误", 403: "查询被拒绝", 500: "查询被拒绝", 503: "查询被终止"}


class _Queries:
    """The query page's runner: SPARQL through the endpoint server when there is one, else in this
    process within the pre-parse checks and the row cap; Cypher read-only on the embedded graph."""

    def __init__(self, view: data.StoreView, server: object | None) -> None:
        self.view = view
        self.server = server
        self.limits = server_limits(server) if server is not None else Limits()  # type: ignore[arg-type]
        self.cypher = _Cypher(view.directory, self.limits)

    def sparql(self, text: str) -> tuple[list[str], list[tuple]]:
        """(columns, rows of Python values); raises Refused (a limit, a syntax error)."""
        if self.server is not None:
            media, body = run_query(self.server, text, accept=_PAGE_ACCEPT)  # type: ignore[arg-type]
            return _parsed(media, body)
        check_query(text, self.limits)
        return _sparql_here(self.view.oxigraph, text, self.limits)

    def run(self, form: dict[str, str], limit: int | None = DISPLAY_ROWS) -> dict[str, object]:
        """Run the page's query: a named one (``name`` and its parameters) or the typed text of ``lang``
        (``sparql`` or ``cypher`` fields). Read-only: the Oxigraph store is opened read-only and only
        ever queried; Cypher runs as GRAPH.RO_QUERY, which the FalkorDB server refuses to let write."""
        from gazettekg import queries
        from gazettekg.graph.sparql import bind_parameters

        lang = "cypher" if form.get("lang") == "cypher" else "sparql"
        name = form.get("name", "")
        text = form.get(lang, "")
        context: dict[str, object] = {"lang": lang, "sparql": form.get("sparql", ""), "cypher": form.get("cypher", ""),
                                      "name": name, "params": {}, "columns": [], "rows": [], "total": 0,
                                      "error": "", "status": 200, "ran": False, "seconds": 0.0}  # fmt: skip

        def refuse(message: str, status: int = 400) -> dict[str, object]:
            context.update(error=message, status=status)
            return context

        values: dict[str, object] = {}
        if name and name not in queries.PARAMS:
            return refuse(f"没有名为 {name} 的查询")
        if name:
            params = {p: form.get(p, "").strip() or _PARAM_DEFAULTS[p] for p in queries.PARAMS[name]}
            context["params"] = params
            text = context[lang] = queries.load(name, lang)
            if "agency" in params:
                keys = data.resolve_agency(self.view, params["agency"])
                if len(keys) > 1:
                    return refuse(f"“{params['agency']}”指多个单位：{'、'.join(keys)}")
                if keys:
                    params = {**params, "agency": keys[0]}
            if form.get("example"):
                return context  # only show the text
            try:
                values = {p: queries.coerce(p, v) for p, v in params.items()}
            except ValueError as error:
                return refuse(f"查询参数有误：{error}")
            if lang == "sparql":
                text, values = bind_parameters(text, values), {}
        elif not text.strip():
            return context
        elif len(text) > MAX_QUERY:
            return refuse(f"查询过长（超过 {MAX_QUERY} 字符）")
        elif lang == "sparql" and _UPDATE.search(_strip_strings(text)):
            return refuse("只读：不接受 SPARQL Update（INSERT、DELETE、LOAD、DROP……）")
        began = time.perf_counter()
        try:
            columns, rows = self.sparql(text) if lang == "sparql" else self.cypher.run(text, values)
        except Refused as refused:
            status = int(refused.status)
            return refuse(f"{_REFUSAL_KINDS.get(status, '查询失败')}：{refused.message}", status)
        context.update(columns=columns, total=len(rows), ran=True, seconds=time.perf_counter() - began,
                       rows=rows if limit is None else rows[:limit])  # fmt: skip
        return context


def _parsed(media: str, body: bytes) -> tuple[list[str], list[tuple]]:
    """The worker pool's answer (SPARQL JSON, or N-Triples for CONSTRUCT / DESCRIBE) as columns and rows."""
    import pyoxigraph as ox

    from gazettekg.graph.endpoint import JSON
    from gazettekg.graph.sparql import to_python

    if media != JSON:
        triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        return ["subject", "predicate", "object"], [
            (to_python(t.subject), to_python(t.predicate), to_python(t.object)) for t in triples
        ]
    result = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(result, ox.QueryBoolean):
        return ["ask"], [(bool(result),)]
    columns = [v.value for v in result.variables]
    return columns, [tuple(to_python(solution[c]) for c in columns) for solution in result]


def _sparql_here(store, text: str, limits: Limits) -> tuple[list[str], list[tuple]]:
    """A checked query run in this process (no time limit: no worker pool), refused past ``limits.max_rows``."""
    import pyoxigraph as ox

    from gazettekg.graph.rdf import PREFIXES
    from gazettekg.graph.sparql import to_python

    def capped(rows) -> list[tuple]:
        kept = []
        for row in rows:
            if len(kept) >= limits.max_rows:
                raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR,
                              f"query request refused: the result has more than {limits.max_rows} rows, "
                              "this endpoint's limit; add LIMIT (and OFFSET to page through it)")  # fmt: skip
            kept.append(row)
        return kept

    try:
        result = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return ["ask"], [(bool(result),)]
        if isinstance(result, ox.QuerySolutions):
            columns = [v.value for v in result.variables]
            return columns, capped(tuple(to_python(s[c]) for c in columns) for s in result)
        return ["subject", "predicate", "object"], capped(
            (to_python(t.subject), to_python(t.predicate), to_python(t.object)) for t in result
        )
    except SyntaxError as error:
        raise Refused(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {error}") from error
    except ValueError as error:
        raise Refused(HTTPStatus.BAD_REQUEST, str(error)) from error
    except OSError as error:
        raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"the store could not be read: {error}") from error


class _Timed:
    """A FalkorDB graph whose read-only queries carry a time limit (milliseconds; 0: none)."""

    def __init__(self, graph, milliseconds: int) -> None:
        self.graph = graph
        self.milliseconds = milliseconds

    def ro_query(self, text: str, params: dict | None = None):
        return self.graph.ro_query(text, params, timeout=self.milliseconds or None)


class _Cypher:
    """Read-only Cypher on the store's embedded FalkorDB graph, as `gazettekg cypher` runs it
    (graph/falkor.py: GRAPH.RO_QUERY), within the endpoint's time limit and row cap.

    The embedded server loads STORE/falkordb/graph.db when it starts, so it is restarted when an
    ingest has saved a new one; queries take turns (one server, restarted between them)."""

    def __init__(self, store_dir: Path, limits: Limits) -> None:
        self.store_dir = Path(store_dir)
        self.limits = limits
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None

    def missing(self) -> str:
        """Why Cypher cannot run on this store ('' when it can)."""
        from gazettekg.graph import falkor

        if not falkor.available():
            return "未安装 FalkorDBLite，不能运行 Cypher：pip install 'gazettekg[cypher]'"
        if not falkor.database_path(self.store_dir).exists():
            return ("此存储还没有属性图（STORE/falkordb/graph.db），不能运行 Cypher："
                    "装好 FalkorDBLite 后运行 gazettekg repair 生成它")
        return ""

    def _renew(self) -> None:
        from gazettekg.graph import falkor

        try:
            stat = falkor.database_path(self.store_dir).stat()
            stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError:
            stamp = None
        if stamp != self._stamp:
            falkor.close(self.store_dir)  # the next open_graph loads the new file
            self._stamp = stamp

    def run(self, text: str, params: dict[str, object]) -> tuple[list[str], list[tuple]]:
        from gazettekg.graph import falkor

        why = self.missing()
        if why:
            raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, why)
        with self._lock:
            self._renew()
            try:
                with falkor.open_graph(self.store_dir) as graph:
                    columns, rows = falkor.query(_Timed(graph, int(self.limits.timeout * 1000)), text, params,
                                                 read_only=True)  # fmt: skip
            except Exception as error:
                raise _cypher_refusal(error, self.limits) from None
        if len(rows) > self.limits.max_rows:
            raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR,
                          f"query request refused: the result has more than {self.limits.max_rows} rows, "
                          "this endpoint's limit; add LIMIT (and SKIP to page through it)")  # fmt: skip
        return columns, [tuple(_cell(v) for v in row) for row in rows]


def _cypher_refusal(error: Exception, limits: Limits) -> Refused:
    """What the page says about a failed Cypher query (the FalkorDB server's own message kept)."""
    kind = type(error).__name__
    message = str(error)
    if kind == "ResponseError" and "read-only" in message.lower():
        return Refused(HTTPStatus.FORBIDDEN, "只读：属性图由 RDF 存储导出，不接受修改它的 Cypher（CREATE、MERGE、"
                                             f"SET、DELETE……）。FalkorDB: {message}")  # fmt: skip
    if kind == "ResponseError" and "timed out" in message.lower():
        return Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"query stopped: it ran over the time limit of "
                                                       f"{limits.timeout:g} s ({message})")  # fmt: skip
    if kind == "ResponseError":
        return Refused(HTTPStatus.BAD_REQUEST, f"Cypher error: {message}")
    if type(error).__module__.split(".")[0] in ("redis", "falkordb") or isinstance(error, OSError | RuntimeError):
        return Refused(HTTPStatus.SERVICE_UNAVAILABLE, f"the property graph could not be read: {message}")
    return Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"Cypher query failed: {kind}: {message}")


def _cell(value: object) -> object:
    """A Cypher value for a table cell or CSV: nodes, relationships, maps and lists as JSON."""
    import json

    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _strip_strings(text: str) -> str:
    """The query without strings, IRIs and comments (so "DELETE" in a literal is not an update)."""
    return re.sub(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|<[^<>\s]*>|#[^\n]*",
                  " ", text, flags=re.DOTALL)  # fmt: skip


# ---------------------------------------------------------------- running it


def serve(store_dir: Path | str, host: str = "127.0.0.1", port: int = 7878, *, sparql_app: ASGIApp | None = None,
          log_level: str = "info") -> None:  # fmt: skip
    """Serve the explorer with uvicorn until interrupted (loopback by default)."""
    import uvicorn

    uvicorn.run(create_app(store_dir, sparql_app=sparql_app), host=host, port=port, log_level=log_level)
