"""Benchmark the graph: ingest time and per-query latency in SPARQL (Oxigraph) and Cypher
(FalkorDBLite, when installed), on the sample and on a synthetic corpus.

The synthetic corpus is made in memory from the sample's records: N variants of the
issue, each with its agencies shuffled among the assignments and duties, its dates
shifted, its 发文字号 renumbered and its target values scaled, and each variant's first
document superseding the previous variant's, so cross-issue links exist.

    .venv/bin/python benchmarks/bench_graph.py [--issues 100] [--repeat 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import random
import re
import statistics
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from gazettekg import queries
from gazettekg.graph.ids import agency_key
from gazettekg.graph.sparql import run_named
from gazettekg.graph.store import GraphStore
from gazettekg.records import IssueExtraction

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "gazette-2022-01.txt"
_SERIAL = re.compile(r"(\d+)(\s*号)$")


def _shift(iso: str | None, days: int) -> str | None:
    if not iso:
        return iso
    try:
        return (date.fromisoformat(iso) + timedelta(days=days)).isoformat()
    except ValueError:
        return iso


def _scale(value: str | None, factor: float) -> str | None:
    try:
        return None if value is None else f"{float(value) * factor:g}"
    except ValueError:
        return value


def variant(x: IssueExtraction, index: int, previous: dict[str, str] | None, rng: random.Random):
    """A copy of ``x`` as if it were another issue: returns (extraction, old doc id -> new doc id)."""
    renumber: dict[str, str] = {}
    for doc in x.documents:
        new = _SERIAL.sub(lambda m: f"{int(m.group(1)) + 1000 * index}{m.group(2)}", doc.doc_id)
        renumber[doc.doc_id] = new if new != doc.doc_id else f"{doc.doc_id}（{index}）"
    ids = sorted({a.agency_id for a in x.assignments} | {d.agency_id for d in x.duties})
    shuffled = ids[:]
    rng.shuffle(shuffled)
    agency = dict(zip(ids, shuffled, strict=True))
    days = rng.randrange(0, 1500)
    factor = rng.uniform(0.5, 2.0)

    def prov(p):
        return dataclasses.replace(p, doc_id=renumber.get(p.doc_id, p.doc_id))

    documents = copy.deepcopy(x.documents)
    for doc in documents:
        doc.doc_id = renumber[doc.doc_id]
        doc.number = doc.doc_id if doc.number else None
        doc.date = _shift(doc.date, days)
        doc.supersedes = list(doc.supersedes)
    if previous and documents:
        documents[0].supersedes.append(next(iter(previous.values())))
    result = IssueExtraction(
        source=x.source,
        issue=f"{x.issue}（合成第{index}期）",
        documents=documents,
        agencies=x.agencies,
        assignments=[
            dataclasses.replace(
                a, doc_id=renumber[a.doc_id], agency_id=agency[a.agency_id], provenance=prov(a.provenance)
            )
            for a in x.assignments
        ],
        duties=[
            dataclasses.replace(
                d, doc_id=renumber[d.doc_id], agency_id=agency[d.agency_id], provenance=prov(d.provenance)
            )
            for d in x.duties
        ],
        deadlines=[
            dataclasses.replace(
                d, doc_id=renumber[d.doc_id], start=_shift(d.start, days), end=_shift(d.end, days),
                provenance=prov(d.provenance),
            )
            for d in x.deadlines
        ],
        targets=[
            dataclasses.replace(
                t, doc_id=renumber[t.doc_id], value=_scale(t.value, factor), value_max=_scale(t.value_max, factor),
                target_year=None if t.target_year is None else t.target_year + days // 365,
                provenance=prov(t.provenance),
            )
            for t in x.targets
        ],
        rules=[dataclasses.replace(r, doc_id=renumber[r.doc_id], provenance=prov(r.provenance)) for r in x.rules],
    )  # fmt: skip
    return result, renumber


def query_params(x: IssueExtraction) -> dict[str, dict[str, object]]:
    busiest = Counter(a.agency_id for a in x.assignments).most_common(1)
    agency = agency_key(busiest[0][0]) if busiest else ""
    return {
        "agency_tasks": {"agency": agency},
        "co_agencies": {"agency": agency},
        "due_before": {"date": "2023-01-01"},
        "targets_for_year": {"year": 2025},
    }


def time_queries(store: GraphStore, params: dict[str, dict[str, object]], repeat: int) -> dict[str, dict]:
    out = {}
    for name in queries.names():
        timings, rows = [], 0
        for _ in range(repeat):
            began = time.perf_counter()
            _, result = run_named(store.oxigraph, name, params.get(name, {}))
            timings.append(time.perf_counter() - began)
            rows = len(result)
        out[name] = {"rows": rows, "median_ms": statistics.median(timings) * 1000, "max_ms": max(timings) * 1000}
    return out


def time_cypher(store_dir: Path, params: dict[str, dict[str, object]], repeat: int) -> dict[str, dict]:
    from gazettekg.graph.falkor import run_cypher

    out = {}
    for name in queries.names():
        text = queries.load(name, "cypher")
        timings, rows = [], 0
        for _ in range(repeat):
            began = time.perf_counter()
            _, result = run_cypher(store_dir, text, params.get(name, {}))
            timings.append(time.perf_counter() - began)
            rows = len(result)
        out[name] = {"rows": rows, "median_ms": statistics.median(timings) * 1000, "max_ms": max(timings) * 1000}
    return out


def cypher_load(issues: list[IssueExtraction], params, repeat: int) -> dict:
    """Load issues one by one into a fresh embedded Cypher graph and time the named queries."""
    import tempfile

    from gazettekg.graph import falkor

    with tempfile.TemporaryDirectory() as folder:
        store_dir = Path(folder)
        load_times = []
        for x in issues:
            began = time.perf_counter()
            falkor.sync(store_dir, x)
            load_times.append(time.perf_counter() - began)
        result = {"load_total_s": sum(load_times), "load_mean_s": statistics.mean(load_times),
                  "queries": time_cypher(store_dir, params, repeat)}
        falkor.close(store_dir)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=100, help="synthetic issues to ingest")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median reported)")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    from gazettekg.extract.pipeline import extract_file

    began = time.perf_counter()
    sample = extract_file(SAMPLE)
    extract_s = time.perf_counter() - began
    params = query_params(sample)

    store = GraphStore()
    first = store.ingest(sample)
    again = store.ingest(sample)
    report: dict = {
        "sample": {
            "extract_s": extract_s,
            "ingest_s": first.seconds,
            "reingest_s": again.seconds,
            "triples": len(store),
            "queries": time_queries(store, params, args.repeat),
        }
    }

    rng = random.Random(args.seed)
    corpus = GraphStore()
    previous = None
    ingest_times = []
    variants = []
    for index in range(1, args.issues + 1):
        x, previous = variant(sample, index, previous, rng)
        variants.append(x)
        ingest_times.append(corpus.ingest(x).seconds)
    report["synthetic"] = {
        "issues": args.issues,
        "ingest_total_s": sum(ingest_times),
        "ingest_mean_s": statistics.mean(ingest_times) if ingest_times else 0.0,
        "triples": len(corpus),
        "queries": time_queries(corpus, params, args.repeat),
    }

    from gazettekg.graph import falkor

    if falkor.available():
        report["sample cypher"] = cypher_load([sample], params, args.repeat)
        report["synthetic cypher"] = cypher_load(variants, params, args.repeat)
    else:
        print("(FalkorDBLite not installed: no Cypher figures)")

    for corpus_name, result in report.items():
        summary = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in result.items() if k != "queries"}
        print(f"== {corpus_name}: {summary}")
        for name, q in result["queries"].items():
            print(f"   {name:<18} {q['rows']:>6} rows  median {q['median_ms']:8.2f} ms  max {q['max_ms']:8.2f} ms")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
