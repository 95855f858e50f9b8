"""IssueExtraction -> rdflib.Graph, in the vocabulary of ontology/gazettekg.ttl.

Node IRIs come from graph/ids.py so the RDF and the property graph name the same
things the same way, whatever the input format and however often it is ingested.
No blank nodes are emitted: every node has a deterministic IRI, which is what makes
re-ingesting an issue leave the store unchanged.

Nodes shared between issues (agencies, and the identity of documents that other
issues supersede or cite) are reported by :func:`shared_subjects` so the store can
keep them in their own named graph instead of duplicating them per issue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import ORG, PROV, SKOS, TIME

from gazettekg.graph.ids import agency_key, doc_key, fact_key, iri, issue_key, normalize, task_key
from gazettekg.records import (
    Agency,
    Assignment,
    Deadline,
    Document,
    Duty,
    IssueExtraction,
    Provenance,
    Rule,
    Section,
    SourceText,
    Target,
)

GKG = Namespace("https://w3id.org/gazettekg/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")

PREFIXES: dict[str, str] = {
    "gkg": str(GKG),
    "eli": str(ELI),
    "org": str(ORG),
    "prov": str(PROV),
    "time": str(TIME),
    "skos": str(SKOS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "xsd": str(XSD),
}

# A 发文字号: issuer code, year in brackets, serial number and 号 (国办发〔2021〕9号, 渝府办发[2021]64 号).
_DOCUMENT_NUMBER = re.compile(
    r"^[^《》〈〉\s]{1,20}[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*第?\s*\d+\s*号$"
)

# Predicates that say only *which* document a node is: identical in every issue that
# mentions the document, so they live in the document's own graph (see shared_subjects).
DOCUMENT_IDENTITY = (RDF.type, GKG.key, ELI.id_local)
# Predicates describing an agency itself. Its links to tasks and duties (gkg:leads,
# gkg:supports, gkg:hasDuty) belong to the issue that states them, not to the agency.
AGENCY_DESCRIPTION = (
    RDF.type, GKG.key, SKOS.prefLabel, GKG.shortName, GKG.kind, SKOS.altLabel, ORG.subOrganizationOf,
)  # fmt: skip


def is_document_number(text: str) -> bool:
    """True for a 发文字号 such as 安委〔2021〕9 号; False for a title in 《》 or free text."""
    return bool(_DOCUMENT_NUMBER.match(normalize(text)))


def _iso_date(value: str | None) -> Literal | None:
    """An xsd:date literal, or None when the extractor gave no date or a malformed one."""
    if not value:
        return None
    try:
        return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
    except ValueError:
        return None


def _decimal(value: str | None) -> Literal | None:
    if value is None:
        return None
    try:
        return Literal(Decimal(str(value).replace(",", "")), datatype=XSD.decimal)
    except InvalidOperation:
        return None


def node(kind: str, key: str) -> URIRef:
    return URIRef(iri(kind, key))


class Triples:
    """One issue's triples as built: a set kept in insertion order and indexed by subject.

    rdflib's in-memory Graph indexes every triple three ways, which made building an issue cost
    more than extracting it; the store only iterates the triples and looks nodes up by subject.
    ``graph()`` gives the rdflib Graph for validation, export and tests."""

    def __init__(self) -> None:
        self._all: dict[tuple, None] = {}
        self._by_subject: dict[object, list[tuple]] = {}

    def add(self, triple: tuple) -> None:
        if triple not in self._all:
            self._all[triple] = None
            self._by_subject.setdefault(triple[0], []).append(triple)

    def __iter__(self):
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def __contains__(self, triple: object) -> bool:
        return triple in self._all

    def subjects(self, predicate: object = None, obj: object = None) -> Iterable:
        return [s for s, triples in self._by_subject.items()
                if any((predicate is None or p == predicate) and (obj is None or o == obj) for _, p, o in triples)]

    def triples(self, pattern: tuple) -> Iterable[tuple]:
        s, p, o = pattern
        candidates = self._by_subject.get(s, []) if s is not None else self._all
        return [t for t in candidates if (p is None or t[1] == p) and (o is None or t[2] == o)]

    def graph(self) -> Graph:
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for triple in self._all:
            g.add(triple)
        return g


class _Builder:
    """Accumulates one issue's triples; a class only to share the triples and seen-keys."""

    def __init__(self, extraction: IssueExtraction) -> None:
        self.x = extraction
        self.g = Triples()
        self.tasks: dict[str, URIRef] = {}
        self.documents: dict[str, URIRef] = {}
        self.agencies: dict[str, URIRef] = {}
        self.facts: set[URIRef] = set()
        # The document a triple is read from (its content graph), while one is being built.
        self.owner: URIRef | None = None
        self.content: dict[URIRef, set[tuple]] = {}

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        """Add a triple; None (an absent optional field) adds nothing, "" is kept as printed."""
        if o is None:
            return
        term = o if isinstance(o, URIRef | Literal) else Literal(o)
        self.g.add((s, p, term))
        if self.owner is not None:
            self.content.setdefault(self.owner, set()).add((s, p, term))

    # ---- provenance ----
    def span(self, prov: Provenance) -> URIRef:
        """The source span a fact was read from; shared by facts quoting the same characters."""
        s = node("span", fact_key("span", doc_key(prov.doc_id), prov.start, prov.end))
        self.add(s, RDF.type, GKG.SourceSpan)
        self.add(s, GKG.quote, Literal(prov.quote))
        self.add(s, GKG.start, Literal(prov.start))
        self.add(s, GKG.end, Literal(prov.end))
        for page in prov.pages:
            self.add(s, GKG.page, Literal(page))
        self.add(s, GKG.sourceFile, prov.source or self.x.source.name)
        return s

    def text_span(self, doc_id: str, start: int, end: int) -> URIRef:
        source: SourceText = self.x.source
        return self.span(Provenance.of(source, doc_id, "", start, end))

    # ---- agencies ----
    def agency(self, agency_id: str, surface: str = "") -> URIRef:
        key = agency_key(agency_id)
        if key in self.agencies:
            return self.agencies[key]
        a = node("agency", key)
        self.agencies[key] = a
        known: Agency | None = self.x.agencies.get(agency_id)
        if known is None:  # resolved to an id the extraction has no record for: name it as written
            known = Agency(agency_id, surface or agency_id, surface or agency_id, "other")
        self.add(a, RDF.type, GKG.Agency)
        self.add(a, RDF.type, ORG.Organization)
        self.add(a, GKG.key, key)
        self.add(a, SKOS.prefLabel, known.name)
        self.add(a, GKG.shortName, known.short_name)
        self.add(a, GKG.kind, known.kind)
        for alias in sorted(set(known.aliases) - {known.name}):
            self.add(a, SKOS.altLabel, alias)
        if known.parent and known.parent in self.x.agencies and known.parent != agency_id:
            self.add(a, ORG.subOrganizationOf, self.agency(known.parent))
        return a

    # ---- documents and their heading trees ----
    def document_stub(self, number_or_id: str) -> URIRef:
        """A document known only by its 发文字号 (superseded or cited, maybe never ingested)."""
        key = doc_key(number_or_id)
        d = node("doc", key)
        self.add(d, RDF.type, GKG.Document)
        self.add(d, GKG.key, key)
        self.add(d, ELI.id_local, key)
        return d

    def document(self, doc: Document) -> URIRef:
        key = doc_key(doc.doc_id)
        d = node("doc", key)
        self.documents[key] = d
        self.add(d, RDF.type, GKG.Document)
        self.add(d, GKG.key, key)
        self.add(d, ELI.id_local, normalize(doc.number) if doc.number and normalize(doc.number) else None)
        self.add(d, GKG.number, doc.number)
        self.add(d, ELI.title, doc.title)
        self.add(d, GKG.noticeTitle, doc.notice_title)
        self.add(d, GKG.issuerName, doc.issuer)
        self.add(d, ELI.date_document, _iso_date(doc.date))
        self.add(d, GKG.recipients, doc.recipients)
        for title in doc.attachments:
            self.add(d, GKG.attachmentTitle, title)
        if doc.issuer_id:
            self.add(d, ELI.passed_by, self.agency(doc.issuer_id, doc.issuer))
        for number in doc.supersedes:
            self.add(d, GKG.supersedes, self.document_stub(number))
        for cited in doc.cites:
            if is_document_number(cited):
                self.add(d, GKG.cites, self.document_stub(cited))
        self.add(d, PROV.wasDerivedFrom, self.text_span(doc.doc_id, doc.start, doc.end))
        for top in doc.sections:
            self.section(doc, top, parent=None)
        return d

    def section(self, doc: Document, section: Section, parent: URIRef | None) -> None:
        t = self.task(doc.doc_id, section.path, section.title)
        self.add(t, GKG.label, section.label)
        self.add(t, GKG.level, section.level)
        if parent is not None:
            self.add(t, GKG.subtaskOf, parent)
        # The quote of a task is its heading line: the number plus the title.
        heading_end = section.title_end if section.title_end > section.start else section.end
        line_end = self.x.source.text.find("\n", section.start, heading_end)
        if line_end > section.start and section.title_end <= section.start:
            heading_end = line_end
        if heading_end > section.start:
            self.add(t, PROV.wasDerivedFrom, self.text_span(doc.doc_id, section.start, heading_end))
        self.add(t, GKG.sectionStart, Literal(section.start))
        self.add(t, GKG.sectionEnd, Literal(section.end))
        for child in section.children:
            self.section(doc, child, parent=t)

    def task(self, doc_id: str, path: str, title: str) -> URIRef:
        """The Task node of a heading path (created on first sight, even for a path the tree lacks)."""
        key = task_key(doc_id, path)
        if key in self.tasks:
            return self.tasks[key]
        t = node("task", key)
        self.tasks[key] = t
        d = node("doc", doc_key(doc_id))
        self.add(t, RDF.type, GKG.Task)
        self.add(t, GKG.key, key)
        self.add(t, GKG.path, Literal(path.strip()))
        self.add(t, ELI.title, title or "")
        self.add(t, GKG.document, d)
        self.add(d, GKG.hasTask, t)
        return t

    def holder(self, doc_id: str, where: str, title: str = "") -> URIRef:
        """What a fact hangs on: the Task of its heading path, or the Document when where is ""."""
        if not normalize(where):
            return node("doc", doc_key(doc_id))
        return self.task(doc_id, where, title)

    # ---- facts ----
    def fact(self, kind: str, *parts: object) -> URIRef | None:
        """The IRI of a fact, or None when an identical fact was already added (dedupe)."""
        f = node(kind, fact_key(kind, *parts))
        if f in self.facts:
            return None
        self.facts.add(f)
        return f

    def assignment(self, a: Assignment) -> None:
        if not normalize(a.task_path):
            return  # the contract has no document-level assignment; the pipeline always gives a path
        f = self.fact("assignment", task_key(a.doc_id, a.task_path), agency_key(a.agency_id), a.role, a.basis)
        if f is None:
            return
        t = self.task(a.doc_id, a.task_path, a.task_title)
        ag = self.agency(a.agency_id, a.surface)
        self.add(f, RDF.type, GKG.Assignment)
        self.add(f, GKG.agency, ag)
        self.add(f, GKG.task, t)
        self.add(f, GKG.role, a.role)
        self.add(f, GKG.leadBasis, a.lead_basis)
        self.add(f, GKG.rank, Literal(a.rank))
        self.add(f, GKG.basis, a.basis)
        self.add(f, GKG.surface, a.surface)
        self.add(f, PROV.wasDerivedFrom, self.span(a.provenance))
        self.add(ag, GKG.leads if a.role == "lead" else GKG.supports, t)

    def duty(self, d: Duty) -> None:
        f = self.fact("duty", doc_key(d.doc_id), normalize(d.where), agency_key(d.agency_id), d.role, d.duty)
        if f is None:
            return
        ag = self.agency(d.agency_id, d.surface)
        self.add(f, RDF.type, GKG.Duty)
        self.add(f, GKG.agency, ag)
        self.add(ag, GKG.hasDuty, f)
        self._placed(f, d.doc_id, d.where)
        self.add(f, GKG.role, d.role)
        self.add(f, GKG.duty, d.duty)
        self.add(f, GKG.surface, d.surface)
        for other in d.with_agencies:
            self.add(f, GKG.withAgency, self.agency(other))
        self.add(f, PROV.wasDerivedFrom, self.span(d.provenance))

    def _placed(self, f: URIRef, doc_id: str, where: str) -> None:
        self.add(f, GKG.document, node("doc", doc_key(doc_id)))
        self.add(f, GKG.where, Literal(where.strip()))

    def deadline(self, d: Deadline) -> None:
        f = self.fact(
            "deadline", doc_key(d.doc_id), normalize(d.where), d.kind, d.expr, d.start, d.end, d.what
        )
        if f is None:
            return
        self.add(f, RDF.type, GKG.Deadline)
        self._placed(f, d.doc_id, d.where)
        self.add(f, GKG.what, d.what)
        self.add(f, GKG.expr, d.expr)
        self.add(f, GKG.deadlineKind, d.kind)
        self.add(f, GKG.recurrence, d.recurrence)
        start, end = _iso_date(d.start), _iso_date(d.end)
        self.add(f, GKG.startDate, start)
        self.add(f, GKG.endDate, end)
        # OWL-Time: a span with a beginning is an Interval; a bare due date is an Instant.
        if start is not None and end is not None:
            self.add(f, RDF.type, TIME.Interval)
            for suffix, prop, value in (("begin", TIME.hasBeginning, start), ("end", TIME.hasEnd, end)):
                instant = URIRef(f"{f}-{suffix}")
                self.add(f, prop, instant)
                self.add(instant, RDF.type, TIME.Instant)
                self.add(instant, TIME.inXSDDate, value)
        elif end is not None:
            self.add(f, RDF.type, TIME.Instant)
            self.add(f, TIME.inXSDDate, end)
        self.add(self.holder(d.doc_id, d.where), GKG.dueBy, f)
        self.add(f, PROV.wasDerivedFrom, self.span(d.provenance))

    def target(self, t: Target) -> None:
        f = self.fact(
            "target", doc_key(t.doc_id), normalize(t.where), t.indicator, t.subject, t.value, t.value_max,
            t.unit, t.comparator, t.target_year,
        )  # fmt: skip
        if f is None:
            return
        self.add(f, RDF.type, GKG.Target)
        self._placed(f, t.doc_id, t.where)
        self.add(f, GKG.indicator, t.indicator)
        self.add(f, GKG.subject, t.subject)
        self.add(f, GKG.value, str(t.value))
        self.add(f, GKG.numericValue, _decimal(t.value))
        self.add(f, GKG.valueMax, None if t.value_max is None else str(t.value_max))
        self.add(f, GKG.unit, t.unit)
        self.add(f, GKG.comparator, t.comparator)
        self.add(f, GKG.baseline, None if t.baseline is None else str(t.baseline))
        self.add(f, GKG.baselineYear, None if t.baseline_year is None else Literal(int(t.baseline_year)))
        self.add(f, GKG.targetYear, None if t.target_year is None else Literal(int(t.target_year)))
        self.add(f, GKG.attribute, t.attribute)
        self.add(f, GKG.hedge, t.hedge)
        self.add(self.holder(t.doc_id, t.where), GKG.aimsAt, f)
        self.add(f, PROV.wasDerivedFrom, self.span(t.provenance))

    def rule(self, r: Rule) -> None:
        f = self.fact("rule", doc_key(r.doc_id), normalize(r.where), r.what, r.value, r.unit, r.comparator)
        if f is None:
            return
        self.add(f, RDF.type, GKG.Rule)
        self._placed(f, r.doc_id, r.where)
        self.add(f, GKG.what, r.what)
        self.add(f, GKG.value, str(r.value))
        self.add(f, GKG.unit, r.unit)
        self.add(f, GKG.comparator, r.comparator)
        self.add(self.holder(r.doc_id, r.where), GKG.hasRule, f)
        self.add(f, PROV.wasDerivedFrom, self.span(r.provenance))

    def build(self) -> Triples:
        x = self.x
        issue = node("issue", issue_key(x.issue))
        self.add(issue, RDF.type, GKG.Issue)
        self.add(issue, GKG.key, issue_key(x.issue))
        self.add(issue, RDFS.label, x.issue)
        self.add(issue, GKG.sourceFile, x.source.name)
        for agency_id in sorted(x.agencies):
            self.agency(agency_id)
        for doc in x.documents:
            self.owner = content_graph_iri(doc.doc_id)
            d = self.document(doc)
            self.owner = None
            self.add(issue, GKG.contains, d)
        for build, facts in (
            (self.assignment, x.assignments),
            (self.duty, x.duties),
            (self.deadline, x.deadlines),
            (self.target, x.targets),
            (self.rule, x.rules),
        ):
            for fact in facts:
                self.owner = content_graph_iri(fact.doc_id)
                build(fact)
        self.owner = None
        return self.g


def build_graph(extraction: IssueExtraction) -> Graph:
    """All triples of one issue: its documents, heading trees, agencies and facts with provenance."""
    return _Builder(extraction).build().graph()


def build_issue(extraction: IssueExtraction) -> tuple[Triples, dict[URIRef, set[tuple]]]:
    """All triples of one issue, and those read from each of its documents by content graph.

    A document reaches users through several sources (the gazette PDF, the government site's page,
    a colleague's text copy), each ingested as an issue of its own. Its content is stored once, in
    a named graph of the document's own (content_graph_iri) that every source replaces, so that the
    union of graphs which queries read never holds it twice.
    """
    builder = _Builder(extraction)
    graph = builder.build()
    return graph, builder.content


def content_graph_iri(doc_id: str) -> URIRef:
    """The named graph holding what a document says (its heading tree, tasks and facts)."""
    return URIRef(f"{node('doc', doc_key(doc_id))}#content")


def issue_graph_iri(extraction: IssueExtraction) -> URIRef:
    """The named graph an issue's triples are stored in (the Issue node's own IRI)."""
    return node("issue", issue_key(extraction.issue))


def shared_subjects(graph: Graph | Triples) -> Iterable[tuple[URIRef, Iterable[tuple]]]:
    """Triples describing nodes that other issues may describe too, grouped by node.

    An agency is described identically by every issue that names it, and a document's
    identity (type, key, 发文字号) by every issue that supersedes or cites it. Kept in
    the node's own named graph they exist once in the store, so queries over the union
    of graphs never see them twice.
    """
    for a in sorted(set(graph.subjects(RDF.type, GKG.Agency))):
        yield a, [t for p in AGENCY_DESCRIPTION for t in graph.triples((a, p, None))]
    for d in sorted(set(graph.subjects(RDF.type, GKG.Document))):
        yield d, [t for p in DOCUMENT_IDENTITY for t in graph.triples((d, p, None))]


def ontology_path(name: str = "gazettekg.ttl") -> Path:
    """ontology/gazettekg.ttl or ontology/shapes.ttl, shipped as package data."""
    return Path(str(resources.files("gazettekg.ontology").joinpath(name)))


def validate(graph: Graph) -> tuple[bool, str]:
    """Check a built graph against ontology/shapes.ttl with pySHACL: (conforms, report text)."""
    import pyshacl  # imported here: it is slow to import and only validation needs it

    shapes = Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=False)
    return bool(conforms), str(text)
