"""The named queries, each in SPARQL (NAME.rq) and Cypher (NAME.cypher) returning the same rows.

Every file starts with a comment stating what it answers, its columns and its order, so
the two languages can be checked against one written definition.
"""

from __future__ import annotations

from datetime import date
from importlib import resources

# Parameters of each named query, in the order the CLI documents them.
PARAMS: dict[str, list[str]] = {
    "leads": [],
    "agency_tasks": ["agency"],
    "due_before": ["date"],
    "targets_for_year": ["year"],
    "co_agencies": ["agency"],
    "workload": [],
    "document_links": [],
}

_EXTENSIONS = {"sparql": "rq", "cypher": "cypher"}


def names() -> list[str]:
    return list(PARAMS)


def load(name: str, lang: str = "sparql") -> str:
    """The text of a named query in ``lang`` ("sparql" or "cypher")."""
    if name not in PARAMS:
        raise KeyError(f"unknown query {name!r}; known: {', '.join(names())}")
    if lang not in _EXTENSIONS:
        raise KeyError(f"unknown query language {lang!r}; known: {', '.join(_EXTENSIONS)}")
    return resources.files(__name__).joinpath(f"{name}.{_EXTENSIONS[lang]}").read_text(encoding="utf-8")


def coerce(name: str, value: object) -> object:
    """A parameter given as text (CLI, JSON) as the type both engines compare it with.

    ``year`` is an int; ``date`` an ISO date string (validated, so a typo fails loudly
    instead of matching nothing); ``agency`` an agency key, normalized as graph/ids.py
    does, so an id typed with full-width brackets still finds its node.
    """
    if name == "year":
        return int(str(value).strip())
    if name == "date":
        return date.fromisoformat(str(value).strip()).isoformat()
    if name == "agency":
        from gazettekg.graph.ids import agency_key

        return agency_key(str(value))
    return str(value)
