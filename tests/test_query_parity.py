"""Every named query returns the same rows, columns and order in SPARQL (Oxigraph) and Cypher (FalkorDBLite).

Three graphs: hand-built Guangdong + Shenzhen issues, the RDF engineer's State Council
issues (when present), and the real sample issue. Parameters are taken from each graph
(every agency that has an assignment, dates around every deadline, every target year),
so the comparison covers what the data holds rather than a few chosen values.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from gazettekg.graph import falkor

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "gazette-2022-01.txt"

_REQUIRED = os.environ.get("GAZETTEKG_REQUIRE_CYPHER") == "1"
_RDF_SIDE = all(importlib.util.find_spec(f"gazettekg.graph.{m}") is not None for m in ("sparql", "store"))
_MISSING = [
    what
    for what, ok in (
        ("falkordblite (pip install '.[cypher]')", falkor.available()),
        ("gazettekg.graph.sparql / gazettekg.graph.store (the RDF side)", _RDF_SIDE),
    )
    if not ok
]
pytestmark = pytest.mark.skipif(bool(_MISSING) and not _REQUIRED, reason="needs " + " and ".join(_MISSING))


def _issue_sets():
    from gazettekg.tests.cypher_samples import city_issue, guangdong_issue

    sets = {"guangdong+shenzhen": lambda: [guangdong_issue(), city_issue()]}
    try:
        from gazettekg.tests.graph_samples import later_issue, state_council_issue
    except ImportError:
        pass
    else:
        sets["state-council"] = lambda: [state_council_issue(), later_issue()]

    def sample():
        from gazettekg.extract.pipeline import extract_file

        return [extract_file(SAMPLE)]

    sets["sample"] = sample
    return sets


_SETS = _issue_sets()


@pytest.fixture(scope="module", params=list(_SETS))
def engines(request, tmp_path_factory):
    """(oxigraph store, falkor store dir, extractions) holding the same issues."""
    from gazettekg.graph.store import GraphStore

    extractions = _SETS[request.param]()
    rdf = GraphStore()
    store_dir = tmp_path_factory.mktemp("parity") / "store"
    for x in extractions:
        rdf.ingest(x)
        falkor.sync(store_dir, x)
    yield rdf, store_dir, extractions
    falkor.close(store_dir)


def _param_values(extractions) -> dict[str, list[object]]:
    agencies = sorted({a.agency_id for x in extractions for a in x.assignments})
    ends = sorted({d.end for x in extractions for d in x.deadlines if d.end})
    dates = sorted({"1900-01-01", "2100-01-01", *ends[:: max(1, len(ends) // 6)]})
    years = sorted({t.target_year for x in extractions for t in x.targets if t.target_year is not None} | {1999})
    return {"agency": agencies or ["nobody"], "date": dates, "year": years}


def _compare(rdf, store_dir, name: str, params: dict) -> int:
    from gazettekg import queries
    from gazettekg.graph.sparql import run_named

    sparql_columns, sparql_rows = run_named(rdf.oxigraph, name, params)
    coerced = {k: queries.coerce(k, v) for k, v in params.items()}
    cypher_columns, cypher_rows = falkor.run_cypher(store_dir, queries.load(name, "cypher"), coerced)
    assert cypher_columns == sparql_columns, name
    assert [list(r) for r in cypher_rows] == [list(r) for r in sparql_rows], (name, params)
    return len(sparql_rows)


def _named() -> list[str]:
    from gazettekg import queries

    return queries.names()


@pytest.mark.parametrize("name", _named())
def test_named_query_parity(engines, name: str) -> None:
    from gazettekg import queries

    rdf, store_dir, extractions = engines
    wanted = queries.PARAMS[name]
    values = _param_values(extractions)
    if not wanted:
        _compare(rdf, store_dir, name, {})
        return
    (param,) = wanted  # every named query takes at most one parameter
    total = sum(_compare(rdf, store_dir, name, {param: value}) for value in values[param])
    assert total >= 0


def test_parity_covers_non_empty_answers(engines) -> None:
    """Guard against comparing empty results only: the main queries answer something."""
    rdf, store_dir, extractions = engines
    assert _compare(rdf, store_dir, "leads", {}) > 0
    assert _compare(rdf, store_dir, "workload", {}) > 0
    values = _param_values(extractions)
    assert sum(_compare(rdf, store_dir, "agency_tasks", {"agency": a}) for a in values["agency"]) > 0
