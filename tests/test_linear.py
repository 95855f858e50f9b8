"""Inputs that used to take quadratic time: long text without a sentence stop, deep brackets.

Not timed (benchmarks/bench_linear.py prints seconds per MB at doubling sizes): a pattern that
is quadratic on such input would take minutes here and never finish the run.
"""

from __future__ import annotations

import re
from pathlib import Path

from gazettekg.extract.pipeline import extract_pages
from gazettekg.records import Page

SAMPLE_TEXT = (Path(__file__).resolve().parent.parent / "corpus" / "gazette-2022-01.txt").read_text(encoding="utf-8")


def test_a_megabyte_line_without_stops_extracts():
    base = re.sub(r"[。；\n]", "，", SAMPLE_TEXT)
    text = (base * (1_000_000 // len(base) + 1))[:1_000_000]
    x = extract_pages([Page(1, text)], "stopless.txt", "test")
    assert x.documents


def test_ten_thousand_nested_brackets_extract():
    nested = "（" * 10_000 + "责任单位：市财政局" + "）" * 10_000
    text = f"关于加强管理的通知\n测政发〔2022〕1号\n各单位：\n{nested}\n"
    x = extract_pages([Page(1, text)], "nested.txt", "test")
    assert [d.doc_id for d in x.documents] == ["测政发〔2022〕1号"]
