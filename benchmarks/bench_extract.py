"""How fast the input edge reads the sample issue, per PDF engine, and the whole pipeline if present.

    python benchmarks/bench_extract.py [--repeat N]

Prints PDF pages/s for each engine on corpus/gazette-2022-01.pdf (best of N runs, so a busy
machine's slow run does not count), then, when ``gazettekg.extract.pipeline.extract_file`` exists,
seconds and documents/s end to end for the sample PDF and .txt. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gazettekg.extract.pages import ENGINES, read_pages

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SAMPLE_PDF = CORPUS / "gazette-2022-01.pdf"
SAMPLE_TXT = CORPUS / "gazette-2022-01.txt"


def best_time(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs in seconds, with the last run's result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best is kept)")
    repeat = parser.parse_args().repeat

    print(f"input edge: read_pages on {SAMPLE_PDF.name}")
    for engine in ENGINES:
        seconds, pages = best_time(lambda engine=engine: read_pages(SAMPLE_PDF, engine=engine), repeat)
        print(f"  {engine:<10} {len(pages):3d} pages  {seconds:7.3f} s  {len(pages) / seconds:8.1f} pages/s")
    seconds, pages = best_time(lambda: read_pages(SAMPLE_TXT), repeat)
    print(f"  {'text':<10} {len(pages):3d} pages  {seconds:7.3f} s  ({SAMPLE_TXT.name})")

    try:
        from gazettekg.extract.pipeline import extract_file
    except ImportError:
        print("end to end: gazettekg.extract.pipeline.extract_file is not available yet")
        return
    print("end to end: extract_file")
    runs: list[tuple[str, Path, dict[str, str]]] = [
        (f"{SAMPLE_PDF.name} [{engine}]", SAMPLE_PDF, {"engine": engine}) for engine in ENGINES
    ]
    runs.append((SAMPLE_TXT.name, SAMPLE_TXT, {}))
    for label, path, options in runs:
        seconds, extraction = best_time(lambda path=path, options=options: extract_file(path, **options), repeat)
        documents = len(extraction.documents)
        rate = documents / seconds
        print(f"  {label:<36} {documents:2d} documents  {seconds:7.3f} s  {rate:7.2f} documents/s")


if __name__ == "__main__":
    main()
