"""Server time of the web explorer's pages on a synthetic archive (issue 12: an agency page with all
its tasks in < 300 ms on 100 issues).

    .venv/bin/python benchmarks/bench_web.py [--issues 100] [--work DIR] [--repeat 5] [--agencies 5]

Makes the archive with benchmarks/make_archive.py, ingests it with `gazettekg ingest` (both skipped
when DIR already holds them), then requests pages through the ASGI app in-process (Starlette's
TestClient: no network, the app's own time) and prints the ``Server-Timing`` the app reports
(handler + template, until the response headers) — median and worst over ``--repeat`` requests
after one cold request, and the median process CPU time per request (the page's cost on an idle
machine; wall time on a busy one includes waiting for a core) — for the agency pages of the
busiest agencies, and once for a task, a document, an issue, a search and a named query.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _prepare(work: Path, issues: int) -> Path:
    archive, store = work / "archive", work / "store"
    if not archive.is_dir() or len(list(archive.glob("*.txt"))) < issues:
        subprocess.run([PYTHON, str(ROOT / "benchmarks" / "make_archive.py"), str(archive), "--issues", str(issues)],
                       check=True)  # fmt: skip
    if not (store / "manifest.json").exists():
        began = time.perf_counter()
        subprocess.run([PYTHON, "-m", "gazettekg.cli", "ingest", str(archive), "--store", str(store)], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        print(f"ingested {issues} issues in {time.perf_counter() - began:.0f} s")
    return store


CPU: list[float] = []  # process CPU ms of each request (what the page costs on an idle machine)


def _get(client, url: str) -> float:
    """Server time (ms, the app's Server-Timing) of one request; its CPU time goes to CPU."""
    cpu = time.process_time()
    response = client.get(url)
    CPU.append((time.process_time() - cpu) * 1000)
    match = re.search(r"dur=([\d.]+)", response.headers.get("server-timing", ""))
    assert response.status_code == 200, (response.status_code, response.url)
    return float(match.group(1)) if match else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=100)
    parser.add_argument("--work", type=Path, default=Path("/tmp/gazettekg-bench-web"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--agencies", type=int, default=5, help="how many of the busiest agencies to time")
    args = parser.parse_args()
    store = _prepare(args.work, args.issues)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from gazettekg.web import data
    from gazettekg.web.app import create_app

    app = create_app(store)
    view: data.StoreView = app.state.view
    client = TestClient(app)
    triples = len(view.oxigraph)
    print(f"store: {args.issues} issues, {triples:,} quads, {len(data.agencies(view)):,} agencies")
    print(f"{'page':<44} {'rows':>6} {'cold ms':>8} {'median ms':>10} {'max ms':>8} {'cpu ms':>7}")
    worst = worst_cpu = 0.0
    for agency, lead, support in data.workload(view, args.agencies):
        url = f"/agency/{quote(agency.key, safe='')}"
        cold = _get(client, url)
        CPU.clear()
        warm = [_get(client, url) for _ in range(args.repeat)]
        worst, worst_cpu = max(worst, max(warm)), max(worst_cpu, statistics.median(CPU))
        print(f"{'agency ' + agency.key[:30]:<44} {lead + support:>6} {cold:>8.0f} {statistics.median(warm):>10.0f} "
              f"{max(warm):>8.0f} {statistics.median(CPU):>7.0f}")  # fmt: skip
    busiest = data.workload(view, 1)[0][0]
    page = data.agency_page(view, busiest.key)
    task = next((t for t in page.tasks if t.issue), page.tasks[0]) if page and page.tasks else None
    others = [("search 应急局", "/search?q=" + quote("应急局")), ("query leads", "/query?name=leads")]
    if task is not None:
        others = [("task " + task.task[:30], f"/task/{quote(task.task, safe='')}"),
                  ("doc " + task.doc[:30], f"/doc/{quote(task.doc, safe='')}"),
                  *([("issue " + task.issue[:30], f"/issue/{quote(task.issue, safe='')}")] if task.issue else []),
                  *others]  # fmt: skip
    for name, url in others:
        cold = _get(client, url)
        CPU.clear()
        warm = [_get(client, url) for _ in range(max(1, args.repeat // 2))]
        print(f"{name:<44} {'':>6} {cold:>8.0f} {statistics.median(warm):>10.0f} {max(warm):>8.0f} "
              f"{statistics.median(CPU):>7.0f}")  # fmt: skip
    print(f"agency pages: worst warm request {worst:.0f} ms wall, {worst_cpu:.0f} ms CPU (median) — budget 300 ms; "
          f"wall time includes waiting for the CPU on a loaded machine (load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores)")  # fmt: skip


if __name__ == "__main__":
    main()
