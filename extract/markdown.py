"""Markdown as crawlers write it, read as the plain text of the document it holds.

Archives of government pages are often saved as Markdown: a front-matter block (标题 / 文号 /
发布单位 / 发布日期), ``#`` heading marks, ``**emphasis**``, ``>`` quotes, list bullets, links,
and pipe tables. The marks are not part of the text: a heading's title is the text after ``#``,
and a pipe table row becomes a TAB-separated line (the form a table copied from a web page has).
Front matter stays as ``key: value`` lines, which extract.furniture reads as metadata.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(?:-{3,}|\+{3,})\s*$")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# Only bullets: a numbered list item (1. …) keeps its number, which is the document's own numbering.
_BULLET = re.compile(r"^(\s*)[-*+]\s+(?=\S)")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")


def looks_like_markdown(text: str) -> bool:
    """Front matter, a ``#`` heading or a pipe table: the marks of a Markdown file."""
    lines = text.lstrip("\ufeff").splitlines()
    if lines and _FENCE.match(lines[0]) and any(_FENCE.match(line) for line in lines[1:60]):
        return True
    headings = sum(1 for line in lines if _HEADING.match(line))
    rules = sum(1 for line in lines if _PIPE_RULE.match(line) and "|" in line)
    return headings >= 1 or rules >= 1


def _cells(row: str) -> list[str]:
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def _inline(text: str) -> str:
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _HTML_BREAK.sub(" ", text)
    text = _HTML_TAG.sub("", text)
    text = _EMPHASIS.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(3), text)
    return _ESCAPE.sub(r"\1", text)


def markdown_to_text(text: str) -> str:
    """The plain text a Markdown file shows, line for line (blank lines kept)."""
    out: list[str] = []
    lines = text.lstrip("\ufeff").splitlines()
    in_front = bool(lines) and _FENCE.match(lines[0]) is not None
    for k, line in enumerate(lines):
        if in_front:
            out.append(line)
            if k and _FENCE.match(line):
                in_front = False
            continue
        if _PIPE_RULE.match(line) and "|" in line:
            continue
        if _PIPE_ROW.match(line):
            out.append("\t".join(_inline(cell) for cell in _cells(line)))
            continue
        if m := _HEADING.match(line):
            out.append(_inline(m.group(1)))
            continue
        line = _QUOTE.sub("", line)
        line = _BULLET.sub(r"\1", line)
        out.append(_inline(line))
    return "\n".join(out)
