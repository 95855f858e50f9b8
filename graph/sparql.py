"""Run SPARQL on the Oxigraph store and return plain Python columns and rows.

Queries read the union of all named graphs (one per issue, plus the shared agency and
document-identity graphs). A parameter is written ``$name`` in the query text and
replaced by the RDF term of its value, serialized (and so escaped) by pyoxigraph:
user input can only ever become one literal, never query syntax. Literal substitution
rather than Oxigraph's ``substitutions`` because a parameter may share its name with a
result column (co_agencies takes ``agency`` and returns ``agency``), and ``$agency`` and
``?agency`` are one variable to SPARQL.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pyoxigraph as ox

from gazettekg import queries
from gazettekg.graph.rdf import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    f"{XSD}{t}"
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort",
        "unsignedByte",
    )
}  # fmt: skip

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def to_term(value: object) -> ox.NamedNode | ox.Literal:
    """A query parameter as an RDF term: int -> xsd:integer, date -> xsd:date, str -> string."""
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(f"{XSD}boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(f"{XSD}integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(f"{XSD}double"))
    if isinstance(value, Decimal):
        return ox.Literal(str(value), datatype=ox.NamedNode(f"{XSD}decimal"))
    if isinstance(value, datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(f"{XSD}dateTime"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(f"{XSD}date"))
    if isinstance(value, str):
        return ox.Literal(value)
    raise TypeError(f"cannot pass {type(value).__name__} as a SPARQL parameter")


def to_python(term: Term | None) -> object:
    """An RDF term as the value the property graph would hold: dates as ISO strings, IRIs as str."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype is not None else ""
        if datatype in _INTEGER_TYPES:
            return int(term.value)
        if datatype in {f"{XSD}double", f"{XSD}float"}:
            return float(term.value)
        if datatype == f"{XSD}boolean":
            return term.value in {"true", "1"}
        return term.value  # strings, and xsd:date as its ISO lexical form
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)


_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def bind_parameters(text: str, params: dict[str, object]) -> str:
    """Replace each ``$name`` of ``params`` by its value as an escaped RDF term."""
    terms = {name: str(to_term(value)) for name, value in params.items()}

    def term_for(match: re.Match[str]) -> str:
        return terms.get(match.group(1), match.group(0))

    return _PARAMETER.sub(term_for, text)


def run(
    store: ox.Store, text: str, params: dict[str, object] | None = None
) -> tuple[list[str], list[tuple]]:
    """Run a SELECT / ASK / CONSTRUCT query; returns (column names, rows of Python values)."""
    if params:
        text = bind_parameters(text, params)
    result = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    if isinstance(result, ox.QueryBoolean):
        return ["ask"], [(bool(result),)]
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        return columns, [tuple(to_python(solution[c]) for c in columns) for solution in result]
    return ["subject", "predicate", "object"], [
        (to_python(t.subject), to_python(t.predicate), to_python(t.object)) for t in result
    ]


def run_named(
    store: ox.Store, name: str, params: dict[str, object] | None = None
) -> tuple[list[str], list[tuple]]:
    """Run one of the named queries of queries/ (see queries.names()) with its parameters."""
    expected = queries.PARAMS[name]
    given = dict(params or {})
    missing = [p for p in expected if p not in given]
    unknown = [p for p in given if p not in expected]
    if missing or unknown:
        raise ValueError(f"query {name!r} takes parameters {expected}; missing {missing}, unknown {unknown}")
    coerced = {p: queries.coerce(p, v) for p, v in given.items()}
    return run(store, queries.load(name, "sparql"), coerced)


AGENCY_LABELS = """
PREFIX gkg: <https://w3id.org/gazettekg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?key ?label WHERE {
  ?agency a gkg:Agency ; gkg:key ?key .
  { ?agency skos:prefLabel ?label } UNION { ?agency skos:altLabel ?label } UNION { ?agency gkg:shortName ?label }
}
"""


def agency_keys(store: ox.Store, spelling: str) -> list[str]:
    """The keys of the agencies a spelling names (canonical name, short form, alias or key itself).

    Analysts type 市应急局 or 重庆市应急管理局; queries take the key. More than one key
    means the spelling is ambiguous across jurisdictions.
    """
    from gazettekg.extract.agencies import normalize

    wanted = normalize(spelling)
    _, rows = run(store, AGENCY_LABELS)
    keys = {str(key) for key, label in rows if normalize(str(label)) == wanted or normalize(str(key)) == wanted}
    return sorted(keys)


class QueryRefused(Exception):
    """A query not run, or stopped: too long, too deeply nested, or over its time limit."""


def _run_in_child(connection, database: str, text: str) -> None:  # the query process's main
    import signal
    import time
    from pathlib import Path

    from gazettekg.graph.store import open_oxigraph, oxigraph_damage, transient

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the process group: the parent kills us
    try:
        for attempt in range(10):  # a writer's compaction may delete a file under a read-only view
            try:
                result = run(open_oxigraph(Path(database), read_only=True), text)
                break
            except Exception as error:  # OSError / RuntimeError from RocksDB, StoreDamaged from opening
                if attempt == 9 or not transient(error):
                    raise
                time.sleep(min(0.05 * 2**attempt, 0.5))
        connection.send(("ok", result))
    except SyntaxError as error:
        connection.send(("syntax", str(error)))
    except OSError as error:  # RocksDB read errors: a damaged store, named in one line
        connection.send(("error", str(oxigraph_damage(error, Path(database)))))
    except Exception as error:  # reported by the parent as one line (StoreDamaged included)
        connection.send(("error", str(error) if type(error).__name__ == "StoreDamaged" else
                         f"{type(error).__name__}: {error}"))


def run_limited(
    store_dir, text: str, *, timeout: float = 10.0, max_query_bytes: int = 64 * 1024, max_depth: int = 100
) -> tuple[list[str], list[tuple]]:
    """``run`` on a store folder, in a child process that is killed after ``timeout`` seconds (0: none).

    The text is checked first (size, bracket depth: pyoxigraph's parser overflows its stack
    on deep nesting, which would kill this process); the store is opened read-only in the
    child, and a crash there is an error here. Raises QueryRefused, or SyntaxError.
    """
    import multiprocessing
    from pathlib import Path

    from gazettekg.graph.endpoint import Limits, Refused, check_query

    limits = Limits(max_query_bytes=max_query_bytes, max_depth=max_depth, allow_service=True)
    try:
        check_query(text, limits)
    except Refused as refused:
        raise QueryRefused(refused.message) from None
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    database = str(Path(store_dir) / "oxigraph")
    process = context.Process(target=_run_in_child, args=(sender, database, text), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout or None):
            raise QueryRefused(f"query stopped: it ran over the time limit of {timeout:g} s (--timeout)")
        try:
            kind, value = receiver.recv()
        except EOFError:
            process.join(5)
            raise QueryRefused(f"the query process died (exit code {process.exitcode})") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if kind == "syntax":
        raise SyntaxError(value)
    if kind == "error":
        raise QueryRefused(value)
    return value
