"""`gazettekg repair`: rebuild what is derived, so that SPARQL and Cypher agree again.

The sources of truth, in order: the Oxigraph database (the RDF graph), and each ingested
input's saved extraction (STORE/extractions/SHA256.pickle, written by every ingest; the input
file itself, when its content still matches, serves as well). Derived from them: the manifest
(what was ingested, with which digest) and the property graph (FalkorDB, falkordb/graph.db).

A damaged file is set aside (renamed FILE.damaged-TIMESTAMP), never deleted, and rebuilt:
  * manifest.json: from the saved extractions whose issue graph the RDF store holds;
  * oxigraph/: a fresh database, every input written again from its saved extraction;
  * falkordb/graph.db: always rebuilt whole from the extractions of the manifest's inputs.
Every action is reported as one line through ``say``.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from gazettekg.graph.damage import StoreDamaged
from gazettekg.graph.store import MANIFEST, GraphStore, check_oxigraph, open_oxigraph, read_manifest, sha256_of


def _set_aside(path: Path) -> Path:
    target = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    shutil.move(str(path), str(target))
    return target


def repair(store_dir: Path, say: Callable[[str], None], extract: Callable[[Path], object] | None = None) -> int:
    """Check and rebuild the store at ``store_dir`` (the caller holds the writer lock); the number of actions."""
    from gazettekg.graph import falkor

    actions = 0

    def act(line: str) -> None:
        nonlocal actions
        actions += 1
        say(line)

    store_dir = Path(store_dir)
    # ---- the RDF store ----
    rdf_rebuilt = False
    try:
        check_oxigraph(open_oxigraph(store_dir / "oxigraph"), store_dir / "oxigraph")  # opened, read, closed
    except StoreDamaged as damage:
        aside = _set_aside(store_dir / "oxigraph")
        act(f"oxigraph: damaged ({damage.detail}); set aside as {aside.name}, rebuilding from saved extractions")
        rdf_rebuilt = True
    # ---- the manifest ----
    manifest_rebuilt = False
    try:
        read_manifest(store_dir / MANIFEST)
    except StoreDamaged as damage:
        aside = _set_aside(store_dir / MANIFEST)
        act(f"{MANIFEST}: unreadable ({damage.detail}); set aside as {aside.name}, rebuilding it")
        manifest_rebuilt = True
    import gc

    gc.collect()  # the check's read-write handle must be closed before the store opens the database
    store = GraphStore(store_dir)
    saved = store.saved_extractions()

    def extraction_of(key: str, sha256: str):
        if sha256 in saved:
            return saved[sha256][1]
        path = Path(key)
        if extract is not None and path.is_file() and sha256_of(path) == sha256:
            return extract(path)
        return None

    # ---- manifest entries: rebuilt from the saved extractions, checked against the RDF graphs ----
    if manifest_rebuilt or rdf_rebuilt:
        wanted = {key: entry["sha256"] for key, entry in store.manifest.items()}
        if manifest_rebuilt:
            present = set(store.issue_graphs())
            for sha256, (source, x) in saved.items():
                from gazettekg.graph.rdf import issue_graph_iri

                if source and (rdf_rebuilt or str(issue_graph_iri(x)) in present):
                    wanted[source] = sha256
        for key, sha256 in sorted(wanted.items()):
            x = extraction_of(key, sha256)
            if x is None:
                store.manifest.pop(key, None)
                act(f"forgot {key}: no saved extraction and the file changed or is gone — ingest it again")
                continue
            result = store.ingest(x, source=key, sha256=sha256)
            act(f"rdf: wrote {key} ({result.issue}): {result.triples} triples")
        store._write_manifest()
    for key, entry in sorted(store.manifest.items()):
        if not store.oxigraph.contains_named_graph(ox.NamedNode(entry["graph"])):
            x = extraction_of(key, entry["sha256"])
            if x is None:
                store.manifest.pop(key)
                store._write_manifest()
                act(f"forgot {key}: its RDF graph is gone and nothing is left to rebuild it from — ingest it again")
            else:
                result = store.ingest(x, source=key, sha256=entry["sha256"])
                act(f"rdf: rewrote the missing graph of {key} ({result.issue})")
    store.flush()
    # ---- the property graph: rebuilt whole ----
    if not falkor.available():
        act("property graph: skipped (FalkorDBLite is not installed)")
        return actions
    db = falkor.database_path(store_dir)
    try:
        falkor.markers(store_dir)
    except StoreDamaged as damage:
        falkor.close(store_dir)
        aside = _set_aside(db)
        act(f"falkordb/graph.db: damaged ({damage.detail}); set aside as {aside.name}")
    falkor.clear(store_dir)
    loaded, missing = 0, []
    for key, entry in sorted(store.manifest.items()):
        x = extraction_of(key, entry["sha256"])
        if x is None:
            missing.append(key)
            continue
        falkor.sync(store_dir, x, marker={"id": key, "sha256": entry["sha256"]}, save=False)
        loaded += 1
    falkor.save(store_dir)
    act(f"property graph: rebuilt from {loaded} input(s)" + (f"; {len(missing)} could not be rebuilt "
        f"(no saved extraction, file changed or gone): {', '.join(missing)}" if missing else ""))  # fmt: skip
    store.prune_extractions()
    return actions
