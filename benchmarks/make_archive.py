"""A synthetic gazette archive: N issues made by recombining real documents, deterministic by seed.

    python benchmarks/make_archive.py OUT_DIR --issues 1000 [--seed 7]

Each issue is a text file headed ``XX市人民政府公报 YYYY年第N期`` holding two to four documents
taken from the sample issue and the development set (corpus/, tests/data/eval/dev/raw/), each
changed so that the archive is not the same few documents over and over: its 发文字号 gets
another year and serial number, every year it names is shifted by the same amount (a plan's
period and its deadlines move together), the host city's name is replaced by another city's, and
the numbers its goals commit to are scaled. The text keeps the documents' real shape — headings,
responsibility clauses, tables — so scale is measured on gazette-shaped text. The same seed gives
the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "eval" / "dev" / "raw"
SOURCES = [ROOT / "corpus" / "gazette-2022-01.txt", *sorted(DEV.glob("*.txt"))]
CITIES = ["成都", "西安", "武汉", "长沙", "昆明", "贵阳", "南宁", "兰州", "太原", "合肥", "南昌", "福州", "济南",
          "石家庄", "沈阳", "长春", "哈尔滨", "呼和浩特", "银川", "西宁", "海口", "拉萨", "乌鲁木齐", "杭州"]
HOSTS = ["重庆", "郑州", "宁波"]  # the cities the pool's documents are issued by
NUMBER = re.compile(r"([〔\[［(（])(\d{4})([〕\]］)）])\s*(\d{1,4})\s*号")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年|—|-|－)")
GOAL = re.compile(r"((?:达到|不低于|不少于|超过|提高到|提升至|达)\s*)(\d+(?:\.\d+)?)(?=\s*(?:%|万|个|家|所|人|亿))")


def documents_of(path: Path) -> list[str]:
    """The documents of one pool file as text, cut where the extractor says each begins and ends."""
    from gazettekg.extract.pipeline import extract_file

    x = extract_file(path, ocr="never")
    text = x.source.text
    return [text[d.start:d.end].strip() for d in x.documents if d.end - d.start > 200]


def vary(text: str, rng: random.Random, shift: int, city: str, serial: int) -> str:
    """One document changed: its 发文字号 (serial numbers unique in the archive), years, host city
    and goal numbers."""
    text = NUMBER.sub(lambda m: f"{m[1]}{int(m[2]) + shift}{m[3]}{serial}号", text)
    text = YEAR.sub(lambda m: str(int(m[1]) + shift), text)
    for host in HOSTS:
        text = text.replace(host, city)
    factor = rng.choice([0.8, 0.9, 1.1, 1.2, 1.5])

    def scaled(m: re.Match) -> str:
        value = float(m[2]) * factor
        return m[1] + (f"{value:.1f}" if "." in m[2] else str(max(1, round(value))))

    return GOAL.sub(scaled, text)


def make_archive(out: Path, issues: int, seed: int = 7) -> list[Path]:
    """Write ``issues`` issue files into ``out``; returns their paths."""
    rng = random.Random(seed)
    pool = [doc for path in SOURCES for doc in documents_of(path)]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(issues):
        city = rng.choice(CITIES)
        shift = rng.randint(-6, 4)
        year = 2022 + shift
        picked = rng.sample(pool, rng.randint(2, 4))
        # One issue number per file: two files naming the same issue are two sources of one issue
        # (see tests/test_batch.py's xfail on that case), not what an archive of issues is.
        header = f"{city}市人民政府公报 {year}年第{i + 1}期"
        body = "\n\n".join(vary(doc, rng, shift, city, 4 * i + j + 1) for j, doc in enumerate(picked))
        path = out / f"issue-{i:06d}.txt"
        path.write_text(f"{header}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--issues", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = make_archive(args.out, args.issues, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} issues, {size / 2**20:.1f} MB -> {args.out}")


if __name__ == "__main__":
    main()
