"""Responsibility clauses -> assignments (task, agency, role, basis), with provenance.

extract.clauses finds the clauses and their parties, extract.tasks the task each one closes.
A document with no closing clause writes its assignments in prose (由A牵头, A会同B); in one that
has them, a paragraph opened by such a sentence is a task of its own. A note such as
〔以下均需各区县政府负责，不再列出〕 makes that body responsible for every later task of the
document (basis ``implicit``).
"""

from __future__ import annotations

from gazettekg.extract.agencies import DEFINITION, Resolver, find_definitions, normalize
from gazettekg.extract.clauses import Clause, find_clauses
from gazettekg.extract.documents import paragraphs
from gazettekg.extract.prose import opening_huitong_tasks, prose_tasks
from gazettekg.extract.tables import find_tables, table_tasks
from gazettekg.extract.tasks import Task, tasks_of_clauses
from gazettekg.records import Assignment, Document, Provenance, SourceText


def find_assignments(source: SourceText, doc: Document, resolver: Resolver) -> list[Assignment]:
    """Every (task, agency) pair the document's clauses state, with provenance."""
    for alias, referent, _ in find_definitions(source.text[doc.start: doc.end]):
        resolver.define(alias, referent)
    tables = find_tables(paragraphs(source, doc.body_start, doc.end))
    rows = [(Clause(t.start, t.end, t.parties), Task(t.path, t.title)) for t in table_tasks(tables)]
    in_table = [(t.start, t.end) for t in tables]
    clauses = [c for c in find_clauses(source.text, doc.body_start, doc.end)
               if not any(lo <= c.start < hi for lo, hi in in_table)]
    tasked = [*zip(clauses, tasks_of_clauses(source, doc, clauses), strict=True), *rows]
    if tasked:
        taken = [(c.start, c.end) for c, _ in tasked]
        tasked += opening_huitong_tasks(source, doc, taken)
    else:
        # A document without clauses or tables writes its assignments in prose.
        tasked = prose_tasks(source, doc)
    tasked.sort(key=lambda pair: pair[0].start)
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
