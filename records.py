"""Typed records passed between the pipeline stages.

input file -> Page -> SourceText (clean text + page map) -> Document -> Section tree
-> facts (Assignment, Duty, Deadline, Target, Rule) -> graph.

Every offset is a character offset into ``SourceText.text`` of the issue the fact
came from, so a quote is always ``source.text[start:end]``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class LineLayout:
    """How one line sat on its page: the signals that mark a paragraph start in wrapped text."""

    indent: float = 0.0  # leading indentation in character cells (U+3000 = 1, ASCII space = 0.5)
    gap_before: bool = False  # an empty line (text) or a wide vertical gap (PDF) above it


@dataclass(frozen=True, slots=True)
class Page:
    """One page of an input as extracted: its body lines, running header and footer removed.

    ``layout`` holds one LineLayout per line of ``text`` when the reader knows it (empty otherwise).
    """

    number: int  # 1-based page number within the input file
    text: str
    layout: tuple[LineLayout, ...] = field(default=(), compare=False)

    def lines(self) -> list[tuple[str, LineLayout]]:
        texts = self.text.split("\n")
        layout = self.layout if len(self.layout) == len(texts) else (LineLayout(),) * len(texts)
        return list(zip(texts, layout, strict=True))


@dataclass(slots=True)
class SourceText:
    """The clean text of one input: headers/footers gone, hard wraps rejoined.

    ``page_starts[i]`` is the offset in ``text`` where page ``first_page + i``
    begins (printed page numbers when the input has them).
    """

    name: str  # the input's file name, used in provenance and error messages
    text: str
    page_starts: list[int] = field(default_factory=lambda: [0])
    first_page: int = 1  # the number of the page page_starts[0] belongs to
    # Document metadata printed outside the text proper (a gov.cn 索引号/发文字号 table, a Markdown
    # front-matter block, 【发布文号】 lines): keys number, title, issuer, date, published.
    metadata: dict[str, str] = field(default_factory=dict)

    def page_at(self, offset: int) -> int:
        return self.first_page + max(0, bisect.bisect_right(self.page_starts, offset) - 1)

    def pages(self, start: int, end: int) -> list[int]:
        return list(range(self.page_at(start), self.page_at(max(start, end - 1)) + 1))


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact was read: document, heading path, pages, span and exact quote."""

    doc_id: str
    path: str  # heading path, e.g. "三.（一）.1"; "" for the document body itself
    start: int
    end: int
    quote: str
    pages: tuple[int, ...] = ()
    source: str = ""  # input file name

    @classmethod
    def of(cls, source: SourceText, doc_id: str, path: str, start: int, end: int) -> Provenance:
        """The span ``[start, end)`` of ``source``; one longer than MAX_QUOTE is cut to its opening
        MAX_QUOTE characters (still exact), so that a text without line or sentence breaks cannot
        make every fact carry pages of it."""
        end = min(end, start + MAX_QUOTE)
        return cls(doc_id, path, start, end, source.text[start:end], tuple(source.pages(start, end)), source.name)


MAX_QUOTE = 1000  # characters; a clause or a table row is far shorter, a whole document is not quoted


@dataclass(slots=True)
class Section:
    """A node of a document's heading tree (GB/T 9704 numbering, 第X条, 专栏N, 附件N)."""

    path: str  # "三.（一）.1"
    label: str  # the number as printed: "一", "（一）", "1", "（1）", "第五条", "专栏1", "附件1"
    level: str  # "chapter" 一、 | "section" （一） | "item" 1． | "subitem" （1） | "article" | "box" | "annex"
    title: str  # heading text without its number (first sentence when the heading runs on)
    start: int  # start of the heading line
    end: int  # end of the section's body (exclusive)
    title_start: int = 0
    title_end: int = 0
    children: list[Section] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class Document:
    """One policy document of an issue, with the notice that issues it."""

    doc_id: str  # 发文字号 when it has one, else its title
    number: str | None  # 发文字号 as printed, e.g. "渝府办发〔2021〕156号"
    notice_title: str
    title: str
    issuer: str
    date: str | None  # ISO signing date
    recipients: str
    attachments: list[str]
    supersedes: list[str]
    cites: list[str]
    start: int  # span of the whole document (notice + body + attachments) in the issue text
    end: int
    body_start: int  # where the document's own title / body begins
    sections: list[Section] = field(default_factory=list)  # top-level heading nodes
    issuer_id: str | None = None  # the issuing body as an agency id, resolved by the pipeline

    def walk(self):
        for s in self.sections:
            yield from s.walk()


@dataclass(frozen=True, slots=True)
class Agency:
    """A canonical organisation: one node of the graph, whatever spelling a text uses."""

    id: str  # normalized key, stable across ingests
    name: str  # canonical official name
    short_name: str
    kind: str  # municipal_department | central_ministry | central_branch | financial_institution |
    # district_government | government | collective | state_enterprise | coordinating_body | other
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # id of the parent body


@dataclass(frozen=True, slots=True)
class Assignment:
    """A task made the responsibility of an agency."""

    doc_id: str
    task_path: str
    task_title: str
    agency_id: str
    surface: str  # the agency as written
    role: str  # "lead" | "support"
    lead_basis: str  # "marked" (牵头/会同 says so) | "first_listed" (GB/T 9704 order) | "" for support
    rank: int  # position in the clause, 1-based
    basis: str  # "explicit" | "implicit"
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Duty:
    """A responsibility stated in prose (X负责Y, 召集人, 办公室设在X ...)."""

    doc_id: str
    where: str  # heading path
    agency_id: str
    surface: str
    role: str  # responsible | lead | cooperate | convener | deputy_convener | member |
    # office_director | office_host | first_responsible
    with_agencies: tuple[str, ...]
    duty: str
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Deadline:
    doc_id: str
    where: str
    what: str
    expr: str  # as written
    kind: str  # by | period | recurring | duration
    start: str | None
    end: str | None
    recurrence: str | None  # monthly | quarterly | yearly
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Target:
    doc_id: str
    where: str
    indicator: str
    subject: str
    value: str  # as printed (half-width digits)
    value_max: str | None
    unit: str
    comparator: str  # > | >= | <= | approx | =
    baseline: str | None
    baseline_year: int | None
    target_year: int | None
    attribute: str | None  # 预期性 | 约束性
    hedge: str | None  # 力争 | 争取
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class Rule:
    """A quantitative limit that is not a goal: subsidy caps, rates, terms."""

    doc_id: str
    where: str
    what: str
    value: str
    unit: str
    comparator: str
    provenance: Provenance


@dataclass(slots=True)
class IssueExtraction:
    """Everything read from one input file."""

    source: SourceText
    issue: str  # the gazette issue's title ("重庆市人民政府公报2022年第1期") or the file's stem
    documents: list[Document]
    agencies: dict[str, Agency]
    assignments: list[Assignment]
    duties: list[Duty] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
