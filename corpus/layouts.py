"""The same document in other layouts: the variants the layout-invariance tests extract.

A document's paragraphs (its clean text, one paragraph a line) are laid out again the ways real
inputs come: indented with 　　 or with spaces, hard-wrapped at another width, not wrapped at all,
with CRLF line ends, inside web-page furniture, and as PDFs with other margins, type size,
indentation and running header/footer. Extraction must give the same facts for every variant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from wcwidth import wcswidth


def _wrap(paragraph: str, width: int) -> list[str]:
    """Cut a paragraph into lines of ``width`` display cells (CJK = 2), never before a stop."""
    lines: list[str] = []
    current, used = "", 0
    for ch in paragraph:
        w = max(wcswidth(ch), 1)
        if used + w > width and current and ch not in "，。、；：！？”）》】":
            lines.append(current)
            current, used = "", 0
        current += ch
        used += w
    if current:
        lines.append(current)
    return lines


def relayout(paragraphs: Iterable[str], *, width: int | None = None, indent: str = "",
             gap: bool = False, newline: str = "\n") -> str:
    """Paragraphs as text: first lines indented by ``indent``, wrapped at ``width`` characters
    (None: one line a paragraph), an empty line between paragraphs when ``gap``."""
    out: list[str] = []
    for paragraph in paragraphs:
        lines = _wrap(paragraph, width * 2) if width else [paragraph]
        if width and indent:
            # The indent takes room on the first line: wrap that one shorter.
            first_room = width * 2 - wcswidth(indent)
            head = _wrap(paragraph, first_room)[0]
            lines = [head, *_wrap(paragraph[len(head):], width * 2)] if paragraph[len(head):] else [head]
        out.append(indent + lines[0])
        out.extend(lines[1:])
        if gap:
            out.append("")
    return newline.join(out) + newline


WEB_HEADER = [
    "首页 > 政务公开 > 政策文件",
    "【字体：大 中 小】 打印本页 关闭窗口",
    "来源：市政府办公厅",
    "发布时间：2022-01-20 10:30",
]
WEB_FOOTER = ["扫一扫在手机打开当前页", "【打印本页】 【关闭窗口】", "← 上一篇 下一篇 →"]


def with_web_furniture(paragraphs: Iterable[str]) -> str:
    """Paragraphs one a line, between a site's navigation header and its sharing footer."""
    return "\n".join([*WEB_HEADER, *paragraphs, *WEB_FOOTER]) + "\n"


TEXT_LAYOUTS: dict[str, Callable[[list[str]], str]] = {
    "indent-fullwidth-30": lambda p: relayout(p, width=30, indent="\u3000\u3000"),
    "indent-spaces-33": lambda p: relayout(p, width=33, indent="    "),
    "wrap-20": lambda p: relayout(p, width=20),
    "wrap-45-gaps": lambda p: relayout(p, width=45, gap=True),
    "wrap-80-indent": lambda p: relayout(p, width=80, indent="\u3000\u3000"),
    "one-line-crlf": lambda p: relayout(p, newline="\r\n"),
    "one-line-indented-gaps": lambda p: relayout(p, indent="\u3000\u3000", gap=True),
    "web-page": with_web_furniture,
}


def paragraphs_of(clean_text: str) -> list[str]:
    return [line for line in clean_text.split("\n") if line.strip()]


def write_text_variants(clean_text: str, folder: Path, stem: str) -> dict[str, Path]:
    """Every text layout of a document's clean text, written as ``folder/stem.LAYOUT.txt``."""
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = paragraphs_of(clean_text)
    out = {}
    for name, layout in TEXT_LAYOUTS.items():
        path = folder / f"{stem}.{name}.txt"
        path.write_bytes(layout(paragraphs).encode("utf-8"))
        out[name] = path
    return out
