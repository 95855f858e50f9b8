"""IssueExtraction -> property-graph rows (nodes and relationships as plain dicts).

The rows are what every Cypher target loads (Neo4j through the driver, FalkorDBLite
embedded, the exported .cypher script and the neo4j-admin CSVs), so all of them hold
the same graph. Node ids are the keys of graph/ids.py, and fact ids are digested from
the same parts graph/rdf.py uses, so a property-graph node and its RDF twin share a key.

Names follow the graph contract: labels Issue, Document, Task, Agency, Deadline, Target,
Duty, Rule; relationships CONTAINS, HAS_TASK, SUBTASK_OF, LEADS, SUPPORTS, DUE_BY,
AIMS_AT, ISSUED_BY, SUPERSEDES, CITES, HAS_DUTY, SUB_ORGANIZATION_OF. Two additions the
contract leaves open: (:Task|Document)-[:HAS_RULE]->(:Rule) and
(:Duty)-[:WITH_AGENCY]->(:Agency) for the agencies a duty is shared with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gazettekg.graph.ids import agency_key, doc_key, fact_key, issue_key, normalize, task_key
from gazettekg.records import Agency, Document, IssueExtraction, Provenance, Section

NODE_LABELS: tuple[str, ...] = ("Issue", "Document", "Task", "Agency", "Deadline", "Target", "Duty", "Rule")
# Labels whose nodes belong to one document (they carry a `doc` property): replaced with it.
DOCUMENT_SCOPED_LABELS: tuple[str, ...] = ("Task", "Deadline", "Target", "Duty", "Rule")
RELATIONSHIP_TYPES: tuple[str, ...] = (
    "CONTAINS", "HAS_TASK", "SUBTASK_OF", "LEADS", "SUPPORTS", "DUE_BY", "AIMS_AT", "HAS_RULE",
    "ISSUED_BY", "SUPERSEDES", "CITES", "HAS_DUTY", "WITH_AGENCY", "SUB_ORGANIZATION_OF",
)  # fmt: skip
# A document known only by a 发文字号 another document supersedes or cites. It is a
# Document node too, but loaded so that it never overwrites an ingested document.
STUB = "DocumentStub"

Props = dict[str, object]


@dataclass(frozen=True, slots=True)
class RelGroup:
    """Relationships of one type between two labels: what one MATCH…MATCH…MERGE statement loads."""

    type: str
    src_label: str
    dst_label: str


@dataclass(slots=True)
class PropertyGraph:
    """Node rows by label ({"id", "props"}) and relationship rows by group ({"src", "dst", "props"}).

    ``nodes[STUB]`` holds stub Documents (label Document, created only if missing).
    Rows keep insertion order, and a node or relationship appears once (first wins).
    """

    nodes: dict[str, list[dict]] = field(default_factory=dict)
    relationships: dict[RelGroup, list[dict]] = field(default_factory=dict)
    _node_ids: set[tuple[str, str]] = field(default_factory=set)
    _rel_ids: set[tuple[str, str, str]] = field(default_factory=set)

    def add_node(self, label: str, node_id: str, props: Props) -> bool:
        key = ("Document" if label == STUB else label, node_id)
        if key in self._node_ids:
            if label != "Document" or not self._drop_stub(node_id):
                return False
        self._node_ids.add(key)
        self.nodes.setdefault(label, []).append({"id": node_id, "props": {"id": node_id, **_absent_if_empty(props)}})
        return True

    def _drop_stub(self, node_id: str) -> bool:
        """Let an ingested document replace the stub an earlier document's reference made."""
        stubs = self.nodes.get(STUB, [])
        kept = [row for row in stubs if row["id"] != node_id]
        self.nodes[STUB] = kept
        return len(kept) < len(stubs)

    def has_node(self, label: str, node_id: str) -> bool:
        return (label, node_id) in self._node_ids

    def add_rel(self, rel_type: str, src: tuple[str, str], dst: tuple[str, str], props: Props | None = None) -> None:
        key = (rel_type, src[1], dst[1])
        if key in self._rel_ids:
            return
        self._rel_ids.add(key)
        group = RelGroup(rel_type, src[0], dst[0])
        self.relationships.setdefault(group, []).append(
            {"src": src[1], "dst": dst[1], "props": _absent_if_empty(props or {})}
        )

    def node_count(self) -> int:
        return len(self._node_ids)

    def relationship_count(self) -> int:
        return len(self._rel_ids)


def _absent_if_empty(props: Props) -> Props:
    """An empty string means "not stated", as in the RDF graph (which emits no triple for it).

    Heading paths are the exception: "" is the document body, a real value.
    """
    return {k: None if v == "" and k not in ("path", "where") else v for k, v in props.items()}


def _iso_date(value: str | None) -> str | None:
    """An ISO date string, or None for a missing or malformed one (as the RDF side does)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _span(prov: Provenance) -> Props:
    return {"quote": prov.quote, "start": prov.start, "end": prov.end, "pages": list(prov.pages)}


class _Builder:
    """Accumulates one issue's rows; mirrors graph/rdf.py's choices so both graphs agree."""

    def __init__(self, extraction: IssueExtraction) -> None:
        self.x = extraction
        self.g = PropertyGraph()

    # ---- agencies ----
    def agency(self, agency_id: str, surface: str = "") -> tuple[str, str]:
        key = agency_key(agency_id)
        ref = ("Agency", key)
        if self.g.has_node(*ref):
            return ref
        known: Agency | None = self.x.agencies.get(agency_id)
        if known is None:  # resolved to an id the extraction has no record for: name it as written
            known = Agency(agency_id, surface or agency_id, surface or agency_id, "other")
        aliases = sorted(set(known.aliases) - {known.name})
        self.g.add_node(
            "Agency", key, {"name": known.name, "short_name": known.short_name, "kind": known.kind, "aliases": aliases}
        )
        if known.parent and known.parent in self.x.agencies and known.parent != agency_id:
            self.g.add_rel("SUB_ORGANIZATION_OF", ref, self.agency(known.parent))
        return ref

    # ---- documents and heading trees ----
    def document_stub(self, number: str) -> tuple[str, str]:
        key = doc_key(number)
        self.g.add_node(STUB, key, {"number": number})
        return ("Document", key)

    def document(self, doc: Document) -> tuple[str, str]:
        from gazettekg.graph.rdf import is_document_number  # one definition of a 发文字号 for both graphs

        key = doc_key(doc.doc_id)
        ref = ("Document", key)
        self.g.add_node(
            "Document",
            key,
            {
                "number": doc.number,
                "title": doc.title,
                "notice_title": doc.notice_title,
                "issuer": doc.issuer,
                "date": _iso_date(doc.date),
                "recipients": doc.recipients,
                "attachments": list(doc.attachments),
                "start": doc.start,
                "end": doc.end,
            },
        )
        if doc.issuer_id:
            self.g.add_rel("ISSUED_BY", ref, self.agency(doc.issuer_id, doc.issuer))
        for number in doc.supersedes:
            self.g.add_rel("SUPERSEDES", ref, self.document_stub(number))
        for cited in doc.cites:
            if is_document_number(cited):
                self.g.add_rel("CITES", ref, self.document_stub(cited))
        for top in doc.sections:
            self.section(doc, top, parent=None)
        return ref

    def section(self, doc: Document, section: Section, parent: tuple[str, str] | None) -> None:
        text = self.x.source.text
        # The quote of a task is its heading line: the number plus the title.
        heading_end = section.title_end if section.title_end > section.start else section.end
        line_end = text.find("\n", section.start, heading_end)
        if line_end > section.start and section.title_end <= section.start:
            heading_end = line_end
        span: Props = {}
        if heading_end > section.start:
            span = _span(Provenance.of(self.x.source, doc.doc_id, section.path, section.start, heading_end))
        extra = {
            "label": section.label,
            "level": section.level,
            "section_start": section.start,
            "section_end": section.end,
            **span,
        }
        ref = self.task(doc.doc_id, section.path, section.title, extra)
        if parent is not None:
            self.g.add_rel("SUBTASK_OF", ref, parent)
        for child in section.children:
            self.section(doc, child, parent=ref)

    def task(self, doc_id: str, path: str, title: str, extra: Props | None = None) -> tuple[str, str]:
        """The Task of a heading path (created on first sight, even for a path the tree lacks)."""
        key = task_key(doc_id, path)
        ref = ("Task", key)
        if self.g.add_node(
            "Task", key, {"doc": doc_key(doc_id), "path": path.strip(), "title": title or None, **(extra or {})}
        ):
            self.g.add_rel("HAS_TASK", ("Document", doc_key(doc_id)), ref)
        return ref

    def holder(self, doc_id: str, where: str) -> tuple[str, str]:
        """What a fact hangs on: the Task of its heading path, or the Document when where is ""."""
        if not normalize(where):
            return ("Document", doc_key(doc_id))
        return self.task(doc_id, where, "")

    # ---- facts (ids digested from the same parts as graph/rdf.py) ----
    def build(self) -> PropertyGraph:
        x, g = self.x, self.g
        issue = ("Issue", issue_key(x.issue))
        g.add_node("Issue", issue[1], {"title": x.issue, "source": x.source.name})
        for agency_id in sorted(x.agencies):
            self.agency(agency_id)
        for doc in x.documents:
            g.add_rel("CONTAINS", issue, self.document(doc))

        for a in x.assignments:
            if not normalize(a.task_path):
                continue  # the contract has no document-level assignment
            task = self.task(a.doc_id, a.task_path, a.task_title)
            props = {"basis": a.basis, "lead_basis": a.lead_basis, "rank": a.rank, "surface": a.surface}
            g.add_rel("LEADS" if a.role == "lead" else "SUPPORTS", self.agency(a.agency_id, a.surface), task,
                      {**props, **_span(a.provenance)})  # fmt: skip

        for d in x.duties:
            key = fact_key("duty", doc_key(d.doc_id), normalize(d.where), agency_key(d.agency_id), d.role, d.duty)
            props = {"doc": doc_key(d.doc_id), "where": d.where.strip(), "role": d.role, "duty": d.duty}
            if g.add_node("Duty", key, {**props, "surface": d.surface, **_quote(d.provenance)}):
                g.add_rel("HAS_DUTY", self.agency(d.agency_id, d.surface), ("Duty", key))
                for other in d.with_agencies:
                    g.add_rel("WITH_AGENCY", ("Duty", key), self.agency(other))

        for d in x.deadlines:
            parts = (doc_key(d.doc_id), normalize(d.where), d.kind, d.expr, d.start, d.end, d.what)
            key = fact_key("deadline", *parts)
            props = {
                "doc": doc_key(d.doc_id), "where": d.where.strip(), "what": d.what, "expr": d.expr,
                "kind": d.kind, "start": _iso_date(d.start), "end": _iso_date(d.end),
                "recurrence": d.recurrence,
            }  # fmt: skip
            if g.add_node("Deadline", key, {**props, **_quote(d.provenance)}):
                g.add_rel("DUE_BY", self.holder(d.doc_id, d.where), ("Deadline", key))

        for t in x.targets:
            parts = (doc_key(t.doc_id), normalize(t.where), t.indicator, t.subject, t.value, t.value_max,
                     t.unit, t.comparator, t.target_year)  # fmt: skip
            key = fact_key("target", *parts)
            props = {
                "doc": doc_key(t.doc_id), "where": t.where.strip(), "indicator": t.indicator,
                "subject": t.subject, "value": str(t.value),
                "value_max": None if t.value_max is None else str(t.value_max), "unit": t.unit,
                "comparator": t.comparator, "baseline": None if t.baseline is None else str(t.baseline),
                "baseline_year": t.baseline_year, "target_year": t.target_year,
                "attribute": t.attribute, "hedge": t.hedge,
            }  # fmt: skip
            if g.add_node("Target", key, {**props, **_quote(t.provenance)}):
                g.add_rel("AIMS_AT", self.holder(t.doc_id, t.where), ("Target", key))

        for r in x.rules:
            key = fact_key("rule", doc_key(r.doc_id), normalize(r.where), r.what, r.value, r.unit, r.comparator)
            props = {
                "doc": doc_key(r.doc_id), "where": r.where.strip(), "what": r.what, "value": str(r.value),
                "unit": r.unit, "comparator": r.comparator,
            }  # fmt: skip
            if g.add_node("Rule", key, {**props, **_quote(r.provenance)}):
                g.add_rel("HAS_RULE", self.holder(r.doc_id, r.where), ("Rule", key))
        return g


def _quote(prov: Provenance) -> Props:
    return {"quote": prov.quote, "quote_start": prov.start, "quote_end": prov.end, "pages": list(prov.pages)}


def build_property_graph(extraction: IssueExtraction) -> PropertyGraph:
    """Every node and relationship one issue contributes to the property graph."""
    return _Builder(extraction).build()


def combine(graphs: list[PropertyGraph]) -> PropertyGraph:
    """Several issues' rows as one graph, as loading them in order would leave it.

    A node or relationship met again takes the later properties (``SET n += props``);
    a stub never overwrites an ingested document, and an ingested document replaces a stub.
    """
    nodes: dict[tuple[str, str], dict] = {}
    rels: dict[tuple[RelGroup, str, str], dict] = {}
    for graph in graphs:
        for label in (*NODE_LABELS, STUB):
            for row in graph.nodes.get(label, []):
                if label == STUB:
                    if ("Document", row["id"]) not in nodes:
                        nodes.setdefault((STUB, row["id"]), row["props"])
                    continue
                if label == "Document":
                    nodes.pop((STUB, row["id"]), None)
                nodes[(label, row["id"])] = {**nodes.get((label, row["id"]), {}), **row["props"]}
        for group, rows in graph.relationships.items():
            for row in rows:
                key = (group, row["src"], row["dst"])
                rels[key] = {**rels.get(key, {}), **row["props"]}
    combined = PropertyGraph()
    for (label, node_id), props in nodes.items():
        combined.add_node(label, node_id, props)
    for (group, src, dst), props in rels.items():
        combined.add_rel(group.type, (group.src_label, src), (group.dst_label, dst), props)
    return combined
