"""Extraction quality on every set with hand-made gold: the scorer's --by-doc table, set by set.

    python benchmarks/eval_extraction.py                 # every set
    python benchmarks/eval_extraction.py sample dev      # some of them
    python benchmarks/eval_extraction.py --layouts dev   # and every layout variant of each document

Sets live in tests/data/eval/ (the sample's gold, the development set and the real PDFs from
../shared/eval, and further real documents annotated for this project: prov, central, tables, and targets2, six
plans annotated for their goals alone by someone who never saw the goal reader);
../shared/eval/ is used instead when it sits beside the checkout. Scores come from the team's own
scorer (score.py), run on the JSON Lines that `gazettekg extract` writes.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "eval"
SHARED = ROOT.parent / "shared" / "eval"


@dataclass(frozen=True)
class EvalSet:
    name: str
    inputs: list[Path]
    gold: Path


def eval_sets() -> dict[str, EvalSet]:
    """The sets with gold, by name: sample, dev, dev-pdf, prov, central, tables, targets2 (goals only)."""
    sets = {}
    sample = ROOT / "corpus" / "gazette-2022-01.txt"
    sets["sample"] = EvalSet("sample", [sample], SHARED / "gold" if (SHARED / "gold").is_dir() else DATA / "sample")
    for name in ("dev", "dev-pdf", "prov", "central", "tables", "targets2"):
        shared = SHARED / name
        folder = shared if name in ("dev", "dev-pdf") and (shared / "gold").is_dir() else DATA / name
        raw = folder / "raw" if (folder / "raw").is_dir() else folder
        gold_docs = {json.loads(line)["doc"] for line in (folder / "gold" / "documents.jsonl").read_text(
            encoding="utf-8").splitlines() if line.strip()}
        inputs = sorted(p for p in raw.iterdir() if p.suffix in (".txt", ".md", ".pdf"))
        if name == "dev-pdf":  # gold covers three of the eight PDFs
            inputs = [p for p in inputs if p.name[:2] in ("01", "03", "04")]
        assert gold_docs, name
        sets[name] = EvalSet(name, inputs, folder / "gold")
    return sets


def scorer():
    path = SHARED / "score.py" if (SHARED / "score.py").exists() else DATA / "score.py"
    spec = importlib.util.spec_from_file_location("gazettekg_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract_to(inputs: list[Path], out: Path) -> list[str]:
    """Extract the inputs into JSON Lines in ``out``; returns the errors (one line each)."""
    from gazettekg.extract.errors import InputError
    from gazettekg.extract.jsonl import write_jsonl
    from gazettekg.extract.pipeline import extract_file

    done, errors = [], []
    for path in inputs:
        try:
            done.append(extract_file(path))
        except InputError as error:
            errors.append(str(error))
    write_jsonl(done, out)
    return errors


def score(eval_set: EvalSet, pred: Path) -> dict:
    """The scorer's report for one set, with one summary per gold document under "by_doc"."""
    s = scorer()
    aliases = s.load_aliases(eval_set.gold)
    report = s.score_all(eval_set.gold, pred, aliases)
    docs = [g["doc"] for g in s.load_jsonl(eval_set.gold / "documents.jsonl")]
    report["by_doc"] = {d: s.summary(s.score_all(eval_set.gold, pred, aliases, only=d)) for d in docs}
    local_targets = DATA / eval_set.name / "gold" / "targets.jsonl"
    if "targets" not in report and local_targets.exists():
        # The shared gold has no goals for this set; this project's annotation of them is scored.
        gold, predicted = s.load_jsonl(local_targets), s.load_jsonl(pred / "targets.jsonl")
        report["targets"] = s.score_targets(gold, predicted)
        for d, summary in report["by_doc"].items():
            only = [g for g in gold if g["doc"] == d]
            if only:
                summary["targets_f1"] = s.score_targets(
                    only, [p for p in predicted if s.same_doc(p.get("doc", ""), d)])["f1"]
    return report


def headline(report: dict) -> dict:
    a = report.get("assignments", {})
    return {
        "doc_fields": report.get("documents", {}).get("field_accuracy"),
        "tasks": f"{a.get('tasks_matched', 0)}/{a.get('tasks_gold', 0)}" if a else "-",
        "pairs_f1": a.get("pairs", {}).get("f1") if a else None,
        "precision": a.get("pairs", {}).get("precision") if a else None,
        "recall": a.get("pairs", {}).get("recall") if a else None,
        "lead_acc": a.get("lead_accuracy") if a else None,
        "deadlines_f1": report.get("deadlines", {}).get("f1"),
        "targets_f1": report.get("targets", {}).get("f1"),
    }


def evaluate(eval_set: EvalSet, inputs: list[Path] | None = None) -> tuple[dict, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        errors = extract_to(inputs or eval_set.inputs, Path(tmp))
        return score(eval_set, Path(tmp)), errors


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


COLUMNS = ("doc_fields", "tasks", "pairs_f1", "precision", "recall", "lead_acc", "deadlines_f1", "targets_f1")


def print_table(title: str, report: dict, errors: list[str]) -> None:
    print(f"\n## {title}")
    print(f"| document | {' | '.join(COLUMNS)} |")
    print("|---|" + "---|" * len(COLUMNS))
    for doc, summary in report["by_doc"].items():
        row = {"doc_fields": summary.get("doc_fields"), "tasks": summary.get("tasks"),
               "pairs_f1": summary.get("pairs_f1"), "lead_acc": summary.get("lead_acc"),
               "deadlines_f1": summary.get("deadlines_f1"), "targets_f1": summary.get("targets_f1")}
        print(f"| {doc} | " + " | ".join(_fmt(row.get(c)) for c in COLUMNS) + " |")
    total = headline(report)
    print("| **all** | " + " | ".join(f"**{_fmt(total[c])}**" for c in COLUMNS) + " |")
    for error in errors:
        print(f"error: {error}")


def layout_variants(eval_set: EvalSet, folder: Path) -> dict[str, list[Path]]:
    """Every text and PDF layout (corpus.layouts) of each input's clean text."""
    from gazettekg.corpus.layouts import write_format_variants, write_pdf_variants, write_text_variants
    from gazettekg.extract.cleantext import clean_pages
    from gazettekg.extract.pages import read_pages

    variants: dict[str, list[Path]] = {}
    for path in eval_set.inputs:
        source = clean_pages(read_pages(path), path.name)
        text = "\n".join(f"{k}：{v}" for k, v in _metadata_lines(source.metadata)) + "\n" + source.text
        written = {**write_text_variants(text, folder, path.stem), **write_pdf_variants(text, folder, path.stem),
                   **write_format_variants(text, folder, path.stem)}
        for name, variant in written.items():
            variants.setdefault(name, []).append(variant)
    return variants


def _metadata_lines(metadata: dict[str, str]) -> list[tuple[str, str]]:
    keys = {"number": "发文字号", "title": "标题", "issuer": "发文机关", "date": "成文日期"}
    return [(keys[k], v) for k, v in metadata.items() if k in keys]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help="set names (default: all)")
    parser.add_argument("--layouts", action="store_true", help="also score every layout variant")
    parser.add_argument("--json", action="store_true", help="one JSON object per set on stdout")
    args = parser.parse_args(argv)
    sets = eval_sets()
    chosen = args.sets or list(sets)
    for name in chosen:
        eval_set = sets[name]
        report, errors = evaluate(eval_set)
        if args.json:
            print(json.dumps({"set": name, **headline(report), "by_doc": report["by_doc"]}, ensure_ascii=False))
        else:
            print_table(f"{name} ({len(eval_set.inputs)} inputs, gold {eval_set.gold})", report, errors)
        if args.layouts and not name.endswith("pdf"):
            with tempfile.TemporaryDirectory() as tmp:
                for layout, inputs in layout_variants(eval_set, Path(tmp)).items():
                    variant_report, variant_errors = evaluate(eval_set, inputs)
                    total = headline(variant_report)
                    print(f"  layout {layout:24} " + "  ".join(f"{c} {_fmt(total[c])}" for c in COLUMNS)
                          + (f"  errors {len(variant_errors)}" if variant_errors else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
