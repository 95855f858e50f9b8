"""Responsibility clauses -> assignments (task, agency, role, basis), with provenance.

extract.clauses finds the clauses and their parties, extract.tasks the task each one closes.
A document with no closing clause writes its assignments in prose (由A牵头, A会同B); in one that
has them, a paragraph opened by such a sentence is a task of its own. A note such as
〔以下均需各区县政府负责，不再列出〕 makes that body responsible for every later task of the
document (basis ``implicit``).
"""

from __future__ import annotations

import re

from gazettekg.extract.agencies import DEFINITION, Resolver, find_definitions, normalize
from gazettekg.extract.clauses import Clause, Party, find_clauses
from gazettekg.extract.documents import paragraphs
from gazettekg.extract.tables import find_tables, table_tasks
from gazettekg.extract.tasks import Task, tasks_of_clauses
from gazettekg.records import Assignment, Document, Provenance, SourceText

PROSE_LEAD = re.compile(r"由(?=[^，。；]{2,80}?牵头)")
HUITONG = re.compile(r"会同")
SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


def find_prose_clauses(text: str, start: int, end: int, registry) -> list[Clause]:
    """由X牵头 and X会同Y sentences: the responsibility clauses of documents that write them in prose."""
    from gazettekg.extract.agencies import agency_list_at

    clauses = []
    for m in SENTENCE.finditer(text, start, end):
        sentence_start, sentence = m.start(), m.group(0)
        parties: list[Party] = []
        you = PROSE_LEAD.search(sentence)
        if you:
            leads = agency_list_at(text, sentence_start + you.end(), registry)
            after = leads[-1][1] if leads else 0
            if leads and text.startswith("牵头", after):
                parties = [Party(text[a:b], "lead" if k == 0 else "support", "marked" if k == 0 else "")
                           for k, (a, b) in enumerate(leads)]
                rest = re.match(r"牵头(?:负责)?[，,]?(?:会同|联合)?", text[after:])
                if rest and rest.group(0).endswith(("会同", "联合")):
                    for a, b in agency_list_at(text, after + rest.end(), registry):
                        parties.append(Party(text[a:b], "support", ""))
        else:
            hui = HUITONG.search(sentence)
            if hui:
                head = re.sub(r"(?:要|应|应当|将|负责|牵头)$", "", sentence[: hui.start()])
                head_start = sentence_start + len(re.match(r"^[，、\s]*", head).group(0))
                lead = agency_list_at(text, head_start, registry)
                if lead and len(lead) == 1 and text[lead[0][1]: sentence_start + hui.start()] in ("", "要", "应",
                                                                                                  "应当", "将"):
                    parties = [Party(text[lead[0][0]: lead[0][1]], "lead", "marked")]
                    for a, b in agency_list_at(text, sentence_start + hui.end(), registry):
                        parties.append(Party(text[a:b], "support", ""))
        if parties:
            clauses.append(Clause(sentence_start, m.end(), tuple(parties), (), closing=False))
    return clauses


def find_assignments(source: SourceText, doc: Document, resolver: Resolver) -> list[Assignment]:
    """Every (task, agency) pair the document's clauses state, with provenance."""
    for alias, referent, _ in find_definitions(source.text[doc.start: doc.end]):
        resolver.define(alias, referent)
    tables = find_tables(paragraphs(source, doc.body_start, doc.end))
    rows = [(Clause(t.start, t.end, t.parties), Task(t.path, t.title)) for t in table_tasks(tables)]
    in_table = [(t.start, t.end) for t in tables]
    clauses = [c for c in find_clauses(source.text, doc.body_start, doc.end)
               if not any(lo <= c.start < hi for lo, hi in in_table)]
    if not clauses and not rows:
        # A document without bracketed clauses writes its assignments in prose (由X牵头, X会同Y).
        clauses = find_prose_clauses(source.text, doc.body_start, doc.end, resolver.registry)
    tasked = sorted([*zip(clauses, tasks_of_clauses(source, doc, clauses), strict=True), *rows],
                    key=lambda pair: pair[0].start)
    out: list[Assignment] = []
    standing: list[str] = []  # bodies made responsible for every later task
    for clause, task in tasked:
        prov = Provenance.of(source, doc.doc_id, task.path, clause.start, clause.end)
        seen: set[str] = set()
        for rank, party in enumerate(clause.parties, 1):
            defined = DEFINITION.search(party.surface)
            surface = DEFINITION.sub("", party.surface)
            full = DEFINITION.sub("", party.full) if party.full else surface
            agency_id = resolver.define(defined["alias"], full) if defined else resolver.resolve(full)
            if agency_id in seen:
                continue
            seen.add(agency_id)
            out.append(Assignment(doc.doc_id, task.path, task.title, agency_id, normalize(surface), party.role,
                                  party.lead_basis, rank, "explicit", prov))
        for body in standing:
            agency_id = resolver.resolve(body)
            if agency_id not in seen:
                seen.add(agency_id)
                out.append(Assignment(doc.doc_id, task.path, task.title, agency_id, normalize(body), "support",
                                      "", len(seen), "implicit", prov))
        standing.extend(clause.implicit)
    return out
