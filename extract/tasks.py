"""Which task a responsibility clause closes, and what that task is called.

A task is the smallest unit that carries its own clause (../shared/eval/FORMAT.md):

- a heading whose own text — its run-in body, or the paragraphs under it before any sub-heading —
  holds exactly one clause is the task, titled by the heading (1．强化智能算力供给。…（…）, or
  一、… with the clause on a line of its own after it);
- under a heading with several clauses, each paragraph that closes with its own clause is a task
  titled by its first sentence (path ``<heading>.pK``), the heading's own paragraph titled by the
  heading; a clause on a line of its own closes the paragraph before it;
- several clauses inside one paragraph each close a task of their own (``.gN``), titled by the
  first sentence of their group — the first group of a heading's paragraph by the heading;
- a clause written as a sentence's subject (X会同Y…, not closing anything) makes its paragraph
  the task, titled by its first sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazettekg.extract.clauses import Clause
from gazettekg.extract.documents import Paragraph, paragraphs
from gazettekg.records import Document, Section, SourceText

_SENTENCE_STOP = re.compile(r"[。！？]")
_LABEL_PREFIX = re.compile(r"^[\s　]*")


@dataclass(frozen=True, slots=True)
class Task:
    path: str
    title: str


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph or group, without its stop (or a colon ending it)."""
    text = text.strip(" \t，,；;。")
    m = _SENTENCE_STOP.search(text)
    sentence = text[: m.start()] if m else text
    return sentence.rstrip("：:；; ").strip()


def _owner(sections: list[Section], offset: int) -> Section | None:
    """The deepest heading whose span holds the offset."""
    best = None
    for s in sections:
        if s.start <= offset < s.end and (best is None or s.start >= best.start):
            best = s
    return best


def _own_end(section: Section) -> int:
    """Where a heading's own text ends: at its first sub-heading."""
    return section.children[0].start if section.children else section.end


def _paragraph_at(pars: list[Paragraph], offset: int) -> int:
    for k, par in enumerate(pars):
        if par.start <= offset <= par.end:
            return k
    return max(0, len(pars) - 1)


def tasks_of_clauses(source: SourceText, doc: Document, clauses: list[Clause]) -> list[Task]:
    """The task each clause closes, in the clauses' order."""
    text = source.text
    sections = list(doc.walk())
    pars = paragraphs(source, doc.body_start, doc.end)
    # Which heading's own text holds each clause (None: the body before any heading).
    owners = []
    for clause in clauses:
        owner = _owner(sections, clause.start)
        while owner is not None and clause.start >= _own_end(owner):
            owner = None  # after the heading's sub-items: not in any heading's own text
        owners.append(owner)
    by_owner: dict[int, list[int]] = {}
    for k, owner in enumerate(owners):
        by_owner.setdefault(id(owner), []).append(k)

    tasks: list[Task | None] = [None] * len(clauses)
    for indexes in by_owner.values():
        owner = owners[indexes[0]]
        key = owner.path if owner else ""
        # The paragraph each clause closes: its own, or — for a clause on a line of its own — the one before.
        hosts = {}
        for k in indexes:
            p = _paragraph_at(pars, clauses[k].start)
            if clauses[k].closing and _is_clause_only(pars[p], clauses[k]) and p > 0 \
                    and (owner is None or pars[p - 1].start >= owner.start):
                p -= 1
            hosts[k] = p
        if owner is not None and len(indexes) == 1 and clauses[indexes[0]].closing:
            p = hosts[indexes[0]]
            if _is_heading_paragraph(pars[p], owner) or _heading_is_a_sentence(text, owner):
                tasks[indexes[0]] = Task(owner.path, owner.title)
                continue
        groups: dict[int, list[int]] = {}
        for k in indexes:
            groups.setdefault(hosts[k], []).append(k)
        own_pars = [p for p in range(len(pars)) if (owner is None or owner.start <= pars[p].start < _own_end(owner))]
        for p, members in groups.items():
            number = own_pars.index(p) + 1 if p in own_pars else p + 1
            heading_par = owner is not None and _is_heading_paragraph(pars[p], owner)
            base = f"{key}.p{number}" if key and not heading_par else key or f"p{number}"
            if len(members) == 1:
                title = owner.title if heading_par else first_sentence(_without_heading(pars[p].text, owner))
                tasks[members[0]] = Task(base, title)
                continue
            since = pars[p].start
            for g, k in enumerate(members, 1):
                if g == 1 and heading_par:
                    title = owner.title
                else:
                    stretch = text[since: clauses[k].start]
                    if g == 1:
                        stretch = _without_heading(stretch, owner)
                    title = first_sentence(stretch)
                tasks[k] = Task(f"{base}.g{g}", title or (owner.title if owner else ""))
                since = clauses[k].end
    return [t if t is not None else Task("", "") for t in tasks]


def _is_heading_paragraph(par: Paragraph, owner: Section) -> bool:
    return par.start <= owner.start <= par.end


def _heading_is_a_sentence(text: str, owner: Section) -> bool:
    """A heading written as a sentence (13．开展新模式推广。) names a task that its paragraphs detail;
    a section title (四、支持新一代信息技术发展) only groups the tasks written under it."""
    line_end = text.find("\n", owner.title_end)
    line_end = len(text) if line_end == -1 else line_end
    return bool(text[owner.title_end: line_end].strip())


def _is_clause_only(par: Paragraph, clause: Clause) -> bool:
    """Whether the paragraph is nothing but the clause (a 责任单位： line)."""
    return clause.start - par.start <= 2 and par.end - clause.end <= 2


def _without_heading(text: str, owner: Section | None) -> str:
    from gazettekg.extract.headings import match_heading

    found = match_heading(text.lstrip())
    return text.lstrip()[found[2]:] if found else text
