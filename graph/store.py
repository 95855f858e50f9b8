"""The on-disk knowledge-graph store: an Oxigraph database plus a manifest of ingested inputs.

Layout of a store folder (default ``./gazettekg-data``)::

    oxigraph/        the Oxigraph (RocksDB) database
    manifest.json    {"inputs": {path: {"sha256", "issue", "graph", "documents", "triples"}}}

Each issue lives in its own named graph (the Issue node's IRI), and what each of its documents
says (heading tree, tasks, facts, provenance) in the document's content graph, which any source
of that document replaces: the gazette PDF and the same text saved elsewhere are two issues, but
one document. Re-ingesting drops and rewrites these graphs in one SPARQL Update, which Oxigraph
applies as a single transaction: a reader never sees half an issue, and ingesting the same input
twice leaves exactly the same triples. Agencies, and the identity of documents, are shared
between issues and kept in a named graph of their own (see graph/rdf.shared_subjects),
so the union of all graphs, which queries read, holds every triple once.

An input whose sha256 matches the manifest (and whose graph is present) is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from gazettekg.graph import rdf
from gazettekg.records import IssueExtraction

DEFAULT_STORE_DIR = Path("gazettekg-data")
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class IngestResult:
    source: str  # the input as given
    issue: str  # issue key
    graph: str  # the named graph's IRI
    triples: int  # triples written for this issue (its graph plus the shared nodes it describes)
    skipped: bool  # unchanged since the last ingest
    seconds: float


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def to_oxigraph(term: object) -> ox.NamedNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (the builder never emits blank nodes)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        raise ValueError("blank nodes would break idempotent re-ingest; give the node an IRI")
    raise TypeError(f"not an RDF term: {term!r}")


def _triples_block(triples: Iterable[tuple]) -> str:
    # Oxigraph's str() of a term is its N-Triples form, which is valid SPARQL syntax.
    return "\n".join(f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} ." for s, p, o in triples)


def replacement_update(graph: Graph, issue_graph: URIRef, also_drop: Iterable[str] = (),
                       content: dict[URIRef, set[tuple]] | None = None) -> tuple[str, int]:
    """The SPARQL Update that replaces an issue's named graph, the content graphs of its documents
    and the shared nodes it describes.

    Returns (update text, number of triples inserted).
    """
    shared: dict[URIRef, list[tuple]] = dict(rdf.shared_subjects(graph))
    shared_triples = {t for triples in shared.values() for t in triples}
    content = {g: [t for t in triples if t not in shared_triples] for g, triples in (content or {}).items()}
    in_content = {t for triples in content.values() for t in triples}
    own = [t for t in graph if t not in shared_triples and t not in in_content]
    drops = [issue_graph, *(URIRef(g) for g in also_drop), *content, *shared]
    parts = [f"DROP SILENT GRAPH <{g}> ;" for g in dict.fromkeys(drops)]
    blocks = [f"GRAPH <{issue_graph}> {{\n{_triples_block(own)}\n}}"]
    blocks += [f"GRAPH <{g}> {{\n{_triples_block(triples)}\n}}" for g, triples in content.items() if triples]
    blocks += [
        f"GRAPH <{node}> {{\n{_triples_block(triples)}\n}}" for node, triples in shared.items() if triples
    ]
    parts.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return "\n".join(parts), len(own) + len(in_content) + len(shared_triples)


class GraphStore:
    """An Oxigraph store with an ingest manifest; in memory when ``directory`` is None."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else None
        if self.directory is None:
            self.oxigraph = ox.Store()
            self._manifest: dict = {"inputs": {}}
        else:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.oxigraph = ox.Store(str(self.directory / "oxigraph"))
            self._manifest = self._read_manifest()

    # ---- manifest ----
    def _read_manifest(self) -> dict:
        assert self.directory is not None
        path = self.directory / MANIFEST
        if not path.exists():
            return {"inputs": {}}
        return json.loads(path.read_text(encoding="utf-8"))

    def _write_manifest(self) -> None:
        if self.directory is None:
            return
        path = self.directory / MANIFEST
        tmp = path.with_suffix(".json.tmp")
        text = json.dumps(self._manifest, ensure_ascii=False, indent=1, sort_keys=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)  # atomic: a crash leaves the old manifest, never half a file

    @property
    def manifest(self) -> dict[str, dict]:
        """Ingested inputs by resolved path: sha256, issue key, graph IRI, triple count."""
        return self._manifest["inputs"]

    def is_current(self, path: Path, sha256: str | None = None) -> bool:
        """True when ``path`` was ingested with this content and its graph is still in the store."""
        entry = self.manifest.get(str(Path(path).resolve()))
        if entry is None:
            return False
        if entry["sha256"] != (sha256 or sha256_of(Path(path))):
            return False
        return self.oxigraph.contains_named_graph(ox.NamedNode(entry["graph"]))

    # ---- writing ----
    def ingest(
        self, extraction: IssueExtraction, source: Path | str | None = None, sha256: str | None = None
    ) -> IngestResult:
        """Write one issue, replacing whatever an earlier ingest of it (or of ``source``) wrote."""
        began = time.perf_counter()
        graph, content = rdf.build_issue(extraction)
        issue_graph = rdf.issue_graph_iri(extraction)
        key = str(Path(source).resolve()) if source is not None else None
        before = self.manifest.get(key, {}) if key else {}
        stale = [before["graph"]] if before.get("graph") and before["graph"] != str(issue_graph) else []
        # Documents this input held before and holds no more go, unless another input holds them.
        stale += self._unclaimed(set(before.get("documents", [])) - {str(g) for g in content}, key)
        update, count = replacement_update(graph, issue_graph, stale, content)
        self.oxigraph.update(update)
        if key is not None:
            self.manifest[key] = {
                "sha256": sha256 or sha256_of(Path(source)),
                "issue": extraction.issue,
                "graph": str(issue_graph),
                "documents": sorted(str(g) for g in content),
                "triples": count,
            }
            self._write_manifest()
        return IngestResult(
            str(source or extraction.source.name), extraction.issue, str(issue_graph), count, False,
            time.perf_counter() - began,
        )  # fmt: skip

    def ingest_file(
        self,
        path: Path,
        extract: Callable[[Path], IssueExtraction],
        *,
        force: bool = False,
    ) -> tuple[IngestResult, IssueExtraction | None]:
        """Extract and ingest ``path`` unless the manifest says it is unchanged.

        Returns the result and the extraction (None when skipped), so callers can feed
        the same extraction to other stores (the property graph).
        """
        began = time.perf_counter()
        digest = sha256_of(path)
        if not force and self.is_current(path, digest):
            entry = self.manifest[str(Path(path).resolve())]
            skipped = IngestResult(
                str(path), entry["issue"], entry["graph"], entry["triples"], True, time.perf_counter() - began
            )
            return skipped, None
        extraction = extract(path)
        result = self.ingest(extraction, source=path, sha256=digest)
        return result, extraction

    def remove(self, path: Path) -> bool:
        """Forget an input: drop its issue graph, the documents no other input holds, its manifest entry."""
        key = str(Path(path).resolve())
        entry = self.manifest.pop(key, None)
        if entry is None:
            return False
        drops = [entry["graph"], *self._unclaimed(set(entry.get("documents", [])), key)]
        self.oxigraph.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in drops))
        self._write_manifest()
        return True

    def _unclaimed(self, graphs: set[str], but: str | None) -> list[str]:
        """The content graphs among ``graphs`` that no input other than ``but`` holds."""
        claimed = {g for k, e in self.manifest.items() if k != but for g in e.get("documents", [])}
        return sorted(graphs - claimed)

    # ---- reading ----
    def __len__(self) -> int:
        """Number of quads in the store (all named graphs)."""
        return len(self.oxigraph)

    def issue_graphs(self) -> list[str]:
        return sorted(g.value for g in self.oxigraph.named_graphs() if "/id/issue/" in g.value)

    def query(self, text: str, params: dict[str, object] | None = None) -> tuple[list[str], list[tuple]]:
        from gazettekg.graph.sparql import run

        return run(self.oxigraph, text, params)

    def flush(self) -> None:
        if self.directory is not None:
            self.oxigraph.flush()
