"""The sample issue as a scan: OCR time and the scorer's figures against the sample gold.

    python benchmarks/eval_ocr.py [--dpi 200] [--pages 31-36]

Renders corpus/gazette-2022-01.pdf to page pictures (corpus/scan.py: an image-only PDF, no text
layer), extracts it with ``--ocr auto`` and prints pages/s and the scorer's assignments, lead,
document, deadline and target figures (the same as for the text in benchmarks/eval_extraction.py).
Needs the ocr extra. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    from gazettekg.corpus.scan import scan_pdf
    from gazettekg.extract.jsonl import write_jsonl
    from gazettekg.extract.pipeline import extract_file

    spec = importlib.util.spec_from_file_location("eval_extraction", ROOT / "benchmarks" / "eval_extraction.py")
    evaluation = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = evaluation
    spec.loader.exec_module(evaluation)

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--pages", help="1-based, inclusive (default: every page)")
    args = parser.parse_args(argv)
    pages = None
    if args.pages:
        first, _, last = args.pages.partition("-")
        pages = list(range(int(first) - 1, int(last or first)))
    sample = evaluation.eval_sets()["sample"]
    with tempfile.TemporaryDirectory() as tmp:
        scan = Path(tmp) / "scan.pdf"
        count = scan_pdf(ROOT / "corpus" / "gazette-2022-01.pdf", scan, args.dpi, pages)
        start = time.perf_counter()
        extraction = extract_file(scan, ocr="auto")
        seconds = time.perf_counter() - start
        write_jsonl([extraction], Path(tmp) / "out")
        report = evaluation.score(sample, Path(tmp) / "out")
    print(f"scan: {count} pages at {args.dpi} dpi, extracted with OCR in {seconds:.1f} s "
          f"({count / seconds:.2f} pages/s)")
    evaluation.print_table("sample as a scan", report, [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
