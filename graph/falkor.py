"""The embedded Cypher engine: FalkorDBLite, with its database file in the store folder.

FalkorDBLite (`pip install falkordblite`) runs a private Redis + FalkorDB server on a
file (STORE/falkordb/graph.db); nothing is installed system-wide. :func:`sync` loads an
issue with the very statements the Neo4j loader runs (graph/cypher.py), so the two
engines hold the same graph; :func:`run_cypher` answers a query as (columns, rows).
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gazettekg.graph.cypher import DEFAULT_BATCH_SIZE, FALKORDB, issue_statements, schema_statements
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


# One embedded server per store and process: starting one takes ~0.2 s but shutting it
# down (which also saves the file) ~3 s, so it stays up until close() or interpreter exit.
_OPEN: dict[Path, Any] = {}


def _database(store_dir: Path) -> Any:
    path = database_path(store_dir).resolve()
    db = _OPEN.get(path)
    if db is None:
        try:
            from redislite.falkordb_client import FalkorDB
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise RuntimeError(
                "the embedded Cypher engine needs falkordblite: pip install 'gazettekg[cypher]'"
            ) from exc
        path.parent.mkdir(parents=True, exist_ok=True)
        db = _OPEN[path] = FalkorDB(str(path))
    return db


@contextmanager
def open_graph(store_dir: Path, save: bool = False) -> Iterator[Any]:
    """The store's graph (the server is shared by every call in this process).

    With ``save`` the file is written when the block ends, so it is current even if the
    process is killed before the server's own save at exit.
    """
    db = _database(store_dir)
    yield db.select_graph(GRAPH_NAME)
    if save:
        db.client.save()


def close(store_dir: Path | None = None) -> None:
    """Stop the embedded server of one store (or of all), which writes its file."""
    paths = [database_path(store_dir).resolve()] if store_dir is not None else list(_OPEN)
    dbs = [db for db in (_OPEN.pop(path, None) for path in paths) if db is not None]
    # Each server takes seconds to exit; stop them side by side, not one after another.
    threads = [threading.Thread(target=db.close) for db in dbs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


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


def sync(store_dir: Path, extraction: IssueExtraction, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
    """Load one issue into the store's graph, replacing what it contributed before (idempotent)."""
    with open_graph(store_dir, save=True) as graph:
        ensure_schema(graph)
        run_statements(graph, issue_statements(extraction, batch_size))


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


def query(graph: Any, text: str, params: dict | None = None) -> tuple[list[str], list[list]]:
    result = graph.query(text, params or None)
    columns = [h[1] if isinstance(h, list | tuple) else str(h) for h in (result.header or [])]
    return columns, [[_plain(v) for v in row] for row in result.result_set]


def run_cypher(store_dir: Path, text: str, params: dict | None = None) -> tuple[list[str], list[list]]:
    """Run one Cypher query on the store's graph: (column names, rows of plain Python values)."""
    with open_graph(store_dir) as graph:
        return query(graph, text, params)


def counts(store_dir: Path) -> dict[str, int]:
    """Nodes per label and relationships per type: a quick fingerprint of the graph."""
    with open_graph(store_dir) as graph:
        _, nodes = query(graph, "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) ORDER BY label")
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
