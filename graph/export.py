"""Export the property graph for Neo4j: a Cypher script and `neo4j-admin database import` CSVs.

The script holds the very statements the loaders run (graph/cypher.py), with each
``$param`` written out as a Cypher literal, one statement per line, so
``cypher-shell -f gazettekg.cypher`` rebuilds the graph an incremental load would.
The CSVs are for a bulk import into an empty database: one file per node label and
per (relationship type, start label, end label), with the typed headers neo4j-admin
reads (``id:ID(Label)``, ``:LABEL``, ``:START_ID(Label)``, ``:END_ID(Label)``, ``:TYPE``,
``name:int``, ``aliases:string[]`` with ``;`` between array items).
"""

from __future__ import annotations

import csv
import math
import re
import shlex
from collections.abc import Iterable
from pathlib import Path

from gazettekg.graph.cypher import (
    DEFAULT_BATCH_SIZE,
    NEO4J,
    Statement,
    graph_statements,
    issue_statements,
    schema_statements,
)
from gazettekg.graph.property import NODE_LABELS, STUB, PropertyGraph, build_property_graph, combine
from gazettekg.records import IssueExtraction

SCRIPT_NAME = "gazettekg.cypher"
IMPORT_SCRIPT_NAME = "neo4j-admin-import.sh"
ARRAY_DELIMITER = ";"

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_STRING_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def cypher_literal(value: object) -> str:
    """A Python value as a Cypher literal (strings escaped; no raw newline ever appears)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no Cypher literal for {value!r}")
        return repr(value)
    if isinstance(value, str):
        return "'" + "".join(_STRING_ESCAPES.get(ch, ch) for ch in value) + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            name = key if _IDENTIFIER.match(key) else "`" + key.replace("`", "``") + "`"
            items.append(f"{name}: {cypher_literal(item)}")
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def with_literal_params(text: str, params: dict) -> str:
    """The statement with every ``$name`` of ``params`` replaced by its literal."""
    return _PARAMETER.sub(lambda m: cypher_literal(params[m.group(1)]) if m.group(1) in params else m.group(0), text)


def script_lines(statements: Iterable[Statement]) -> Iterable[str]:
    """Schema first, then the statements; each a single line ending in ';'."""
    yield "// gazettekg property graph — run with: cypher-shell -f gazettekg.cypher"
    for text in schema_statements(NEO4J):
        yield text + ";"
    for text, params in statements:
        yield with_literal_params(" ".join(text.split("\n")), params) + ";"


def write_cypher_script(path: Path, statements: Iterable[Statement]) -> Path:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for line in script_lines(statements):
            out.write(line + "\n")
    return path


def _column_type(values: list[object]) -> str:
    """The neo4j-admin type suffix of a property column ("" for strings)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return ":boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return ":int"
    if present and all(isinstance(v, float | int) and not isinstance(v, bool) for v in present):
        return ":float"
    if present and all(isinstance(v, list | tuple) for v in present):
        items = [i for v in present for i in v]  # type: ignore[union-attr]
        if items and all(isinstance(i, int) and not isinstance(i, bool) for i in items):
            return ":int[]"
        return ":string[]"
    return ""


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        # neo4j-admin has no escape for the array delimiter: keep it out of the items.
        return ARRAY_DELIMITER.join(str(i).replace(ARRAY_DELIMITER, "；") for i in value)
    return value


def _write_csv(path: Path, header: list[str], rows: Iterable[list[object]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([_cell(v) for v in row] for row in rows)
    return path


def write_import_csvs(out_dir: Path, graph: PropertyGraph) -> tuple[list[Path], list[Path]]:
    """Node and relationship CSVs for `neo4j-admin database import full`: (node files, relationship files)."""
    node_files: list[Path] = []
    for label in NODE_LABELS:
        rows = [r["props"] for r in graph.nodes.get(label, [])]
        if label == "Document":
            rows += [r["props"] for r in graph.nodes.get(STUB, [])]
        if not rows:
            continue
        keys = sorted({k for props in rows for k in props} - {"id"})
        header = [f"id:ID({label})"] + [k + _column_type([p.get(k) for p in rows]) for k in keys] + [":LABEL"]
        node_files.append(
            _write_csv(
                out_dir / f"nodes_{label}.csv",
                header,
                ([p["id"], *(p.get(k) for k in keys), label] for p in rows),
            )
        )
    rel_files: list[Path] = []
    for group, rel_rows in graph.relationships.items():
        keys = sorted({k for r in rel_rows for k in r["props"]})
        header = (
            [f":START_ID({group.src_label})", f":END_ID({group.dst_label})", ":TYPE"]
            + [k + _column_type([r["props"].get(k) for r in rel_rows]) for k in keys]
        )  # fmt: skip
        name = f"rels_{group.type}_{group.src_label}_{group.dst_label}.csv"
        rel_files.append(
            _write_csv(
                out_dir / name,
                header,
                ([r["src"], r["dst"], group.type, *(r["props"].get(k) for k in keys)] for r in rel_rows),
            )
        )
    return node_files, rel_files


def write_import_command(path: Path, node_files: list[Path], rel_files: list[Path]) -> Path:
    """A shell script running neo4j-admin on the CSVs (quotes may span lines: --multiline-fields)."""
    args = [f"--nodes={f.name}" for f in node_files] + [f"--relationships={f.name}" for f in rel_files]
    lines = [
        "#!/bin/sh",
        "# Bulk import into an EMPTY database (default: neo4j); run from this folder with the server stopped.",
        'cd "$(dirname "$0")"',
        "neo4j-admin database import full --overwrite-destination=true --multiline-fields=true \\",
        f"  --array-delimiter={shlex.quote(ARRAY_DELIMITER)} \\",
        *[f"  {shlex.quote(a)} \\" for a in args],
        '  "${1:-neo4j}"',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def export_extractions(
    out_dir: Path, extractions: list[IssueExtraction], batch_size: int = DEFAULT_BATCH_SIZE
) -> list[Path]:
    """Script (each issue's statements in turn) and CSVs (all issues combined) into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    statements = (s for x in extractions for s in issue_statements(x, batch_size))
    script = write_cypher_script(out_dir / SCRIPT_NAME, statements)
    graph = combine([build_property_graph(x) for x in extractions])
    return [script, *_write_bulk(out_dir, graph)]


def export_graph(out_dir: Path, graph: PropertyGraph, batch_size: int = DEFAULT_BATCH_SIZE) -> list[Path]:
    """Script and CSVs of a whole graph (e.g. read back from a store)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    script = write_cypher_script(out_dir / SCRIPT_NAME, graph_statements(graph, batch_size))
    return [script, *_write_bulk(out_dir, graph)]


def _write_bulk(out_dir: Path, graph: PropertyGraph) -> list[Path]:
    for old in [*out_dir.glob("nodes_*.csv"), *out_dir.glob("rels_*.csv")]:
        old.unlink()  # a label or type gone since the last export must not be imported again
    node_files, rel_files = write_import_csvs(out_dir, graph)
    command = write_import_command(out_dir / IMPORT_SCRIPT_NAME, node_files, rel_files)
    return [*node_files, *rel_files, command]
