"""Load issues into Neo4j with the official driver, running graph/cypher.py's statements.

Schema first (uniqueness constraints, auto-commit: Neo4j does not mix schema and data
changes in one transaction), then per issue its delete statements and its batched
``UNWIND $rows … MERGE`` statements, one managed write transaction (``execute_write``,
retried by the driver on transient errors) per statement, i.e. per batch of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from gazettekg.graph.cypher import (
    DEFAULT_BATCH_SIZE,
    NEO4J,
    Statement,
    graph_statements,
    issue_statements,
    schema_statements,
)
from gazettekg.graph.property import PropertyGraph
from gazettekg.records import IssueExtraction


@dataclass(slots=True)
class LoadSummary:
    statements: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0


def _run(tx: Any, text: str, params: dict) -> Any:
    """One transaction function: run a statement and consume it, so errors surface inside the retry."""
    return tx.run(text, params).consume()


def _connect_and_load(
    uri: str, user: str, password: str, statements: Iterable[Statement], database: str | None,
    on_statement: Callable[[Statement], None] | None,
) -> LoadSummary:  # fmt: skip
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, auth=(user, password)) as driver:
        driver.verify_connectivity()
        return load_with_driver(driver, statements, database, on_statement)


def load_with_driver(
    driver: Any,
    statements: Iterable[Statement],
    database: str | None = None,
    on_statement: Callable[[Statement], None] | None = None,
) -> LoadSummary:
    """Run the schema statements, then ``statements``, on an open ``neo4j.Driver``."""
    summary = LoadSummary()
    with driver.session(database=database) as session:
        for text in schema_statements(NEO4J):
            session.run(text).consume()
        for text, params in statements:
            result = session.execute_write(_run, text, params)
            counters = getattr(result, "counters", None)
            if counters is not None:
                summary.nodes_created += counters.nodes_created
                summary.relationships_created += counters.relationships_created
                summary.properties_set += counters.properties_set
            summary.statements += 1
            if on_statement is not None:
                on_statement((text, params))
    return summary


def extraction_statements(
    extractions: Iterable[IssueExtraction], batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[Statement]:
    """Each issue's statements in turn, built only when the previous issue is loaded."""
    for extraction in extractions:
        yield from issue_statements(extraction, batch_size)


def load(
    uri: str,
    user: str,
    password: str,
    extractions: Iterable[IssueExtraction],
    database: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_statement: Callable[[Statement], None] | None = None,
) -> LoadSummary:
    """Load issues into the Neo4j server at ``uri`` (bolt:// or neo4j://); idempotent per issue."""
    statements = extraction_statements(extractions, batch_size)
    return _connect_and_load(uri, user, password, statements, database, on_statement)


def load_graph(
    uri: str,
    user: str,
    password: str,
    graph: PropertyGraph,
    database: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_statement: Callable[[Statement], None] | None = None,
) -> LoadSummary:
    """Load a whole property graph (e.g. read back from a store with graph/falkor.py)."""
    return _connect_and_load(uri, user, password, graph_statements(graph, batch_size), database, on_statement)
