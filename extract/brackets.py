"""Brackets in Chinese text: the spans they enclose, and splitting outside them.

Lists of units nest brackets (各区县（自治县）政府, 市委改革办〔市营商环境建设局〕, 各区〔县、市〕政府),
so every split on 、，； happens outside brackets, at any depth.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

OPEN, CLOSE = "（(〔[【［", "）)〕]】］"


@functools.cache
def mark_pattern(chars: str) -> re.Pattern[str]:
    """A pattern for the characters a bracket loop acts on: every other one only goes along."""
    return re.compile("[" + re.escape(chars) + "]")


def marks(text: str, start: int, end: int, chars: str) -> Iterator[tuple[int, str]]:
    """(offset, character) of each of ``chars`` in text[start:end], in order: what a loop over
    brackets and separators acts on, found by one pattern instead of a step a character.

    Bounds outside the text (a negative start, an end past it) step through every character, as
    plain indexing does (the other characters change nothing in such a loop)."""
    if start < 0 or end > len(text):
        return ((i, text[i]) for i in range(start, end))
    return ((m.start(), m.group()) for m in mark_pattern(chars).finditer(text, start, max(start, end)))


def bracketed_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Top-level bracketed spans in text[start:end] (nested brackets kept inside), as offsets."""
    end = len(text) if end is None else end
    spans, depth, opened = [], 0, 0
    for i, ch in marks(text, start, end, OPEN + CLOSE + "\n"):
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
    parts, depth, lo = [], 0, 0
    for m in mark_pattern(OPEN + CLOSE + separators).finditer(text):
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
