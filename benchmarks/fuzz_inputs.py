"""A thousand and more bad inputs through `gazettekg extract`, with the figures per class.

    python benchmarks/fuzz_inputs.py [--per-class 80] [--keep DIR] [--guard 60]

Generates hostile and unlucky inputs from the sample issue, a development document and the
sample PDF — truncations, byte flips, control characters, other encodings, deep nesting, huge
one-line files, binary junk, damaged PDFs, Word and OFD zips, special files — runs each through
the command line in its own process under a time guard, and prints per class: inputs, outcomes
(ok / one-line error / traceback / hang), slowest run, peak memory and largest output relative to
the input. Inputs ending in a traceback or a hang are copied to --keep (add them to
tests/data/regressions/). Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "corpus" / "gazette-2022-01.txt").read_bytes()
SAMPLE_PDF = (ROOT / "corpus" / "gazette-2022-01.pdf").read_bytes()
DEV = sorted((ROOT / "tests" / "data" / "eval" / "dev" / "raw").glob("*.txt"))


def flips(rng: random.Random, data: bytes, n: int) -> bytes:
    out = bytearray(data)
    for _ in range(n):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def generators(rng: random.Random):
    """(class, file name, bytes or a callable that makes the file) — one per call."""
    text = SAMPLE.decode("utf-8")
    dev = rng.choice(DEV).read_bytes()
    yield "text-truncated", "t.txt", SAMPLE[: rng.randrange(len(SAMPLE))]
    yield "text-byte-flips", "f.txt", flips(rng, rng.choice([SAMPLE, dev]), rng.randrange(1, 50))
    controls = bytearray(dev)
    for _ in range(rng.randrange(1, 40)):
        controls.insert(rng.randrange(len(controls)), rng.choice([0, 7, 8, 11, 27, 127]))
    yield "text-control-chars", "c.txt", bytes(controls)
    encoding = rng.choice(["utf-16", "utf-16-be", "utf-32", "gb18030", "gbk", "big5", "latin-1", "cp1252"])
    yield f"encoding-{encoding}", "e.txt", dev.decode("utf-8").encode(encoding, errors="ignore")
    depth = rng.choice([100, 3_000, 20_000, 100_000])
    yield "nesting", "n.txt", ("渝府发〔2022〕1号\n" + "（" * depth + "市应急局负责" + "）" * depth + "。").encode()
    yield "one-line", "l.txt", text.replace("\n", "").encode() * rng.randrange(1, 6)
    yield "binary-junk", "b.txt", rng.randbytes(rng.randrange(1, 200_000))
    yield "empty-or-blank", "z.txt", rng.choice([b"", b" \n\t\r\n", b"\xef\xbb\xbf", b"\n" * 10_000])
    yield "pdf-byte-flips", "p.pdf", flips(rng, SAMPLE_PDF, rng.randrange(1, 200))
    yield "pdf-truncated", "pt.pdf", SAMPLE_PDF[: rng.randrange(len(SAMPLE_PDF))]
    yield "pdf-junk-after-magic", "pj.pdf", b"%PDF-1.7\n" + rng.randbytes(rng.randrange(10, 50_000)) + b"\n%%EOF"
    yield "zip-damaged", rng.choice(["d.docx", "d.ofd"]), damaged_zip(rng)
    yield "html-junk", "h.html", ("<html><body>" + "<div>" * rng.randrange(1, 20_000) + text[:5000]).encode()


def damaged_zip(rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        name = rng.choice(["word/document.xml", "OFD.xml", "other.xml"])
        archive.writestr(name, "<x>" * rng.randrange(1, 5000))
    return flips(rng, buffer.getvalue(), rng.randrange(0, 20))


def run(path: Path, out: Path, guard: float) -> tuple[str, float, int, int]:
    """(outcome, seconds, peak RSS in KB of this run's process, output bytes)."""
    command = [sys.executable, "-m", "gazettekg.cli", "extract", str(path), "--out", str(out), "--show", "none"]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as stderr:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        while True:  # wait4, not wait: it gives this child's own peak memory
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > guard:
                child.kill()
                os.wait4(child.pid, 0)
                return "hang", time.perf_counter() - start, 0, 0
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        stderr.seek(0)
        err = stderr.read().decode("utf-8", errors="replace")
    code = os.waitstatus_to_exitcode(status)
    size = sum(f.stat().st_size for f in out.glob("*")) if out.exists() else 0
    if "Traceback" in err:
        return "traceback", seconds, usage.ru_maxrss, size
    if code == 0:
        return "ok", seconds, usage.ru_maxrss, size
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    named = bool(errors) and all(str(path) in line for line in errors)
    return ("one-line error" if named else "unnamed error"), seconds, usage.ru_maxrss, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=80)
    parser.add_argument("--keep", type=Path, default=Path("fuzz-failures"))
    parser.add_argument("--guard", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    stats: dict[str, dict] = defaultdict(lambda: {"n": 0, "outcomes": defaultdict(int), "slowest": 0.0,
                                                  "peak": 0, "ratio": 0.0})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        special = {"missing path": folder / "missing.txt", "a folder": folder, "a device": Path("/dev/zero")}
        fifo = folder / "fifo"
        os.mkfifo(fifo)
        special["a FIFO"] = fifo
        cases = []
        for _ in range(args.per_class):
            for kind, name, data in generators(rng):
                cases.append((kind, name, data))
        for k, (kind, name, data) in enumerate(cases):
            path = folder / f"{k:05d}-{name}"
            path.write_bytes(data)
            outcome, seconds, peak, size = run(path, folder / f"out-{k}", args.guard)
            record(stats[kind], outcome, seconds, peak, size / max(1, len(data)))
            if outcome in ("traceback", "hang", "unnamed error"):
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, args.keep / f"{outcome.replace(' ', '-')}-{path.name}")
            path.unlink()
            shutil.rmtree(folder / f"out-{k}", ignore_errors=True)
        for kind, path in special.items():
            outcome, seconds, peak, _ = run(path, folder / "out-special", args.guard)
            record(stats[f"special: {kind}"], outcome, seconds, peak, 0.0)
    print("| class | inputs | ok | one-line error | other | slowest s | peak MB | output/input |")
    print("|---|---|---|---|---|---|---|---|")
    total = defaultdict(int)
    for kind, s in sorted(stats.items()):
        other = {k: v for k, v in s["outcomes"].items() if k not in ("ok", "one-line error")}
        for k, v in s["outcomes"].items():
            total[k] += v
        print(f"| {kind} | {s['n']} | {s['outcomes']['ok']} | {s['outcomes']['one-line error']} | "
              f"{dict(other) or 0} | {s['slowest']:.1f} | {s['peak'] / 1024:.0f} | {s['ratio']:.1f}× |")
    print(f"\n{sum(s['n'] for s in stats.values())} inputs: " + ", ".join(f"{v} {k}" for k, v in sorted(total.items())))
    return 0


def record(s: dict, outcome: str, seconds: float, peak: int, ratio: float) -> None:
    s["n"] += 1
    s["outcomes"][outcome] += 1
    s["slowest"] = max(s["slowest"], seconds)
    s["peak"] = max(s["peak"], peak)
    s["ratio"] = max(s["ratio"], ratio)


if __name__ == "__main__":
    sys.exit(main())
