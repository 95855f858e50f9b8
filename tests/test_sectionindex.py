"""The section index answers as a walk over the heading tree does, for every offset."""

from __future__ import annotations

from pathlib import Path

from gazettekg.extract.cleantext import clean_pages
from gazettekg.extract.documents import split_documents
from gazettekg.extract.headings import build_sections
from gazettekg.extract.pages import read_pages
from gazettekg.extract.sectionindex import section_index

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "gazette-2022-01.txt"


def walked(doc, offset):
    """The innermost node holding ``offset``, and all that hold it, by walking the whole tree."""
    holding = [s for s in doc.walk() if s.start <= offset < s.end]
    holding.sort(key=lambda s: s.end - s.start)
    return holding


def test_the_index_agrees_with_a_walk_at_every_offset_of_the_sample():
    source = clean_pages(read_pages(SAMPLE), SAMPLE.name)
    for doc in split_documents(source):
        doc.sections = build_sections(source, doc)
        index = section_index(doc)
        for offset in range(doc.start, doc.end, 7):
            holding = walked(doc, offset)
            assert index.deepest(offset) is (holding[0] if holding else None)
            assert index.enclosing(offset) == holding


def test_a_new_heading_tree_gets_a_new_index():
    source = clean_pages(read_pages(SAMPLE), SAMPLE.name)
    doc = split_documents(source)[0]
    doc.sections = build_sections(source, doc)
    first = section_index(doc)
    doc.sections = []
    assert section_index(doc) is not first
    assert section_index(doc).deepest(doc.start + 100) is None
