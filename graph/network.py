"""The co-responsibility network: agencies linked by the tasks they are assigned together.

Read from the Oxigraph store (all ingested issues), so it is the same whichever input
the facts came from. Nodes are agency keys with ``name`` and ``kind``; an edge joins two
agencies assigned (lead or support) to at least one common task, weighted by the number
of such tasks, and lists those task keys.
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from gazettekg.graph.sparql import run

_PAIRS = """
SELECT ?a ?b ?t WHERE {
  ?x a gkg:Assignment ; gkg:agency ?ga ; gkg:task ?task .
  ?y a gkg:Assignment ; gkg:agency ?gb ; gkg:task ?task .
  ?ga gkg:key ?a . ?gb gkg:key ?b . ?task gkg:key ?t .
  FILTER (STR(?a) < STR(?b))
}
"""

_AGENCIES = """
SELECT ?key ?name ?kind (COUNT(DISTINCT ?lead) AS ?leads) (COUNT(DISTINCT ?support) AS ?supports) WHERE {
  ?g a gkg:Agency ; gkg:key ?key ; skos:prefLabel ?name .
  OPTIONAL { ?g gkg:kind ?kind }
  OPTIONAL { ?g gkg:leads ?lead }
  OPTIONAL { ?g gkg:supports ?support }
}
GROUP BY ?key ?name ?kind
"""


def co_responsibility_graph(store: ox.Store, *, assigned_only: bool = True) -> nx.Graph:
    """Agencies as nodes, shared tasks as weighted edges (``weight``, ``tasks``).

    ``assigned_only`` leaves out agencies that no task is assigned to (named only in duties).
    """
    graph = nx.Graph()
    _, agencies = run(store, _AGENCIES)
    for key, name, kind, leads, supports in agencies:
        if assigned_only and leads + supports == 0:
            continue
        graph.add_node(key, name=name, kind=kind or "", leads=leads, supports=supports)
    _, pairs = run(store, _PAIRS)
    for a, b, task in pairs:
        if not graph.has_edge(a, b):
            graph.add_edge(a, b, weight=0, tasks=[])
        edge = graph.edges[a, b]
        if task not in edge["tasks"]:
            edge["tasks"].append(task)
            edge["weight"] += 1
    return graph


def central_agencies(graph: nx.Graph, top: int = 10) -> list[tuple[str, float]]:
    """Agency names ranked by weighted degree centrality: who coordinates with the most others."""
    if graph.number_of_nodes() < 2:
        return [(graph.nodes[n]["name"], 0.0) for n in graph.nodes]
    strength = dict(graph.degree(weight="weight"))
    total = sum(strength.values()) or 1
    ranked = sorted(graph.nodes, key=lambda n: (-strength[n], graph.nodes[n]["name"]))
    return [(graph.nodes[n]["name"], strength[n] / total) for n in ranked[:top]]
