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
        if show == "summary":
            click.echo(f"{len(done)} input(s) -> {out}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        elif show == "leads":
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
    click.echo(render_table(["牵头单位", "文件", "条目", "任务"], sorted(rows)))


# ---- graph commands ----


# ---- property graph commands ----
