"""IssueExtraction -> the JSON Lines exchange files (../shared/eval/FORMAT.md) and richer extras.

Files are written to a temporary folder first and moved into place only when
all are complete, so a failure never leaves half-written output.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from gazettekg.records import IssueExtraction, Provenance

FILES = ("documents", "sections", "agencies", "assignments", "duties", "deadlines", "targets", "rules")


def _prov(p: Provenance) -> dict:
    return {"quote": p.quote, "span_start": p.start, "span_end": p.end, "pages": list(p.pages), "source": p.source}


def rows(extraction: IssueExtraction, kind: str) -> Iterator[dict]:
    """The rows of one exchange file for one extraction."""
    x = extraction
    agencies = x.agencies
    if kind == "documents":
        for d in x.documents:
            yield {"doc": d.doc_id, "notice_title": d.notice_title, "title": d.title, "issuer": d.issuer,
                   "date": d.date, "recipients": d.recipients, "attachments": d.attachments,
                   "supersedes": d.supersedes, "cites": d.cites, "issue": x.issue, "start": d.start, "end": d.end,
                   "pages": x.source.pages(d.start, d.end), "source": x.source.name}
    elif kind == "sections":
        for d in x.documents:
            for s in d.walk():
                yield {"doc": d.doc_id, "path": s.path, "level": s.level, "label": s.label, "title": s.title,
                       "start": s.start, "end": s.end, "pages": x.source.pages(s.start, s.end)}
    elif kind == "agencies":
        for a in sorted(agencies.values(), key=lambda a: a.id):
            yield {"id": a.id, "name": a.name, "short_name": a.short_name, "kind": a.kind,
                   "aliases": list(a.aliases), "parent": a.parent}
    elif kind == "assignments":
        for a in x.assignments:
            yield {"doc": a.doc_id, "task_path": a.task_path, "task_title": a.task_title, "agency": a.surface,
                   "agency_id": a.agency_id, "canonical": agencies[a.agency_id].name if a.agency_id in agencies
                   else a.agency_id, "role": a.role, "lead_basis": a.lead_basis, "rank": a.rank,
                   "basis": a.basis, **_prov(a.provenance)}
    elif kind == "duties":
        for u in x.duties:
            yield {"doc": u.doc_id, "where": u.where, "agency": u.surface, "agency_id": u.agency_id,
                   "role": u.role, "with": list(u.with_agencies), "duty": u.duty, **_prov(u.provenance)}
    elif kind == "deadlines":
        for t in x.deadlines:
            yield {"doc": t.doc_id, "where": t.where, "what": t.what, "expr": t.expr, "kind": t.kind,
                   "start": t.start, "end": t.end, "recurrence": t.recurrence, **_prov(t.provenance)}
    elif kind == "targets":
        for g in x.targets:
            yield {"doc": g.doc_id, "where": g.where, "indicator": g.indicator, "subject": g.subject,
                   "value": g.value, "value_max": g.value_max, "unit": g.unit, "comparator": g.comparator,
                   "baseline": g.baseline, "baseline_year": g.baseline_year, "target_year": g.target_year,
                   "attribute": g.attribute, "hedge": g.hedge, **_prov(g.provenance)}
    elif kind == "rules":
        for r in x.rules:
            yield {"doc": r.doc_id, "where": r.where, "what": r.what, "value": r.value, "unit": r.unit,
                   "comparator": r.comparator, **_prov(r.provenance)}
    else:
        raise ValueError(f"unknown file kind {kind!r}")


def write_jsonl(extractions: Iterable[IssueExtraction], out: Path) -> dict[str, int]:
    """Write every exchange file for the extractions into ``out`` atomically; returns row counts."""
    extractions = list(extractions)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    staging = Path(tempfile.mkdtemp(prefix=".gazettekg-", dir=out))
    try:
        for kind in FILES:
            with open(staging / f"{kind}.jsonl", "w", encoding="utf-8") as fh:
                n = 0
                for x in extractions:
                    for row in rows(x, kind):
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                        n += 1
            counts[kind] = n
        for kind in FILES:
            os.replace(staging / f"{kind}.jsonl", out / f"{kind}.jsonl")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return counts
