"""Documents -> heading trees, after GB/T 9704 numbering.

Levels, outermost first: 附件N (annex), 第X章/第X部分/第X篇 (part), 一、 (chapter), （一） (section),
1． (item), （1） (subitem); 第X条 (article) sits under 第X章 or the document; 专栏N
(box) nests under whatever is open. A heading is recognised only at the start
of a paragraph. Its title is the heading text without the number, cut at the
first sentence stop when the heading runs on into its body (1．加强教育。进一步…).
"""

from __future__ import annotations

import re

from gazettekg.extract.documents import ANNEX_HEAD, Paragraph, attachment_list_span, compact, paragraphs
from gazettekg.records import Document, Section, SourceText

CN_NUM = "一二三四五六七八九十百零〇"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("annex", re.compile(r"^附件\s*(?P<n>\d*)\s*$")),
    # Plans group their chapters in parts: 第一章, 第一部分：发展基础, 第一篇.
    ("part", re.compile(rf"^第(?P<n>[{CN_NUM}]+)(?P<word>章|部分|篇|编)[\s：:]*")),
    ("article", re.compile(rf"^第(?P<n>[{CN_NUM}]+)条\s*")),
    ("box", re.compile(r"^专栏\s*(?P<n>\d+)\s*")),
    ("chapter", re.compile(rf"^(?P<n>[{CN_NUM}]+)、\s*")),
    ("section", re.compile(rf"^[（(](?P<n>[{CN_NUM}]+)[）)]\s*")),
    ("item", re.compile(r"^(?P<n>\d{1,3})\s*(?:[．、﹒]|\.(?!\d))\s*")),
    ("subitem", re.compile(r"^[（(](?P<n>\d{1,3})[）)]\s*")),
]
RANK = {"annex": 0, "part": 1, "chapter": 2, "article": 2, "section": 3, "item": 4, "subitem": 5, "box": 6}
TITLE_STOP = re.compile(r"[。；！？]|[：:]\s*$")


def _label(level: str, n: str, word: str = "章") -> str:
    return {
        "annex": f"附件{n}", "part": f"第{n}{word}", "article": f"第{n}条", "box": f"专栏{n}",
        "chapter": n, "section": f"（{n}）", "item": n, "subitem": f"（{n}）",
    }[level]


def match_heading(text: str) -> tuple[str, str, int] | None:
    """(level, label, length of the number prefix) when the paragraph opens with a heading number."""
    for level, pattern in PATTERNS:
        m = pattern.match(text)
        if m:
            return level, _label(level, m["n"], m.groupdict().get("word") or "章"), m.end()
    return None


def heading_title(text: str) -> tuple[int, int]:
    """The span of the title inside a heading paragraph (without number): up to the first stop."""
    m = TITLE_STOP.search(text)
    end = m.start() if m else len(text)
    return 0, end


def _number_value(label: str) -> int:
    digits = re.sub(r"\D", "", label)
    if digits:
        return int(digits)
    core = re.sub(r"[（）第条章篇编、]|部分", "", label)
    values = {c: i for i, c in enumerate("零一二三四五六七八九", 0)}
    if "十" in core:
        tens, _, ones = core.partition("十")
        return values.get(tens, 1) * 10 + values.get(ones, 0)
    return values.get(core, 0)


def build_sections(source: SourceText, doc: Document) -> list[Section]:
    """The heading tree of a document's body (and its annexes)."""
    pars = paragraphs(source, doc.body_start, doc.end)
    skip: set[int] = set()
    listed = attachment_list_span(pars)
    if listed:
        skip.update(range(listed[0], listed[1]))
    roots: list[Section] = []
    stack: list[Section] = []
    for i, par in enumerate(pars):
        if i in skip:
            continue
        found = match_heading(par.text)
        if found is None:
            continue
        level, label, prefix = found
        if level == "annex" and not ANNEX_HEAD.match(compact(par.text)):
            continue
        rank = RANK[level]
        while stack and ((RANK[stack[-1].level] >= rank and stack[-1].level != "box") or
                         (stack[-1].level == "box" and level != "item" and level != "subitem")):
            stack.pop()
        title_start = par.start + prefix
        if level == "annex":
            title_start, title_end = _annex_title(pars, i)
        else:
            _, cut = heading_title(par.text[prefix:])
            title_end = title_start + cut
        section = Section(path=label, label=label, level=level, title=source.text[title_start:title_end].strip(),
                          start=par.start, end=doc.end, title_start=title_start, title_end=title_end)
        if stack:
            stack[-1].children.append(section)
        else:
            roots.append(section)
        stack.append(section)
    _close_spans(roots, doc.end)
    _assign_paths(roots, "")
    return roots


def _annex_title(pars: list[Paragraph], i: int) -> tuple[int, int]:
    """An annex's title: the short lines after "附件N" (a title may wrap over up to three lines)."""
    j = i + 1
    start = pars[j].start if j < len(pars) else pars[i].end
    end = start
    while j < len(pars) and j <= i + 3 and len(pars[j].text) <= 40 and not match_heading(pars[j].text) \
            and not pars[j].text.endswith(("。", "；")):
        end = pars[j].end
        j += 1
    return start, end


def _close_spans(nodes: list[Section], end: int) -> None:
    for k, node in enumerate(nodes):
        node.end = nodes[k + 1].start - 1 if k + 1 < len(nodes) else end
        _close_spans(node.children, node.end)


def _assign_paths(nodes: list[Section], parent: str) -> None:
    """Paths nest labels ("三.（一）.1"), except where numbering runs on across parents.

    Some documents number their （一）…（三十） continuously through the chapters;
    such a label is unique in the document and its path omits the chapter.
    """
    by_level: dict[str, list[list[Section]]] = {}
    _collect_siblings(nodes, by_level)
    continuous = {level for level, groups in by_level.items()
                  if any(g and _number_value(g[0].label) > 1 for g in groups[1:])}
    _set_paths(nodes, parent, continuous)


def _collect_siblings(nodes: list[Section], by_level: dict[str, list[list[Section]]]) -> None:
    groups: dict[str, list[Section]] = {}
    for node in nodes:
        groups.setdefault(node.level, []).append(node)
        _collect_siblings(node.children, by_level)
    for level, group in groups.items():
        by_level.setdefault(level, []).append(group)


def _set_paths(nodes: list[Section], parent: str, continuous: set[str]) -> None:
    for node in nodes:
        if node.level == "annex" or not parent or (node.level in continuous and not parent.startswith("附件")):
            node.path = node.label if not parent.startswith("附件") else f"{parent}.{node.label}"
        else:
            node.path = f"{parent}.{node.label}"
        _set_paths(node.children, node.path, continuous)
