"""The SPARQL 1.1 protocol endpoint of graph/endpoint.py as an ASGI app, to serve beside the pages.

graph/endpoint.py answers the protocol with a standard-library request handler
(``BaseHTTPRequestHandler``): its limits, update refusal, formats, CORS and error answers live
there. Rather than re-implement them, ``handler_app`` runs that same handler class on each ASGI
request: the request is written out as HTTP/1.1 bytes, the handler reads them from memory and
writes its response into memory, and the response is parsed back into ASGI messages. The
handler blocks (it waits for a query worker process), so it runs in a thread.

    from gazettekg.graph.endpoint import make_server
    from gazettekg.web.app import create_app
    from gazettekg.web.sparql import handler_app

    server = make_server(store_dir, "127.0.0.1", 0, limits=..., workers=..., cors=...)  # never served
    app = create_app(store_dir, sparql_app=handler_app(server.RequestHandlerClass, server))
    ...                                                                   # run app; at exit:
    server.server_close()                                                 # stops its worker processes
"""

from __future__ import annotations

import io
from http.client import HTTPResponse

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

MAX_BODY = 1 << 20  # the endpoint's own limit; a larger body is passed on truncated and it answers 413


class _Socket:
    """What http.client.HTTPResponse reads the handler's output from."""

    def __init__(self, data: bytes) -> None:
        self._file = io.BytesIO(data)

    def makefile(self, *_args, **_kwargs) -> io.BytesIO:
        return self._file


def _run_handler(handler_class: type, server: object, raw: bytes, client: tuple[str, int]) -> bytes:
    out = io.BytesIO()

    class InMemory(handler_class):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            self.connection = None
            self.rfile = io.BytesIO(raw)
            self.wfile = out

        def finish(self) -> None:
            pass

    InMemory(None, client, server)
    return out.getvalue()


def handler_app(handler_class: type, server: object = None) -> ASGIApp:
    """An ASGI app answering each HTTP request with ``handler_class`` (a BaseHTTPRequestHandler)."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > MAX_BODY + 1:
                body = body[: MAX_BODY + 1]
        path = scope.get("raw_path") or scope["path"].encode("utf-8")
        if scope.get("query_string"):
            path += b"?" + scope["query_string"]
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in (b"content-length",
                                                                                     b"transfer-encoding")]
        if body or scope["method"] in ("POST", "PUT", "PATCH"):
            headers.append((b"content-length", str(len(body)).encode()))
        lines = [scope["method"].encode("ascii") + b" " + path + b" HTTP/1.1"]
        lines += [k + b": " + v for k, v in headers]
        raw = b"\r\n".join(lines) + b"\r\n\r\n" + body
        client = tuple(scope.get("client") or ("127.0.0.1", 0))
        output = await run_in_threadpool(_run_handler, handler_class, server, raw, client)
        response = HTTPResponse(_Socket(output), method=scope["method"])  # type: ignore[arg-type]
        response.begin()
        payload = response.read()
        skip = {"connection", "content-length", "server", "date", "transfer-encoding"}
        out_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.getheaders()
                       if k.lower() not in skip]  # fmt: skip
        out_headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": response.status, "headers": out_headers})
        await send({"type": "http.response.body", "body": payload})

    app.endpoint_server = server  # type: ignore[attr-defined]  # create_app runs its query page through it
    return app
