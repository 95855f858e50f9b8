"""Plain-text tables whose columns line up with Chinese text (CJK is two cells wide)."""

from __future__ import annotations

from collections.abc import Sequence

from wcwidth import wcswidth


def cell_width(text: str) -> int:
    width = wcswidth(text)
    return width if width >= 0 else len(text)


def render_table(columns: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 60) -> str:
    """A table with a header rule; long cells are cut to ``max_width`` display cells with "…"."""

    def show(value: object) -> str:
        text = "" if value is None else str(value).replace("\n", " ")
        if cell_width(text) <= max_width:
            return text
        out, width = "", 0
        for ch in text:
            if width + cell_width(ch) > max_width - 1:
                break
            out += ch
            width += cell_width(ch)
        return out + "…"

    body = [[show(v) for v in row] for row in rows]
    head = [show(c) for c in columns]
    widths = [max([cell_width(head[i])] + [cell_width(r[i]) for r in body]) for i in range(len(head))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (widths[i] - cell_width(c)) for i, c in enumerate(cells)).rstrip()

    return "\n".join([line(head), line(["─" * w for w in widths]), *(line(r) for r in body)])
