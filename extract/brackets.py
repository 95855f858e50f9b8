"""Brackets in Chinese text: the spans they enclose, and splitting outside them.

Lists of units nest brackets (各区县（自治县）政府, 市委改革办〔市营商环境建设局〕, 各区〔县、市〕政府),
so every split on 、，； happens outside brackets, at any depth.
"""

from __future__ import annotations

OPEN, CLOSE = "（(〔[【［", "）)〕]】］"


def bracketed_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Top-level bracketed spans in text[start:end] (nested brackets kept inside), as offsets."""
    end = len(text) if end is None else end
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
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        if depth == 0 and ch in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip(" \t") for p in parts if p.strip(" \t")]
