"""The embedded Cypher engine: FalkorDBLite, with its database file in the store folder.

FalkorDBLite (`pip install falkordblite`) runs a private Redis + FalkorDB server on a
file (STORE/falkordb/graph.db); nothing is installed system-wide. :func:`sync` loads an
issue with the very statements the Neo4j loader runs (graph/cypher.py), so the two
engines hold the same graph; :func:`run_cypher` answers a query as (columns, rows).
"""

from __future__ import annotations

import atexit
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gazettekg.graph.cypher import (
    DEFAULT_BATCH_SIZE,
    FALKORDB,
    INPUT_LABEL,
    issue_statements,
    schema_statements,
)
from gazettekg.graph.damage import StoreDamaged
from gazettekg.graph.property import NODE_LABELS, PropertyGraph
from gazettekg.records import IssueExtraction

GRAPH_NAME = "gazettekg"


def available() -> bool:
    """True when falkordblite is installed (the `cypher` extra)."""
    try:
        import redislite.falkordb_client  # noqa: F401
    except ImportError:
        return False
    return True


def database_path(store_dir: Path) -> Path:
    return Path(store_dir) / "falkordb" / "graph.db"


# One embedded server per store and process, started by us and owned by us:
#  * it runs in the foreground as our child, told by the kernel to die with us (PR_SET_PDEATHSIG),
#    and its pid is recorded in STORE/falkordb/server-<our pid>.pid so that the next process
#    kills one whose owner vanished anyway (a kill between fork and prctl);
#  * it never saves on its own (`save ""`, shutdown by SIGKILL): only the writer holding the
#    store's lock persists, with SAVE, which Redis writes to a temporary file and renames over
#    graph.db. A stray or a reader's server can therefore never write an old graph back, and a
#    read-only command pays nothing for a save.
_OPEN: dict[Path, _Server] = {}
START_TIMEOUT = 20.0


def _prctl_deathsig() -> Callable[[], None] | None:
    """A function that makes the calling process die (SIGKILL) with its parent; None off Linux."""
    import ctypes
    import os
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def hook() -> None:
        prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return hook


def _quoted(path: Path | str) -> str:
    return '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_redis(pid: int) -> bool:
    try:
        return b"redis-server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def kill_strays(folder: Path) -> list[int]:
    """Kill the servers recorded in ``folder`` whose owning process is gone (without a save)."""
    import os
    import signal

    killed = []
    for record in Path(folder).glob("server-*.pid"):
        try:
            owner = int(record.stem.split("-", 1)[1])
            server = int(record.read_text().strip() or 0)
        except (ValueError, OSError):
            record.unlink(missing_ok=True)
            continue
        if owner != os.getpid() and _alive(owner):
            continue  # its owner still runs it
        if server and _alive(server) and _is_redis(server):
            try:
                os.kill(server, signal.SIGKILL)
                killed.append(server)
            except OSError:
                pass
        record.unlink(missing_ok=True)
    return killed


class _Server:
    """A private redis-server with the FalkorDB module, on a unix socket, loading ``path``."""

    def __init__(self, path: Path) -> None:
        import os
        import subprocess
        import tempfile

        import redislite
        from redis.exceptions import BusyLoadingError
        from redis.exceptions import ConnectionError as RedisConnectionError

        self.path = path
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
        kill_strays(folder)
        self.tmp = Path(tempfile.mkdtemp(prefix="gazettekg-falkordb-"))
        self.socket = self.tmp / "redis.sock"
        self.log = self.tmp / "redis.log"
        config = self.tmp / "redis.conf"
        config.write_text("\n".join([
            "port 0", f"unixsocket {_quoted(self.socket)}", "unixsocketperm 700",
            f"dir {_quoted(folder)}", f"dbfilename {_quoted(path.name)}", 'save ""', "appendonly no",
            "daemonize no", f"logfile {_quoted(self.log)}", "stop-writes-on-bgsave-error no",
            "shutdown-on-sigterm nosave", "shutdown-on-sigint nosave", "rdbchecksum yes",
            f"loadmodule {_quoted(redislite.__falkordb_module__)}",
        ]) + "\n", encoding="utf-8")  # fmt: skip
        self.record = folder / f"server-{os.getpid()}.pid"
        self.process = subprocess.Popen(
            [redislite.__redis_executable__ or "redis-server", str(config)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches us, not the server
            preexec_fn=_prctl_deathsig(), close_fds=True,
        )  # fmt: skip
        self.record.write_text(str(self.process.pid))
        self.db = None
        import time

        from falkordb import FalkorDB as Client

        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                detail = self._log_tail()
                self.close()
                if self.path.exists():
                    raise StoreDamaged(self.path, detail)
                raise RuntimeError(f"the embedded FalkorDB server did not start: {detail}")
            if self.socket.exists():
                try:
                    db = Client(unix_socket_path=str(self.socket))
                    db.connection.ping()
                    self.db = db
                    break
                except (BusyLoadingError, RedisConnectionError):
                    pass
            if time.monotonic() > deadline:
                detail = self._log_tail()
                self.close()
                raise RuntimeError(f"the embedded FalkorDB server did not start in {START_TIMEOUT:g}s: {detail}")
            time.sleep(0.02)

    def _log_tail(self) -> str:
        try:
            lines = [line for line in self.log.read_text(errors="replace").splitlines() if line.strip()]
        except OSError:
            return ""
        picked = [line for line in lines if "#" in line] or lines
        return picked[-1].split("# ", 1)[-1].strip() if picked else ""

    def save(self) -> None:
        """Write graph.db (Redis writes a temporary file, then renames it over the old one)."""
        self.db.connection.save()

    def close(self) -> None:
        """Stop the server without saving: SIGKILL, then remove its socket folder and pid record."""
        import shutil

        if self.db is not None:
            try:
                self.db.connection.close()
            except Exception:
                pass
            self.db = None
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except Exception:
            pass
        self.record.unlink(missing_ok=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


def _database(store_dir: Path) -> Any:
    path = database_path(store_dir).resolve()
    server = _OPEN.get(path)
    if server is None or server.process.poll() is not None:
        if not available():  # pragma: no cover - depends on the environment
            raise RuntimeError("the embedded Cypher engine needs falkordblite: pip install 'gazettekg[cypher]'")
        server = _OPEN[path] = _Server(path)
    return server


@contextmanager
def open_graph(store_dir: Path, save: bool = False) -> Iterator[Any]:
    """The store's graph (the server is shared by every call in this process).

    With ``save`` the file is written when the block ends (only the holder of the store's
    writer lock should ask for it); without, changes live only as long as this process.
    """
    server = _database(store_dir)
    yield server.db.select_graph(GRAPH_NAME)
    if save:
        server.save()


def save(store_dir: Path) -> None:
    _database(store_dir).save()


def close(store_dir: Path | None = None) -> None:
    """Stop the embedded server of one store (or of all) — without saving, at once."""
    paths = [database_path(store_dir).resolve()] if store_dir is not None else list(_OPEN)
    for path in paths:
        server = _OPEN.pop(path, None)
        if server is not None:
            server.close()


atexit.register(close)


def ensure_schema(graph: Any) -> None:
    """Create the id/doc indexes and the unique-id constraints once (FalkorDB's dialect)."""
    for text in schema_statements(FALKORDB):
        try:
            graph.query(text)
        except Exception as exc:  # FalkorDB has no IF NOT EXISTS for indexes
            if "already indexed" not in str(exc):
                raise
    for label in NODE_LABELS:
        try:
            graph.execute_command("GRAPH.CONSTRAINT", "CREATE", graph.name, "UNIQUE", "NODE", label,
                                  "PROPERTIES", "1", "id")  # fmt: skip
        except Exception as exc:
            if "already exists" not in str(exc).lower():
                raise


def run_statements(
    graph: Any, statements: list[tuple[str, dict]], on_statement: Callable[[], None] | None = None
) -> None:
    for text, params in statements:
        graph.query(text, params)
        if on_statement is not None:
            on_statement()


def sync(
    store_dir: Path, extraction: IssueExtraction, batch_size: int = DEFAULT_BATCH_SIZE,
    marker: dict | None = None, save: bool = True,
) -> None:
    """Load one issue into the store's graph, replacing what it contributed before (idempotent).

    ``marker`` ({"id": input, "sha256": …}) records which input version the graph now holds
    (written last); ``save`` persists graph.db afterwards (the writer's job).
    """
    with open_graph(store_dir, save=save) as graph:
        ensure_schema(graph)
        run_statements(graph, issue_statements(extraction, batch_size, marker))


class PropertyGraphSync:
    """The property graph as a store derived from the RDF graph (graph/store.Derived): the writer's."""

    def __init__(self, store_dir: Path, batch_size: int = DEFAULT_BATCH_SIZE, save_every: int = 1) -> None:
        """``save_every`` > 1 is the bulk path of a first load: graph.db (which grows with the
        archive) is written every so many inputs and at ``flush``, not after each one; an input
        written but not yet saved when the run dies is missing from the property graph, which
        the next ingest sees by its marker and rebuilds."""
        self.store_dir, self.batch_size, self.save_every = store_dir, batch_size, max(1, save_every)
        self._markers: dict[str, dict] | None = None
        self._unsaved = 0

    def holds(self, key: str, sha256: str) -> bool:
        if self._markers is None:
            self._markers = markers(self.store_dir)
        return holds(self.store_dir, key, sha256, self._markers)

    def write(self, extraction: IssueExtraction, key: str, sha256: str) -> None:
        self._markers = None
        self._unsaved += 1
        save = self._unsaved >= self.save_every
        sync(self.store_dir, extraction, self.batch_size, marker={"id": key, "sha256": sha256}, save=save)
        if save:
            self._unsaved = 0

    def flush(self) -> None:
        """Write graph.db if inputs were loaded since it was last written."""
        if self._unsaved:
            save(self.store_dir)
            self._unsaved = 0


def behind(store_dir: Path, manifest: dict[str, dict]) -> list[str]:
    """The inputs of the manifest whose version the property graph lacks (a cheap check: digests only)."""
    held = markers(store_dir)
    return [key for key, entry in manifest.items() if held.get(key, {}).get("sha256") != entry.get("sha256")]


def markers(store_dir: Path) -> dict[str, dict]:
    """The inputs the property graph holds, by input: {"sha256", "issue", "documents", "scoped", …}."""
    with open_graph(store_dir) as graph:
        _, rows = query(graph, f"MATCH (m:{INPUT_LABEL}) RETURN properties(m)", read_only=True)
    return {str(row[0]["id"]): row[0] for row in rows}


def holds(store_dir: Path, source: str, sha256: str, known: dict[str, dict] | None = None) -> bool:
    """True when the property graph holds this version of the input, whole: its marker carries the
    digest, and the issue's documents and their tasks and facts are all there."""
    marker = (known if known is not None else markers(store_dir)).get(source)
    if marker is None or marker.get("sha256") != sha256:
        return False
    with open_graph(store_dir) as graph:
        _, rows = query(graph, (
            "OPTIONAL MATCH (i:Issue {id: $issue}) OPTIONAL MATCH (i)-[:CONTAINS]->(d:Document) "
            "WITH i, collect(d.id) AS docs OPTIONAL MATCH (n) WHERE n.doc IN docs "
            "RETURN i IS NOT NULL, size(docs), count(n)"
        ), {"issue": marker.get("issue_key")}, read_only=True)  # fmt: skip
    present, documents, scoped = rows[0] if rows else (False, 0, 0)
    return bool(present) and documents == marker.get("documents") and scoped == marker.get("scoped")


def clear(store_dir: Path) -> None:
    """Empty the store's property graph (in this process's server; save() persists it)."""
    with open_graph(store_dir) as graph:
        try:
            graph.delete()
        except Exception as exc:  # an empty graph does not exist yet
            if "empty key" not in str(exc).lower() and "invalid graph" not in str(exc).lower():
                raise


def _plain(value: Any) -> Any:
    """Graph values as plain Python: nodes and edges become dicts of their properties."""
    from falkordb import Edge, Node
    from falkordb import Path as GraphPath

    if isinstance(value, Node):
        return {"_labels": list(value.labels or []), **dict(value.properties)}
    if isinstance(value, Edge):
        return {"_type": value.relation, **dict(value.properties)}
    if isinstance(value, GraphPath):
        return [_plain(n) for n in value.nodes()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def query(graph: Any, text: str, params: dict | None = None, read_only: bool = False) -> tuple[list[str], list[list]]:
    """Run ``text``; with ``read_only`` as GRAPH.RO_QUERY, which the server refuses to let write."""
    try:
        result = (graph.ro_query if read_only else graph.query)(text, params or None)
    except Exception as exc:  # a graph never written does not exist yet: it holds nothing
        if read_only and "empty key" in str(exc):
            return [], []
        raise
    columns = [h[1] if isinstance(h, list | tuple) else str(h) for h in (result.header or [])]
    return columns, [[_plain(v) for v in row] for row in result.result_set]


def run_cypher(
    store_dir: Path, text: str, params: dict | None = None, write: bool = False
) -> tuple[list[str], list[list]]:
    """Run one Cypher query on the store's graph: (column names, rows of plain Python values).

    Read-only (GRAPH.RO_QUERY) unless ``write``; a write is saved to graph.db, so only the holder
    of the store's writer lock should ask for one.
    """
    with open_graph(store_dir, save=write) as graph:
        return query(graph, text, params, read_only=not write)


def counts(store_dir: Path) -> dict[str, int]:
    """Nodes per label and relationships per type: a quick fingerprint of the graph."""
    with open_graph(store_dir) as graph:
        _, nodes = query(graph, f"MATCH (n) WHERE NOT n:{INPUT_LABEL} UNWIND labels(n) AS label "
                                "RETURN label, count(*) ORDER BY label")
        _, rels = query(graph, "MATCH ()-[r]->() RETURN type(r) AS t, count(*) ORDER BY t")
    return {str(k): int(v) for k, v in nodes + rels}


def read_property_graph(store_dir: Path) -> PropertyGraph:
    """The store's whole graph back as rows, to load elsewhere (Neo4j) or export."""
    graph = PropertyGraph()
    with open_graph(store_dir) as g:
        for label in NODE_LABELS:
            _, rows = query(g, f"MATCH (n:{label}) RETURN n.id, properties(n) ORDER BY n.id")
            for node_id, props in rows:
                graph.add_node(label, node_id, {k: v for k, v in props.items() if k != "id"})
        _, rows = query(
            g,
            "MATCH (a)-[r]->(b) RETURN type(r), labels(a)[0], a.id, labels(b)[0], b.id, properties(r) "
            "ORDER BY type(r), a.id, b.id",
        )
        for rel_type, src_label, src, dst_label, dst, props in rows:
            graph.add_rel(rel_type, (src_label, src), (dst_label, dst), dict(props))
    return graph
