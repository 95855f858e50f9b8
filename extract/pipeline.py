"""The extraction pipeline: one input file -> IssueExtraction.

read_pages (I/O) -> clean_pages -> split_documents -> build_sections ->
find_assignments / find_duties / find_deadlines / find_targets. Every stage
after the first is a pure function of the records before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from gazettekg.extract.agencies import Resolver, default_registry, jurisdiction_of
from gazettekg.extract.assignments import find_assignments
from gazettekg.extract.cleantext import clean_pages
from gazettekg.extract.deadlines import find_deadlines
from gazettekg.extract.documents import split_documents
from gazettekg.extract.duties import find_duties
from gazettekg.extract.errors import InputError
from gazettekg.extract.headings import build_sections
from gazettekg.extract.pages import read_issue_title, read_pages
from gazettekg.extract.targets import find_targets
from gazettekg.records import Agency, IssueExtraction, Page, SourceText

# The most text one input may hold: a 1,000-page issue has about a million characters. Extraction
# runs in linear time (benchmarks/bench_linear.py: ~5 s per MB on the worst, stopless text), so this
# also bounds one input's time; a bigger file is more likely a dump than one issue.
MAX_CHARS = 2_000_000
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def extract_file(path: Path, engine: str = "pdfium", max_chars: int = MAX_CHARS, ocr: str = "auto",
                 on_ocr_page: Callable[[int, int], object] | None = None, strict: bool = False) -> IssueExtraction:
    """Read one gazette issue or policy document (PDF, Word, OFD, web page, Markdown or text) and
    extract its facts; PDF pages without a text layer are recognised by OCR (``ocr``, see
    extract.pages.read_pages). Raises InputError for a file that cannot be read or holds more than
    ``max_chars`` characters of text, or, with ``strict``, a PDF that was damaged."""
    path = Path(path)
    _check_size(path, max_chars)
    pages = read_pages(path, engine=engine, ocr=ocr, on_ocr_page=on_ocr_page, strict=strict)
    try:
        return extract_pages(pages, path.name, read_issue_title(path) or path.stem, max_chars)
    except InputError as error:
        # The later stages know the file by its name (provenance); the error names it as given.
        raise InputError(str(path), error.reason) from None


def _check_size(path: Path, max_chars: int) -> None:
    """Refuse an oversized text file before reading it (a PDF or Word file is judged by its text)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return  # read_pages reports it
    if not head.lstrip().startswith(_BINARY_MAGIC) and size > 4 * max_chars:
        raise InputError(str(path), f"too large for one issue: {size / 1e6:.1f} MB of text (the limit is "
                                    f"{max_chars:,} characters; split the file, or raise it with --max-chars)")


def extract_pages(pages: list[Page], name: str, issue: str, max_chars: int = MAX_CHARS) -> IssueExtraction:
    total = sum(len(page.text) for page in pages)
    if total > max_chars:
        raise InputError(name, f"too large for one issue: {total:,} characters of text (the limit is "
                               f"{max_chars:,}; split the file, or raise it with --max-chars)")
    source = clean_pages(pages, name)
    if not source.text.strip():
        raise InputError(name, "no text found")
    return extract_source(source, issue)


def extract_source(source: SourceText, issue: str) -> IssueExtraction:
    documents = split_documents(source)
    if not documents:
        raise InputError(source.name, "no document found in the text")
    registry = default_registry()
    agencies: dict[str, Agency] = {}
    result = IssueExtraction(source=source, issue=issue, documents=documents, agencies=agencies,
                             assignments=[])
    for doc in documents:
        doc.sections = build_sections(source, doc)
        resolver = Resolver(registry, jurisdiction_of(doc.issuer))
        result.assignments.extend(find_assignments(source, doc, resolver))
        result.duties.extend(find_duties(source, doc, resolver))
        result.deadlines.extend(find_deadlines(source, doc))
        targets, rules = find_targets(source, doc)
        result.targets.extend(targets)
        result.rules.extend(rules)
        doc.issuer_id = resolver.resolve(doc.issuer) if doc.issuer else None
        used = {a.agency_id for a in result.assignments} | {d.agency_id for d in result.duties}
        if doc.issuer_id:
            used.add(doc.issuer_id)
        for agency_id in used:
            if agency_id in registry.agencies or agency_id in resolver.created:
                agencies.setdefault(agency_id, resolver.agency(agency_id))
        # A document's own definitions (（以下简称集团公司）) are aliases of the entity, kept for search;
        # they never resolve names in other documents.
        for alias, agency_id in resolver.local.items():
            agency = agencies.get(agency_id)
            if agency and alias not in agency.aliases and alias not in (agency.name, agency.short_name):
                agencies[agency_id] = replace(agency, aliases=(*agency.aliases, alias))
    return result
