"""kill -9 during `gazettekg ingest`: what state the store is left in, and whether the next run repairs it.

Each trial: a fresh store holding an older (shorter) version of the sample; then `ingest` of the
full sample, killed with SIGKILL after a delay spread over the whole run. Recorded right after the
kill: leads rows in SPARQL and in Cypher (old = the older version's count, new = the full one's),
and orphan redis-server processes working in the store. Then `ingest` runs again: does it say
"unchanged" while the two disagree, and do SPARQL and Cypher agree afterwards?

    .venv/bin/python benchmarks/kill9_ingest.py               # 46 trials, 2 at a time
    .venv/bin/python benchmarks/kill9_ingest.py --trials 10 --jobs 2
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "gazette-2022-01.txt"


def gkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gazettekg.cli", *args], capture_output=True, text=True,
                          timeout=300)  # fmt: skip


def leads(store: Path, lang: str) -> int | str:
    done = gkg("query", "leads", "--lang", lang, "--format", "csv", "--store", str(store))
    if done.returncode:
        return "error: " + (done.stderr.strip().splitlines() or ["?"])[-1][:60]
    return len(done.stdout.splitlines()) - 1


def orphans(store: Path) -> int:
    folder = (store / "falkordb").resolve()
    count = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"redis-server" in (entry / "cmdline").read_bytes() and Path(os.readlink(entry / "cwd")) == folder:
                    count += 1
            except OSError:
                pass
    return count


def trial(number: int, delay: float, work: Path, old: int, new: int) -> dict:
    store, source = work / f"s{number}" / "store", work / f"s{number}" / "gazette.txt"
    source.parent.mkdir(parents=True)
    text = SAMPLE.read_text(encoding="utf-8")
    source.write_text(text[: len(text) // 2], encoding="utf-8")
    gkg("ingest", str(source), "--store", str(store))
    source.write_text(text, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "gazettekg.cli", "ingest", str(source), "--store", str(store)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(delay)
    finished = process.poll() is not None
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(0.3)
    stray = orphans(store)
    sparql, cypher = leads(store, "sparql"), leads(store, "cypher")
    name = {old: "old", new: "new"}
    state = f"{name.get(sparql, sparql)}/{name.get(cypher, cypher)}"
    if finished:
        state += " (done before the kill)"
    again = gkg("ingest", str(source), "--store", str(store))
    said = again.stdout.split()[0] if again.returncode == 0 and again.stdout.strip() else "error"
    after = (leads(store, "sparql"), leads(store, "cypher"))
    shutil.rmtree(store.parent, ignore_errors=True)
    return {"trial": number, "kill": delay, "state": state, "orphans": stray, "next ingest": said,
            "agree": after[0] == after[1] == new, "unchanged while wrong": said == "unchanged" and sparql != cypher}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=46)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--longest", type=float, default=0.0,
                        help="the last kill, in seconds after the start (default: 1.1 x a whole ingest)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kill9-") as tmp:
        work = Path(tmp)
        text = SAMPLE.read_text(encoding="utf-8")
        (work / "old.txt").write_text(text[: len(text) // 2], encoding="utf-8")
        gkg("ingest", str(work / "old.txt"), "--store", str(work / "old"))
        gkg("ingest", str(SAMPLE), "--store", str(work / "new"))
        old, new = leads(work / "old", "sparql"), leads(work / "new", "sparql")
        # How long a whole ingest of the new version over the old takes, under the same load.
        def reference(i: int) -> float:
            began = time.perf_counter()
            gkg("ingest", str(SAMPLE), "--store", str(work / f"ref{i}"))
            return time.perf_counter() - began

        with ThreadPoolExecutor(args.jobs) as pool:
            times = sorted(pool.map(reference, range(2 * args.jobs)))  # several, the first ones warm caches
        whole = times[len(times) // 2]
        longest = args.longest or 1.05 * whole
        first = 0.4 * longest  # the write comes last: start where the extraction is well under way
        delays = [round(first + i * (longest - first) / max(args.trials - 1, 1), 2) for i in range(args.trials)]
        print(f"a whole ingest takes {whole:.2f}s here; kills from {first:.2f}s to {longest:.2f}s")
        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(lambda pair: trial(pair[0], pair[1], work, old, new), enumerate(delays, 1)))
    print(f"leads rows: old version {old}, new version {new}; state = SPARQL/Cypher right after the kill")
    print(f"{'trial':>5}  {'kill s':>6}  {'state after kill':<32} {'orphans':>7}  {'next ingest':<11} repaired?")
    for r in results:
        print(f"{r['trial']:>5}  {r['kill']:>6.2f}  {r['state']:<32} {r['orphans']:>7}  {r['next ingest']:<11} "
              f"{'yes' if r['agree'] else 'NO'}")
    states: dict[str, int] = {}
    for r in results:
        key = r["state"].split(" (")[0]
        states[key] = states.get(key, 0) + 1
    print("states after the kill: " + ", ".join(f"{k}: {n}" for k, n in sorted(states.items())))
    print(f"orphan servers: {sum(r['orphans'] for r in results)}; 'unchanged' while SPARQL and Cypher disagreed: "
          f"{sum(r['unchanged while wrong'] for r in results)}; agree after the next ingest: "
          f"{sum(r['agree'] for r in results)} of {len(results)}")


if __name__ == "__main__":
    main()
