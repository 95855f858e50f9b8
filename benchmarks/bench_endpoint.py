"""Benchmark the SPARQL endpoint's safety machinery on the ingested sample.

Prints: the per-query overhead of running queries in worker processes (against the same
server running them in its request thread), the time a worker takes to start, the
pre-parse check on a 64 KB query, the time from a query's limit to its 503 and to its
worker being gone, and the latency of a second client while a runaway query runs.

    .venv/bin/python benchmarks/bench_endpoint.py [--store DIR] [--repeat 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from gazettekg import queries
from gazettekg.graph.endpoint import Limits, QueryPool, check_query, endpoint_url, make_server

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "gazette-2022-01.txt"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
QUERIES = {
    "ASK": "ASK { ?s ?p ?o }",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "leads": queries.load("leads", "sparql"),
    "1000 rows": "SELECT * WHERE { ?s ?p ?o } LIMIT 1000",
}


def _get(url: str, query: str) -> tuple[int, bytes]:
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _serve(source, **options):
    server = make_server(source, "127.0.0.1", 0, quiet=True, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _medians_ms(urls: list[str], query: str, repeat: int) -> list[float]:
    """Median latency per URL, the URLs taking turns (so load from elsewhere hits both alike)."""
    times: list[list[float]] = [[] for _ in urls]
    for url in urls:
        _get(url, query)
        _get(url, query)
    for _ in range(repeat):
        for index, url in enumerate(urls):
            started = time.perf_counter()
            status, _ = _get(url, query)
            times[index].append(time.perf_counter() - started)
            assert status == 200, status
    return [statistics.median(t) * 1000 for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=None, help="an ingested store (default: ingest the sample)")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    store = args.store
    if store is None:
        store = Path(tempfile.mkdtemp()) / "store"
        subprocess.run([sys.executable, "-m", "gazettekg.cli", "ingest", str(SAMPLE), "--store", str(store)],
                       check=True, capture_output=True)
    triples = len(ox.Store.read_only(str(store / "oxigraph")))
    print(f"store: {store} ({triples} quads)")

    limits = Limits(max_rows=10_000_000, timeout=60)
    pooled = _serve(store, limits=limits, workers=2)
    inline = _serve(ox.Store.read_only(str(store / "oxigraph")), limits=limits)
    print(f"\nper-query latency over HTTP, median of {args.repeat} (ms):")
    print(f"  {'query':<10} {'in-thread':>10} {'worker process':>15} {'overhead':>9}")
    for name, query in QUERIES.items():
        a, b = _medians_ms([endpoint_url(inline), endpoint_url(pooled)], query, args.repeat)
        print(f"  {name:<10} {a:10.2f} {b:15.2f} {b - a:9.2f}")

    started = time.perf_counter()
    pool = QueryPool(store, Limits(), 1)
    pool._idle.queue[0].wait_ready()
    print(f"\nworker start (spawn, import, open the store read-only): {time.perf_counter() - started:.2f} s")
    pool.close()

    long_query = "SELECT * WHERE { " + "{ ?s ?p 'x' } UNION " * 2900 + "{ ?s ?p ?o } }"
    started = time.perf_counter()
    for _ in range(20):
        check_query(long_query[: 64 * 1024 - 10], Limits(max_depth=1000))
    print(f"pre-parse check of a {len(long_query[: 64 * 1024 - 10]) // 1024} KB query: "
          f"{(time.perf_counter() - started) / 20 * 1000:.1f} ms", end="; ")
    started = time.perf_counter()
    for _ in range(200):
        check_query(QUERIES["leads"])
    print(f"of the leads query ({len(QUERIES['leads'])} characters): "
          f"{(time.perf_counter() - started) / 200 * 1000:.2f} ms")

    limited = _serve(store, limits=Limits(timeout=1.0), workers=2)
    url = endpoint_url(limited)
    _get(url, "ASK {}")
    _get(url, "ASK {}")
    before = set(limited.pool.pids())
    result: dict[str, float] = {}

    def runaway() -> None:
        started = time.perf_counter()
        status, _ = _get(url, CARTESIAN)
        result["answered"] = time.perf_counter() - started
        result["status"] = status

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    seconds = []
    while thread.is_alive() and len(seconds) < 5:
        started = time.perf_counter()
        _get(url, QUERIES["count"])
        seconds.append(time.perf_counter() - started)
    thread.join()
    gone = before - set(limited.pool.pids())
    alive = []
    for pid in gone:
        try:
            os.kill(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            pass
    print(f"\ncartesian query with --timeout 1: answered {int(result['status'])} after {result['answered']:.2f} s; "
          f"killing and reaping its worker took {limited.pool.last_stop_seconds * 1000:.0f} ms; "
          f"workers still alive after: {alive or 'none'}")
    print(f"a second client meanwhile: {', '.join(f'{s * 1000:.0f}' for s in seconds)} ms")
    for server in (pooled, inline, limited):
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
