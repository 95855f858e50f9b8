"""The on-disk knowledge-graph store: an Oxigraph database plus a manifest of ingested inputs.

Layout of a store folder (default ``./gazettekg-data``)::

    oxigraph/        the Oxigraph (RocksDB) database
    manifest.json    {"inputs": {path: {"sha256", "issue", "graph", "documents", "triples"}}}

Each issue lives in its own named graph (the Issue node's IRI), and what each of its documents
says (heading tree, tasks, facts, provenance) in the document's content graph, which any source
of that document replaces: the gazette PDF and the same text saved elsewhere are two issues, but
one document. Re-ingesting drops and rewrites these graphs in one SPARQL Update, which Oxigraph
applies as a single transaction: a reader never sees half of a changed issue, and ingesting the
same input twice leaves exactly the same triples. An input new to the store has nothing to drop and
goes through Oxigraph's bulk loader (a reader may see part of a new issue while it loads; a crash
leaves it out of the manifest, so the next ingest replaces it whole). Agencies, and the identity
of documents, are shared between issues and kept in a named graph of their own (see
graph/rdf.shared_subjects), so the union of all graphs, which queries read, holds every triple once.

An input whose sha256 matches the manifest (and whose graph is present) is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from gazettekg.graph import rdf
from gazettekg.graph.damage import StoreDamaged
from gazettekg.graph.lock import interrupts_deferred
from gazettekg.records import IssueExtraction

DEFAULT_STORE_DIR = Path("gazettekg-data")
MANIFEST = "manifest.json"
EXTRACTIONS = "extractions"  # STORE/extractions/SHA256.pickle: each ingested input's extraction, to rebuild from


@dataclass(frozen=True, slots=True)
class IngestResult:
    source: str  # the input as given
    issue: str  # issue key
    graph: str  # the named graph's IRI
    triples: int  # triples written for this issue (its graph plus the shared nodes it describes)
    skipped: bool  # unchanged since the last ingest
    seconds: float
    repaired: bool = False  # unchanged, but a derived store (the property graph) was behind and was rebuilt


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


def graph_blocks(graph: Graph, issue_graph: URIRef, content: dict[URIRef, set[tuple]] | None = None
                 ) -> tuple[dict[URIRef, list[tuple]], dict[URIRef, list[tuple]]]:  # fmt: skip
    """An issue's triples by the named graph they are stored in: (its own graph and the content graph
    of each of its documents, the graph of each shared node it describes)."""
    shared: dict[URIRef, list[tuple]] = dict(rdf.shared_subjects(graph))
    shared_triples = {t for triples in shared.values() for t in triples}
    content = {g: [t for t in triples if t not in shared_triples] for g, triples in (content or {}).items()}
    in_content = {t for triples in content.values() for t in triples}
    own = [t for t in graph if t not in shared_triples and t not in in_content]
    return {issue_graph: own, **content}, shared


def replacement_update(graph: Graph, issue_graph: URIRef, also_drop: Iterable[str] = (),
                       content: dict[URIRef, set[tuple]] | None = None) -> tuple[str, int]:
    """The SPARQL Update that replaces an issue's named graph, the content graphs of its documents
    and the shared nodes it describes.

    Returns (update text, number of triples inserted).
    """
    owned, shared = graph_blocks(graph, issue_graph, content)
    update = _replacing([issue_graph, *(URIRef(g) for g in also_drop), *owned, *shared],
                        {g: t for g, t in owned.items() if t or g == issue_graph} | shared)
    return update, _count(owned) + _count(shared)


def _replacing(drops: Iterable[URIRef], blocks: dict[URIRef, list[tuple]]) -> str:
    parts = [f"DROP SILENT GRAPH <{g}> ;" for g in dict.fromkeys(drops)]
    inserts = [f"GRAPH <{g}> {{\n{_triples_block(triples)}\n}}" for g, triples in blocks.items()]
    parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
    return "\n".join(parts)


def _count(blocks: dict[URIRef, list[tuple]]) -> int:
    return len({t for triples in blocks.values() for t in triples})


def n_quads(blocks: dict[URIRef, list[tuple]]) -> str:
    """The blocks as N-Quads (Oxigraph's str() of a term is its N-Triples form)."""
    return "".join(
        f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} <{g}> .\n"
        for g, triples in blocks.items() for s, p, o in triples
    )


class Derived(Protocol):
    """A store kept in step with the RDF graph (the property graph): told of every ingest."""

    def holds(self, key: str, sha256: str) -> bool:
        """True when it holds this version of the input ``key`` (a resolved path), whole."""

    def write(self, extraction: IssueExtraction, key: str, sha256: str) -> None:
        """Replace what the input contributed with ``extraction``, durably."""


def open_oxigraph(path: Path, read_only: bool = False) -> ox.Store:
    """The Oxigraph database at ``path``; a damaged one raises StoreDamaged naming the file."""
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except (OSError, RuntimeError, ValueError) as error:
        text = str(error)
        if "lock" in text.lower() and "corrupt" not in text.lower():
            raise
        raise oxigraph_damage(error, path) from error


def oxigraph_damage(error: Exception, path: Path) -> StoreDamaged:
    """The StoreDamaged for a RocksDB error, naming the file the message names (else the database)."""
    text = str(error)
    match = re.search(r"(\S+?\.(?:sst|log|ldb|blob)|MANIFEST-\d+|CURRENT|OPTIONS-\d+)\b", text)
    where = match.group(1) if match else ""
    named = Path(where) if "/" in where else path / where if where else path
    return StoreDamaged(named, (text.splitlines() or [type(error).__name__])[0][:160],
                        "run `gazettekg repair` (it sets the database aside and rebuilds it from the "
                        "saved extractions; or re-ingest the inputs)")  # fmt: skip


def check_oxigraph(store: ox.Store, path: Path) -> int:
    """Read every quad (RocksDB verifies each block's checksum): their number, or StoreDamaged."""
    try:
        return sum(1 for _ in store.quads_for_pattern(None, None, None, None))
    except (OSError, RuntimeError, ValueError) as error:
        raise oxigraph_damage(error, path) from error


def read_manifest(path: Path) -> dict:
    """manifest.json, checked: a truncated or garbled one raises StoreDamaged naming it."""
    if not path.exists():
        return {"inputs": {}}
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        inputs = data["inputs"]
        if not isinstance(inputs, dict):
            raise TypeError("inputs is not an object")
        for entry in inputs.values():
            if not (isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("sha256", "issue", "graph"))
                    and isinstance(entry.get("documents", []), list)):  # fmt: skip
                raise TypeError("an entry lacks sha256, issue or graph")
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:  # UnicodeDecodeError is a ValueError
        raise StoreDamaged(path, f"{type(error).__name__}: {error}"[:200]) from error
    return data


def _load_saved(path: Path) -> tuple[str, IssueExtraction | None]:
    try:
        value = pickle.loads(path.read_bytes())
        source, extraction = value["source"], value["extraction"]
    except Exception:  # a missing, damaged or outdated file is simply not there
        return "", None
    return (str(source), extraction) if isinstance(extraction, IssueExtraction) else ("", None)


def manifest_stamp(store_dir: Path) -> tuple[int, int] | None:
    """When the store's manifest was last written (and its size): it changes with every ingest, so
    a reader's view is renewed when this does. None when there is no manifest."""
    try:
        stat = (Path(store_dir) / MANIFEST).stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def transient(error: BaseException) -> bool:
    """Whether a read failed only because a writer moved on: a read-only RocksDB view does not pin
    the files it opened with, so a writer's compaction can delete one under it ("No such file")."""
    return "No such file or directory" in str(error) or "No such file" in str(getattr(error, "reason", ""))


def retrying[T](work: Callable[[], T], attempts: int = 10,
                errors: tuple[type[BaseException], ...] = (StoreDamaged, OSError, RuntimeError)) -> T:
    """``work()``, run again after a short wait while it fails only because a writer moved on
    (``transient``); any other failure, or the last, raises as usual."""
    delay = 0.05
    for attempt in range(attempts):
        try:
            return work()
        except errors as error:
            if attempt + 1 == attempts or not transient(error):
                raise
            time.sleep(delay)
            delay = min(2 * delay, 0.5)
    raise AssertionError("unreachable")


def reading[T](store_dir: Path, work: Callable[[GraphStore], T], attempts: int = 10) -> T:
    """``work(store)`` on a read-only view of the store at ``store_dir``, run again on a fresh view
    when a writer's compaction removed a file under it, so readers never fail because a writer is
    busy; a store that stays broken raises as usual."""
    return retrying(lambda: work(GraphStore(store_dir, read_only=True)), attempts)


class _BulkLoad:
    """Inputs gathered for one bulk load: their new graphs as N-Quads, the shared nodes they describe."""

    def __init__(self, oxigraph: ox.Store, batch: int) -> None:
        self.oxigraph, self.batch = oxigraph, max(1, batch)
        self.pending: list[tuple[str, Callable[[], None]]] = []
        self.graphs: set[str] = set()
        self.shared: dict[URIRef, list[tuple]] = {}
        self.loaded = 0

    def fresh(self, issue_graph: URIRef, content: dict[URIRef, set[tuple]]) -> bool:
        """Nothing of the issue is stored or gathered: its own and its documents' graphs are new."""
        graphs = [str(issue_graph), *map(str, content)]
        return not any(g in self.graphs or self.oxigraph.contains_named_graph(ox.NamedNode(g)) for g in graphs)

    def add(self, owned: dict[URIRef, list[tuple]], shared: dict[URIRef, list[tuple]],
            finish: Callable[[], None]) -> None:  # fmt: skip
        self.pending.append((n_quads(owned), finish))
        self.graphs.update(map(str, owned))
        for node, triples in shared.items():
            self.shared.pop(node, None)  # re-inserted: the dict's order is the order of last description
            self.shared[node] = triples


class GraphStore:
    """An Oxigraph store with an ingest manifest; in memory when ``directory`` is None.

    ``read_only`` opens the database read-only (a reader beside a writer); the manifest is read
    when first needed, so a reader that only queries never trips over a damaged one.
    """

    def __init__(self, directory: Path | str | None = None, read_only: bool = False) -> None:
        self.directory = Path(directory) if directory is not None else None
        self._manifest: dict | None
        if self.directory is None:
            self.oxigraph = ox.Store()
            self._manifest = {"inputs": {}}
        else:
            if not read_only:
                self.directory.mkdir(parents=True, exist_ok=True)
            self.oxigraph = open_oxigraph(self.directory / "oxigraph", read_only)
            self._manifest = None
        self._bulk: _BulkLoad | None = None

    # ---- manifest ----
    def _read_manifest(self) -> dict:
        assert self.directory is not None
        return read_manifest(self.directory / MANIFEST)

    def _write_manifest(self) -> None:
        if self.directory is None:
            return
        path = self.directory / MANIFEST
        tmp = path.with_suffix(".json.tmp")
        text = json.dumps(self._manifest, ensure_ascii=False, indent=1, sort_keys=True)
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)  # atomic: a crash leaves the old manifest, never half a file

    @property
    def manifest(self) -> dict[str, dict]:
        """Ingested inputs by resolved path: sha256, issue key, graph IRI, triple count."""
        if self._manifest is None:
            self._manifest = self._read_manifest()
        return self._manifest["inputs"]

    # ---- saved extractions (what the property graph and the RDF graph are rebuilt from) ----
    def _extraction_path(self, sha256: str) -> Path | None:
        return self.directory / EXTRACTIONS / f"{sha256}.pickle" if self.directory is not None else None

    def save_extraction(self, extraction: IssueExtraction, sha256: str, source: str = "") -> None:
        path = self._extraction_path(sha256)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(pickle.dumps({"source": source, "extraction": extraction}, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)

    def saved_extraction(self, sha256: str) -> IssueExtraction | None:
        """The extraction an ingest of this content saved, or None (missing, unreadable, other version)."""
        path = self._extraction_path(sha256)
        return _load_saved(path)[1] if path is not None else None

    def saved_extractions(self) -> dict[str, tuple[str, IssueExtraction]]:
        """Every readable saved extraction: sha256 -> (input it was read from, extraction)."""
        if self.directory is None or not (self.directory / EXTRACTIONS).is_dir():
            return {}
        found = {path.stem: _load_saved(path) for path in sorted((self.directory / EXTRACTIONS).glob("*.pickle"))}
        return {sha: (source, x) for sha, (source, x) in found.items() if x is not None}

    def prune_extractions(self) -> None:
        """Drop saved extractions no manifest entry refers to any more."""
        if self.directory is None or not (self.directory / EXTRACTIONS).is_dir():
            return
        wanted = {entry["sha256"] for entry in self.manifest.values()}
        for path in (self.directory / EXTRACTIONS).iterdir():
            if path.suffix == ".pickle" and path.stem not in wanted:
                path.unlink(missing_ok=True)

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
        self, extraction: IssueExtraction, source: Path | str | None = None, sha256: str | None = None,
        derived: Derived | None = None,
    ) -> IngestResult:
        """Write one issue, replacing whatever an earlier ingest of it (or of ``source``) wrote.

        Order: the RDF graphs (one transaction), the saved extraction, ``derived`` (the property
        graph), and last the manifest — so the manifest never claims what a store lacks. Ctrl-C is
        held back until the input is written everywhere.
        """
        with interrupts_deferred():
            return self._ingest(extraction, source, sha256, derived)

    def _ingest(self, extraction: IssueExtraction, source: Path | str | None, sha256: str | None,
                derived: Derived | None) -> IngestResult:  # fmt: skip
        began = time.perf_counter()
        graph, content = rdf.build_issue(extraction)
        issue_graph = rdf.issue_graph_iri(extraction)
        key = str(Path(source).resolve()) if source is not None else None
        before = self.manifest.get(key, {}) if key else {}
        # An input new to the store has nothing to replace: the bulk loader writes it (in a batch
        # during a bulk load, else at once — 0.15 s for the sample where an update takes 0.66 s).
        bulk = self._bulk or _BulkLoad(self.oxigraph, batch=1)
        if key is not None and not before and bulk.fresh(issue_graph, content):
            owned, shared = graph_blocks(graph, issue_graph, content)
            count = _count(owned) + _count(shared)
            sha256 = sha256 or sha256_of(Path(key))
            bulk.add(owned, shared, lambda: self._record(extraction, key, sha256, derived, content, count))
            if len(bulk.pending) >= bulk.batch:
                self._write_gathered(bulk)
        else:
            stale = [before["graph"]] if before.get("graph") and before["graph"] != str(issue_graph) else []
            # Documents this input held before and holds no more go, unless another input holds them.
            stale += self._unclaimed(set(before.get("documents", [])) - {str(g) for g in content}, key)
            update, count = replacement_update(graph, issue_graph, stale, content)
            self.oxigraph.update(update)
            if key is not None:
                self._record(extraction, key, sha256 or sha256_of(Path(key)), derived, content, count)
                self._write_manifest()
                self.prune_extractions()
        return IngestResult(
            str(source or extraction.source.name), extraction.issue, str(issue_graph), count, False,
            time.perf_counter() - began,
        )  # fmt: skip

    def _record(self, extraction: IssueExtraction, key: str, sha256: str, derived: Derived | None,
                content: dict[URIRef, set[tuple]], triples: int) -> None:
        """After the RDF write: the saved extraction, the property graph, the manifest entry (in memory)."""
        self.save_extraction(extraction, sha256, key)
        if derived is not None:
            derived.write(extraction, key, sha256)
        self.manifest[key] = {
            "sha256": sha256,
            "issue": extraction.issue,
            "graph": str(rdf.issue_graph_iri(extraction)),
            "documents": sorted(str(g) for g in content),
            "triples": triples,
        }

    # ---- bulk first loads ----
    def begin_bulk(self, batch: int = 25) -> None:
        """Write inputs new to the store ``batch`` at a time with Oxigraph's bulk loader.

        A first load of an archive is mostly inputs nothing of which is stored yet: there is nothing
        to drop, and one bulk load of many issues writes the database's files directly instead of a
        transaction per issue. Each batch is written in the usual order — RDF, saved extractions,
        the property graph, then the manifest — so an input the manifest names is whole in every
        store; a crash inside a batch leaves its inputs out of the manifest, and the next ingest
        rewrites them. Inputs the store holds already take the per-input path. ``end_bulk`` writes
        what is gathered (call it in a ``finally``).
        """
        self._bulk = _BulkLoad(self.oxigraph, batch)

    def end_bulk(self) -> int:
        """Write what is gathered, compact the database if anything was bulk-loaded; returns that number."""
        bulk, self._bulk = self._bulk, None
        if bulk is None:
            return 0
        self._write_gathered(bulk)
        # The bulk loader leaves many small files; compacting them makes reads ~1.6x faster, but costs
        # time in proportion to the whole database — worth it after a first load, not for a few
        # dozen new issues in a large archive (RocksDB compacts those in the background).
        if bulk.loaded and bulk.loaded * 4 >= len(self.manifest):
            self.oxigraph.optimize()
        return bulk.loaded

    def _write_gathered(self, bulk: _BulkLoad) -> None:
        if not bulk.pending:
            return
        with interrupts_deferred():
            # The issues' own and content graphs are new: the bulk loader writes them. A shared node
            # (an agency, a cited document) is described as the last input describing it says, as
            # one input at a time would leave it: replaced in one transaction.
            self.oxigraph.bulk_load("".join(quads for quads, _ in bulk.pending).encode(), format=ox.RdfFormat.N_QUADS)
            if bulk.shared:
                self.oxigraph.update(_replacing(bulk.shared, bulk.shared))
            for _, finish in bulk.pending:
                finish()
            self._write_manifest()
            self.prune_extractions()
            bulk.loaded += len(bulk.pending)
            bulk.pending.clear()
            bulk.graphs.clear()
            bulk.shared.clear()

    def ingest_file(
        self,
        path: Path,
        extract: Callable[[Path], IssueExtraction],
        *,
        force: bool = False,
        derived: Derived | None = None,
    ) -> tuple[IngestResult, IssueExtraction | None]:
        """Extract and ingest ``path`` unless it is unchanged: the manifest and the RDF graph hold
        this content, and so does ``derived`` (the property graph). When only ``derived`` is behind,
        it alone is rebuilt (from the saved extraction, else by extracting again): ``repaired``.

        Returns the result and the extraction (None when skipped).
        """
        began = time.perf_counter()
        digest = sha256_of(path)
        key = str(Path(path).resolve())
        if not force and self.is_current(path, digest):
            entry = self.manifest[key]
            if derived is None or derived.holds(key, digest):
                skipped = IngestResult(
                    str(path), entry["issue"], entry["graph"], entry["triples"], True, time.perf_counter() - began
                )
                return skipped, None
            extraction = self.saved_extraction(digest) or extract(path)
            with interrupts_deferred():
                self.save_extraction(extraction, digest, key)
                derived.write(extraction, key, digest)
            repaired = IngestResult(str(path), entry["issue"], entry["graph"], entry["triples"], True,
                                    time.perf_counter() - began, repaired=True)  # fmt: skip
            return repaired, extraction
        extraction = extract(path)
        result = self.ingest(extraction, source=path, sha256=digest, derived=derived)
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
