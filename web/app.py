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
    /query                  SPARQL (read-only) with the named queries as examples; results as a table
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
    routes: Sequence[BaseRoute] = (),
    debug: bool = False,
) -> Starlette:
    """The explorer over the store at ``store_dir`` (opened read-only, renewed after each ingest).

    ``sparql_app``: an ASGI app answering the SPARQL 1.1 protocol, served at /sparql (and for
    protocol requests at /query and /). ``routes``: more Starlette routes, matched before the pages.
    """
    view = data.StoreView(store_dir)
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
        context = await run_in_threadpool(_run_query, view, form)
        context["title"] = "查询"
        context["named"] = _named_queries()
        return page(request, "query.html", context, 400 if context.get("error") else 200)

    async def query_csv(request: Request) -> Response:
        form = await _form(request)
        context = await run_in_threadpool(_run_query, view, form, None)
        if context.get("error"):
            return Response(context["error"] + "\n", status_code=400, media_type="text/plain; charset=utf-8")
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


def _named_queries() -> list[dict[str, object]]:
    from gazettekg import queries

    found = []
    for name in queries.names():
        text = queries.load(name)
        comment = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comment.append(line.lstrip("# "))
        found.append({"name": name, "params": queries.PARAMS[name], "about": " ".join(comment), "text": text})
    return found


_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE | re.MULTILINE)
_PARAM_DEFAULTS = {"agency": "市应急局", "date": "2022-06-30", "year": "2025"}


def _run_query(view: data.StoreView, form: dict[str, str], limit: int | None = DISPLAY_ROWS) -> dict[str, object]:
    """Run the page's query: a named one (``name`` and its parameters) or ``sparql`` text. Read-only:
    the store is opened read-only and only ever queried (pyoxigraph's ``query`` parses no updates)."""
    from gazettekg import queries
    from gazettekg.graph.sparql import run, run_named

    name = form.get("name", "")
    text = form.get("sparql", "")
    context: dict[str, object] = {"sparql": text, "name": name, "params": {}, "columns": [], "rows": [],
                                  "total": 0, "error": "", "ran": False, "seconds": 0.0}  # fmt: skip
    if name and name not in queries.PARAMS:
        context["error"] = f"没有名为 {name} 的查询"
        return context
    if name:
        params = {p: form.get(p, "").strip() or _PARAM_DEFAULTS[p] for p in queries.PARAMS[name]}
        context["params"] = params
        context["sparql"] = queries.load(name)
        if "agency" in params:
            keys = data.resolve_agency(view, params["agency"])
            if len(keys) > 1:
                context["error"] = f"“{params['agency']}”指多个单位：{'、'.join(keys)}"
                return context
            if keys:
                params = {**params, "agency": keys[0]}
        if form.get("example"):
            return context  # only show the text
        began = time.perf_counter()
        try:
            columns, rows = run_named(view.oxigraph, name, params)
        except (ValueError, SyntaxError, OSError) as error:
            context["error"] = f"查询参数有误：{error}"
            return context
    elif text.strip():
        if len(text) > MAX_QUERY:
            context["error"] = f"查询过长（超过 {MAX_QUERY} 字符）"
            return context
        if _UPDATE.search(_strip_strings(text)):
            context["error"] = "只读：不接受 SPARQL Update（INSERT、DELETE、LOAD、DROP……）"
            return context
        began = time.perf_counter()
        try:
            columns, rows = run(view.oxigraph, text)
        except (SyntaxError, ValueError, OSError) as error:
            context["error"] = f"查询有误：{error}"
            return context
    else:
        return context
    context.update(columns=columns, total=len(rows), ran=True, seconds=time.perf_counter() - began,
                   rows=rows if limit is None else rows[:limit])  # fmt: skip
    return context


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
