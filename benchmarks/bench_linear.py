"""Extraction time against input size on text without sentence stops: it must grow linearly.

    python benchmarks/bench_linear.py [--max-mb 2]

Builds inputs from the sample issue with every 。 and ； removed (so no pattern can rely on a
sentence end to bound its search), in two shapes — wrapped lines, and a single line — at doubling
sizes, and prints seconds and seconds per MB. Linear time shows as a flat seconds-per-MB column.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "gazette-2022-01.txt"


def stopless_text(size: int, one_line: bool) -> str:
    base = re.sub(r"[。；]", "，", SAMPLE.read_text(encoding="utf-8"))
    if one_line:
        base = base.replace("\n", "")
    text = base * (size // len(base.encode("utf-8")) + 1)
    return text.encode("utf-8")[:size].decode("utf-8", errors="ignore")


def main(argv: list[str] | None = None) -> int:
    from gazettekg.extract.pipeline import extract_file

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-mb", type=float, default=2.0)
    args = parser.parse_args(argv)
    sizes = []
    size = 128 * 1024
    while size <= args.max_mb * 1024 * 1024:
        sizes.append(size)
        size *= 2
    print(f"{'shape':10} {'size':>8} {'seconds':>8} {'s/MB':>7} {'assignments':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for one_line in (False, True):
            for size in sizes:
                path = Path(tmp) / f"stopless-{size}-{int(one_line)}.txt"
                path.write_text(stopless_text(size, one_line), encoding="utf-8")
                start = time.perf_counter()
                x = extract_file(path)
                seconds = time.perf_counter() - start
                print(f"{'one line' if one_line else 'wrapped':10} {size / 1024 / 1024:7.2f}M {seconds:8.2f} "
                      f"{seconds / (size / 1024 / 1024):7.2f} {len(x.assignments):11d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
