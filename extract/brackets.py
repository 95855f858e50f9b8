"""Brackets in Chinese text: the spans they enclose, and splitting outside them.

Lists of units nest brackets (各区县（自治县）政府, 市委改革办〔市营商环境建设局〕, 各区〔县、市〕政府),
so every split on 、，； happens outside brackets, at any depth.
"""

from __future__ import annotations

import re

OPEN, CLOSE = "（(〔[【［", "）)〕]】］"
# The characters the loops below act on: every other character only goes along.
_SPAN_MARKS = re.compile("[" + re.escape(OPEN + CLOSE + "\n") + "]")
_SPLIT_MARKS: dict[str, re.Pattern[str]] = {}


def bracketed_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Top-level bracketed spans in text[start:end] (nested brackets kept inside), as offsets."""
    end = len(text) if end is None else end
    spans, depth, opened = [], 0, 0
    if start < 0 or end > len(text):
        return _bracketed_spans_stepwise(text, start, end)
    for m in _SPAN_MARKS.finditer(text, start, max(start, end)):
        i, ch = m.start(), m.group()
        if ch in OPEN:
            if depth == 0:
                opened = i
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, i + 1))
        elif ch == "\n":
            depth = 0
    return spans


def _bracketed_spans_stepwise(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, depth, opened = [], 0, 0
    for i in range(start, end):
        ch = text[i]
        if ch in OPEN:
            if depth == 0:
                opened = i
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, i + 1))
        elif ch == "\n":
            depth = 0
    return spans


def split_top_level(text: str, separators: str) -> list[str]:
    """``text`` cut at separators outside brackets; pieces stripped, empty ones dropped."""
    marks = _SPLIT_MARKS.get(separators)
    if marks is None:
        marks = _SPLIT_MARKS[separators] = re.compile("[" + re.escape(OPEN + CLOSE + separators) + "]")
    parts, depth, lo = [], 0, 0
    for m in marks.finditer(text):
        ch = m.group()
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        if depth == 0 and ch in separators:
            parts.append(text[lo:m.start()])
            lo = m.end()
    parts.append(text[lo:])
    return [p.strip(" \t") for p in parts if p.strip(" \t")]
