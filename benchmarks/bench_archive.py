"""A whole archive: extraction throughput, ingest time and memory, store size and query latency at scale.

    python benchmarks/bench_archive.py [--issues 1000] [--checkpoints 100,1000] [--extract-sample 60]

Makes a synthetic archive (benchmarks/make_archive.py: real documents recombined, deterministic),
then measures, each through the command line in its own process as a user runs it:

1. extraction throughput on the first --extract-sample issues: ``extract --workers 1``, ``--workers 2``
   and ``--cluster local`` (issues/s, MB/s);
2. ingest of the archive in steps up to each checkpoint (``ingest DIR --store S``): wall time,
   issues/s and the peak memory of each step's process — bounded memory means a step's peak does
   not grow with what the store already holds;
3. at each checkpoint: the store's size on disk and every named query's latency (median of 5) in
   SPARQL (Oxigraph) and Cypher (the embedded FalkorDB), and the wall time of one whole
   ``gazettekg query`` process.

Figures only; nothing is asserted. A 1,000-issue run takes tens of minutes on two cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
GAZETTEKG = [sys.executable, "-m", "gazettekg.cli"]


def run(args: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, peak MB of the child, the finished process) of one command."""
    began = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONWARNINGS": "ignore"})
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    out, err = process.stdout.read(), process.stderr.read()
    done = subprocess.CompletedProcess(args, os.waitstatus_to_exitcode(status), out, err)
    return wall, usage.ru_maxrss / 1024, done


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def query_latencies(store_dir: Path, repeat: int = 5) -> dict[str, tuple[float, float | None, int]]:
    """name -> (SPARQL median ms, Cypher median ms or None, rows) on the store as it stands."""
    from bench_graph import time_cypher, time_queries

    from gazettekg.graph.store import GraphStore

    store = GraphStore(store_dir, read_only=True)
    agency = store.query("SELECT ?k WHERE { ?a a <https://w3id.org/gazettekg/ontology#Agency> ; "
                         "<https://w3id.org/gazettekg/ontology#key> ?k } LIMIT 1")[1]
    params = {"agency_tasks": {"agency": agency[0][0] if agency else ""},
              "co_agencies": {"agency": agency[0][0] if agency else ""},
              "due_before": {"date": "2023-01-01"}, "targets_for_year": {"year": 2025}}
    sparql = time_queries(store, params, repeat)
    try:
        from gazettekg.graph import falkor

        cypher = time_cypher(store_dir, params, repeat) if falkor.available() else {}
    except ImportError:
        cypher = {}
    return {name: (q["median_ms"], cypher[name]["median_ms"] if name in cypher else None, q["rows"])
            for name, q in sparql.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=1000)
    parser.add_argument("--checkpoints", default="100,1000")
    parser.add_argument("--extract-sample", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep the archive and the store here")
    args = parser.parse_args()
    from make_archive import make_archive

    folder = args.keep or Path(tempfile.mkdtemp(prefix="gazettekg-archive-"))
    archive, store_dir = folder / "archive", folder / "store"
    began = time.perf_counter()
    paths = make_archive(archive, args.issues, args.seed)
    mb = sum(p.stat().st_size for p in paths) / 2**20
    print(f"archive: {len(paths)} issues, {mb:.1f} MB of text, made in {time.perf_counter() - began:.1f} s\n")

    sample = paths[: args.extract_sample]
    sample_mb = sum(p.stat().st_size for p in sample) / 2**20
    print(f"## Extraction ({len(sample)} issues, {sample_mb:.1f} MB)\n")
    print("| how | wall s | issues/s | MB/s | peak MB (parent) |\n|---|---|---|---|---|")
    for label, how in (("--workers 1", ["--workers", "1"]), ("--workers 2", ["--workers", "2"]),
                       ("--cluster local", ["--cluster", "local"])):
        out = folder / f"extract{how[-1]}"
        wall, peak, done = run([*GAZETTEKG, "extract", *map(str, sample), *how, "--out", str(out), "--show", "none"])
        note = "" if done.returncode == 0 else f" (exit {done.returncode}: {done.stderr.strip()[-120:]})"
        print(f"| {label} | {wall:.1f} | {len(sample) / wall:.2f} | {sample_mb / wall:.2f} | {peak:.0f}{note} |",
              flush=True)
        shutil.rmtree(out, ignore_errors=True)

    print("\n## Ingest, in steps\n")
    print("| issues in store | step issues | step wall s | issues/s | step peak MB | store MB |")
    print("|---|---|---|---|---|---|")
    checkpoints = [int(c) for c in args.checkpoints.split(",") if int(c) <= len(paths)]
    latencies = {}
    done_count = 0
    for checkpoint in checkpoints:
        step = paths[done_count:checkpoint]
        for k in range(0, len(step), 100):  # 100 issues a process: a peak that grows would show here
            batch = step[k:k + 100]
            wall, peak, done = run([*GAZETTEKG, "ingest", *map(str, batch), "--store", str(store_dir)])
            done_count += len(batch)
            note = "" if done.returncode == 0 else f" (exit {done.returncode}: {done.stderr.strip()[-120:]})"
            print(f"| {done_count} | {len(batch)} | {wall:.1f} | {len(batch) / wall:.2f} | {peak:.0f} | "
                  f"{size_mb(store_dir):.0f}{note} |", flush=True)
        latencies[checkpoint] = query_latencies(store_dir)
        wall, _, _ = run([*GAZETTEKG, "query", "workload", "--store", str(store_dir), "--format", "csv"])
        wall_c, _, _ = run([*GAZETTEKG, "query", "workload", "--lang", "cypher", "--store", str(store_dir),
                            "--format", "csv"])
        latencies[checkpoint]["(whole `query workload` process, s)"] = (wall * 1000, wall_c * 1000, 0)

    print("\n## Named queries (median of 5, ms): SPARQL / Cypher (rows)\n")
    print("| query | " + " | ".join(f"{c} issues" for c in latencies) + " |")
    print("|---|" + "---|" * len(latencies))
    names = next(iter(latencies.values())).keys() if latencies else []
    for name in names:
        cells = []
        for c in latencies:
            s_ms, c_ms, rows = latencies[c][name]
            cells.append(f"{s_ms:.0f} / {'-' if c_ms is None else f'{c_ms:.0f}'}" + (f" ({rows})" if rows else ""))
        print(f"| {name} | " + " | ".join(cells) + " |")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
