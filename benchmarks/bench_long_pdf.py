"""Long PDFs: pages/s and peak memory of reading and of the whole extraction, as the page count grows.

    python benchmarks/bench_long_pdf.py [--pages 100,300,1000] [--repeat 2]

Builds PDFs of N pages by repeating the sample issue's pages (corpus/gazette-2022-01.pdf, text
layer, one running header a page) with pypdfium2, and measures each in a fresh process, so that
peak memory (ru_maxrss) belongs to that run alone: ``read_pages`` (the input edge) and
``extract_file`` (pages -> facts). Then the two real table PDFs of the development set (92 and
342 pages) when ``../shared/eval/dev-pdf`` is there. Bounded memory means the peak grows far
slower than the page count: pages are read one at a time and only their text lines are kept.
Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PDF = ROOT / "corpus" / "gazette-2022-01.pdf"
DEV_PDF = ROOT.parent / "shared" / "eval" / "dev-pdf"
REAL = ["07_shenzhen-2016-land-use-annual-plan.pdf", "08_shenzhen-2016-petition-channel-lists-vol2.pdf"]

CHILD = """
import json, resource, sys, time
from pathlib import Path
from gazettekg.extract.pages import read_pages
from gazettekg.extract.pipeline import extract_file
path, stage = Path(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
if stage == "read":
    pages = read_pages(path, ocr="never")
    n, facts = len(pages), sum(len(p.text) for p in pages)
else:
    x = extract_file(path, ocr="never", max_chars=10**8)
    n, facts = len(x.documents), len(x.assignments)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "n": n, "facts": facts,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_long_pdf(pages: int, out: Path) -> Path:
    """A PDF of ``pages`` pages: the sample issue's pages over and over."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(SAMPLE_PDF)
    per = len(source)
    document = pdfium.PdfDocument.new()
    while len(document) < pages:
        take = min(per, pages - len(document))
        document.import_pages(source, list(range(take)))
    document.save(out)
    return out


def measure(path: Path, stage: str, repeat: int) -> dict:
    """The best of ``repeat`` runs in fresh processes (time), with the largest peak memory seen."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", CHILD, str(path), stage], capture_output=True, text=True,
                              env={**os.environ, "PYTHONWARNINGS": "ignore"})
        if done.returncode:
            raise SystemExit(f"{path.name} ({stage}) failed:\n{done.stderr[-2000:]}")
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    return {**best, "peak_mb": max(r["peak_mb"] for r in runs)}


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", default="100,300,1000", help="page counts of the generated PDFs")
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement (the fastest is kept)")
    args = parser.parse_args()
    inputs: list[tuple[str, Path]] = []
    with tempfile.TemporaryDirectory() as folder:
        for n in (int(x) for x in args.pages.split(",")):
            inputs.append((f"sample × {n} pages", make_long_pdf(n, Path(folder) / f"long-{n}.pdf")))
        inputs += [(name[:2] + " " + name[3:30], DEV_PDF / name) for name in REAL if (DEV_PDF / name).exists()]
        print("| input | pages | MB | read s | read pages/s | read peak MB | extract s | pages/s | peak MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for label, path in inputs:
            pages = page_count(path)
            read = measure(path, "read", args.repeat)
            whole = measure(path, "extract", args.repeat)
            print(f"| {label} | {pages} | {path.stat().st_size / 2**20:.1f} | {read['seconds']:.2f} | "
                  f"{pages / read['seconds']:.0f} | {read['peak_mb']:.0f} | {whole['seconds']:.2f} | "
                  f"{pages / whole['seconds']:.0f} | {whole['peak_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
