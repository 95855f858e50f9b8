"""graph/store.py: idempotent, incremental ingest into Oxigraph with one named graph per issue."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path

import pytest

from gazettekg.graph.ids import iri
from gazettekg.graph.store import GraphStore, sha256_of
from gazettekg.tests.graph_samples import STATE_COUNCIL_TEXT, later_issue, state_council_issue

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "gazette-2022-01.txt"


@pytest.fixture(scope="session")
def sample_extraction():
    from gazettekg.extract.pipeline import extract_file

    return extract_file(SAMPLE)


def _count(store: GraphStore, pattern: str) -> int:
    _, rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    return rows[0][0]


def test_reingesting_an_issue_changes_nothing() -> None:
    store = GraphStore()
    first = store.ingest(state_council_issue())
    size = len(store)
    again = store.ingest(state_council_issue())
    assert len(store) == size == first.triples == again.triples
    assert store.issue_graphs() == [iri("issue", "国务院公报2022年第9号")]


def test_reingesting_the_sample_changes_nothing(sample_extraction) -> None:
    store = GraphStore()
    store.ingest(sample_extraction)
    size = len(store)
    store.ingest(sample_extraction)
    assert len(store) == size > 1000


def test_a_changed_issue_replaces_its_graph_without_leftovers() -> None:
    store = GraphStore()
    store.ingest(state_council_issue())
    full = _count(store, "?a a gkg:Assignment")
    smaller = state_council_issue()
    smaller.assignments = smaller.assignments[:2]
    store.ingest(smaller)
    assert full == 6
    assert _count(store, "?a a gkg:Assignment") == 2


def test_a_second_issue_links_to_the_same_agencies_and_the_superseded_document() -> None:
    store = GraphStore()
    store.ingest(state_council_issue())
    store.ingest(later_issue())
    ministry = f"<{iri('agency', 'mohurd')}>"
    # The agency is one node, described once, whichever issues name it.
    assert _count(store, f"{ministry} skos:prefLabel ?name") == 1
    assert _count(store, f"{ministry} gkg:leads|gkg:supports ?task") == 3
    old = f"<{iri('doc', '国办发〔2022〕12号')}>"
    assert _count(store, f"?new gkg:supersedes {old} . {old} eli:title ?title") == 1
    # The superseded document's identity is shared, not duplicated by the stub of the later issue.
    assert _count(store, f"{old} gkg:key ?key") == 1


def test_an_issue_read_before_the_one_it_supersedes_keeps_a_stub_then_the_full_document() -> None:
    store = GraphStore()
    store.ingest(later_issue())
    old = f"<{iri('doc', '国办发〔2022〕12号')}>"
    assert _count(store, f"{old} a gkg:Document") == 1
    assert _count(store, f"{old} eli:title ?t") == 0
    store.ingest(state_council_issue())
    assert _count(store, f"{old} eli:title ?t") == 1
    assert _count(store, f"{old} a gkg:Document") == 1


def test_manifest_skips_unchanged_inputs_and_survives_reopening(tmp_path: Path) -> None:
    source = tmp_path / "gwy-2022-09.txt"
    source.write_text(STATE_COUNCIL_TEXT, encoding="utf-8")
    calls: list[Path] = []

    def extract(path: Path):
        calls.append(path)
        x = state_council_issue()
        x.source = dataclasses.replace(x.source, name=path.name)
        return x

    store = GraphStore(tmp_path / "store")
    result, extraction = store.ingest_file(source, extract)
    assert not result.skipped and extraction is not None
    size = len(store)
    store.flush()
    del store
    gc.collect()  # release the RocksDB lock before reopening

    reopened = GraphStore(tmp_path / "store")
    assert len(reopened) == size
    assert reopened.manifest[str(source.resolve())]["sha256"] == sha256_of(source)
    skipped, nothing = reopened.ingest_file(source, extract)
    assert skipped.skipped and nothing is None
    assert len(calls) == 1

    source.write_text(STATE_COUNCIL_TEXT + "\n", encoding="utf-8")
    changed, _ = reopened.ingest_file(source, extract)
    assert not changed.skipped
    assert len(calls) == 2
    assert len(reopened) == size


def test_the_union_of_graphs_holds_every_triple_once() -> None:
    store = GraphStore()
    for x in (state_council_issue(), later_issue(), state_council_issue()):
        store.ingest(x)
    everything = _count(store, "?s ?p ?o")
    distinct = _count(store, "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert everything == distinct


def test_one_document_from_two_sources_is_stored_once(tmp_path: Path) -> None:
    """The sample PDF, then its text with the running header gone (so the issue key becomes the file
    name): two issues, the same four documents — named queries must not multiply."""
    from gazettekg.extract.cleantext import clean_pages
    from gazettekg.extract.pages import read_pages
    from gazettekg.extract.pipeline import extract_file
    from gazettekg.queries import load as load_query

    pdf = SAMPLE.with_suffix(".pdf")
    headerless = tmp_path / "copy-from-a-colleague.txt"
    headerless.write_text(clean_pages(read_pages(pdf), pdf.name).text, encoding="utf-8")
    first, second = extract_file(pdf), extract_file(headerless)
    assert first.issue != second.issue
    assert [d.doc_id for d in first.documents] == [d.doc_id for d in second.documents]

    store = GraphStore(tmp_path / "store")
    store.ingest(first, source=pdf)
    leads = len(store.query(load_query("leads"))[1])
    size = len(store)
    store.ingest(second, source=headerless)
    assert len(store.query(load_query("leads"))[1]) == leads > 50
    assert _count(store, "?s ?p ?o") == _count(store, "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(store) <= size + 50  # the second issue adds its issue node and links, not the documents again
    assert len(store.issue_graphs()) == 2

    store.remove(headerless)  # the PDF still holds the documents
    assert len(store.query(load_query("leads"))[1]) == leads
    store.remove(pdf)
    assert _count(store, "?a a gkg:Assignment") == 0


def test_the_pdf_and_its_headerless_text_give_the_same_leads_in_both_languages(tmp_path: Path) -> None:
    import pytest
    from click.testing import CliRunner

    from gazettekg.cli import main
    from gazettekg.extract.cleantext import clean_pages
    from gazettekg.extract.pages import read_pages
    from gazettekg.graph import falkor

    if not falkor.available():
        pytest.skip("FalkorDBLite is not installed")
    pdf = SAMPLE.with_suffix(".pdf")
    headerless = tmp_path / "copy.txt"
    headerless.write_text(clean_pages(read_pages(pdf), pdf.name).text, encoding="utf-8")
    runner = CliRunner()
    store = str(tmp_path / "store")
    counts = []
    for inputs in ([pdf], [pdf, headerless]):
        assert runner.invoke(main, ["ingest", *map(str, inputs), "--store", store]).exit_code == 0
        for lang in ("sparql", "cypher"):
            done = runner.invoke(main, ["query", "leads", "--lang", lang, "--format", "json", "--store", store])
            assert done.exit_code == 0, done.output
            counts.append(sum(line.startswith("{") for line in done.output.splitlines()))
    assert len(set(counts)) == 1 and counts[0] > 50, counts
