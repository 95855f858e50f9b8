"""Layout invariance (metamorphic): the same document laid out again gives the same facts.

Each document of the sample issue and of the development set is re-laid-out (corpus/layouts.py):
indented with 　　 or spaces, wrapped at 20/30/33/45/80 characters, one line a paragraph with CRLF,
inside web-page furniture, and as PDFs with other margins, type size, indentation and running
header/footer, and as a saved web page, a Word file with automatic numbering and an OFD. Every variant must
give the same documents, tasks, units and roles, goals and deadlines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gazettekg.corpus.layouts import (
    PDF_LAYOUTS,
    TEXT_LAYOUTS,
    write_format_variants,
    write_pdf_variants,
    write_text_variants,
)
from gazettekg.extract.cleantext import clean_pages
from gazettekg.extract.pages import read_pages
from gazettekg.extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "eval" / "dev" / "raw"
INPUTS = [ROOT / "corpus" / "gazette-2022-01.txt", *sorted(DEV.glob("*.txt"))]
METADATA_KEYS = {"number": "发文字号", "title": "标题", "issuer": "发文机关", "date": "成文日期"}


def facts(path: Path) -> tuple[list, set, list]:
    x = extract_file(path)
    documents = [(d.doc_id, d.notice_title, d.title, d.issuer, d.date) for d in x.documents]
    assignments = {(a.doc_id, a.task_title, a.surface, a.role) for a in x.assignments}
    goals_and_times = sorted([(t.doc_id, t.value, t.unit, t.comparator, t.target_year) for t in x.targets]
                             + [(d.doc_id, d.kind, d.start or "", d.end or "", "") for d in x.deadlines])
    return documents, assignments, goals_and_times


def relaid_text(path: Path) -> str:
    """The document's clean text, with the metadata its original printed beside it as key lines."""
    source = clean_pages(read_pages(path), path.name)
    meta = [f"{METADATA_KEYS[k]}：{v}" for k, v in source.metadata.items() if k in METADATA_KEYS]
    return "\n".join([*meta, source.text])


@pytest.fixture(scope="module", params=INPUTS, ids=lambda p: p.stem[:20])
def document(request, tmp_path_factory):
    path = request.param
    folder = tmp_path_factory.mktemp(path.stem[:20])
    text = relaid_text(path)
    variants = {**write_text_variants(text, folder, "v"), **write_pdf_variants(text, folder, "v"),
                **write_format_variants(text, folder, "v")}
    return path, variants


@pytest.mark.parametrize("layout", [*TEXT_LAYOUTS, *PDF_LAYOUTS, "html", "docx", "ofd"])
def test_every_layout_gives_the_same_facts(document, layout):
    original, variants = document
    expected_documents, expected_assignments, expected_numbers = facts(original)
    documents, assignments, numbers = facts(variants[layout])
    assert documents == expected_documents
    assert assignments == expected_assignments
    assert numbers == expected_numbers
    assert expected_assignments or original.stem.startswith("gazette")  # every development document has tasks
