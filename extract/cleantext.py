"""Pages -> clean text: furniture and metadata out, hard-wrapped lines rejoined into paragraphs.

The same document arrives wrapped at a page's measure (PDF text, a re-wrapped .txt), one line per
paragraph (web pages, Word), indented with 　　 or spaces, with or without empty lines between
paragraphs. The clean text is the same in every case: one paragraph a line.

Whether a text is hard-wrapped is read from the text itself: many lines run to one measure, and
such full lines end mid-sentence (a paragraph written on one line ends with 。). In wrapped text a
line break ends a paragraph when the next line opens a heading (一、 （一） 1． 第X条 专栏N 附件N),
a signature date or a 发文字号, when the line stops short of the measure, or when the layout says
so — the next line is indented, or an empty line comes before it — in texts where indentation or
empty lines mark paragraphs rather than every line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wcwidth import wcswidth

from gazettekg.extract.furniture import split_furniture
from gazettekg.records import LineLayout, Page, SourceText

HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、"
    r"|[（(][一二三四五六七八九十百]+[）)]"
    r"|[（(]\d{1,3}[）)]"
    r"|\d{1,3}(?:[．、﹒]|\.(?!\d))"
    r"|第[一二三四五六七八九十百零〇]+[条章节部分]"
    r"|专栏\s*\d"
    r"|附件\s*\d*\s*$"
    r"|附件\s*[：:]"
    r"|——)"
)
SENTENCE_END = re.compile(r"[。！？；：:;!?][”’）)〕\]]*$|[）)〕]$")
# A line that is nothing but punctuation: Word exports put a 、 or 。 on a line of its own.
PUNCTUATION_ONLY = re.compile(r"^[，。、；：！？,.;:!?”’）)〕】》]+$")


def display_width(line: str) -> int:
    width = wcswidth(line)
    return width if width >= 0 else len(line) * 2


SIGN_DATE_LINE = re.compile(
    r"^(?:(?:19|20)\d{2}|[二〇一二三四五六七八九零○]{4})\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$"
)


NUMBER_LINE = re.compile(
    r"^[（(]?[\u4e00-\u9fff]{1,12}\s*[〔［\[]\s*\d{4}\s*[〕］\]]\s*第?\s*\d{1,4}\s*号[）)]?$|^第\s*\d{1,5}\s*号$"
)


@dataclass(frozen=True, slots=True)
class _Line:
    page: int
    text: str
    layout: LineLayout
    width: int
    chars: int


@dataclass(frozen=True, slots=True)
class Measure:
    """The full line of a wrapped text, in display cells and in characters."""

    width: int
    chars: int

    def full(self, line: _Line, slack: float = 0.0) -> bool:
        return (line.width >= self.width * (0.92 - slack)) or (line.chars >= self.chars * (0.95 - slack))

    def brimful(self, line: _Line) -> bool:
        """Run to the very measure: a stop at its end may still be mid-paragraph."""
        return line.width >= self.width - 2 or line.chars >= self.chars


# A paragraph's first-line indent is two or so characters; a line pushed further is centred or
# right-aligned (titles, signatures) and short whatever its position.
_PARAGRAPH_INDENT_MAX = 4


def _line(page: int, text: str, layout: LineLayout) -> _Line:
    """A line with its extent; an indented first line counts its indent, so it is as full as the rest."""
    indent = layout.indent if layout.indent <= _PARAGRAPH_INDENT_MAX else 0
    return _Line(page, text, layout, display_width(text) + round(indent * 2), len(text) + round(indent))


def _percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0


def measure_of(lines: list[_Line]) -> Measure:
    """The width of a full body line: a high percentile, robust to a few long outliers."""
    return Measure(_percentile([line.width for line in lines], 0.9), _percentile([line.chars for line in lines], 0.9))


def is_hard_wrapped(lines: list[_Line], measure: Measure) -> bool:
    """Whether lines are wrapped at a measure (PDF text, re-wrapped text) or whole paragraphs.

    In wrapped text many lines run to the measure and most of those end mid-sentence; a paragraph
    written on one line ends with its stop, however long it is.
    """
    if len(lines) < 3 or measure.width <= 0:
        return False
    full = [line for line in lines if measure.full(line)]
    open_ended = sum(1 for line in full if not SENTENCE_END.search(line.text))
    # Many short lines (a table one cell a line) may stand between the wrapped paragraphs.
    return open_ended >= max(3, 0.08 * len(lines)) and open_ended >= 0.3 * len(full)


def _layout_marks_paragraphs(lines: list[_Line]) -> tuple[float | None, bool]:
    """(indentation that marks a paragraph start or None, whether empty lines mark them).

    A signal counts only where it is selective: when (nearly) every line is indented, or an empty
    line follows every line (text extracted from a double-spaced PDF), it says nothing. A text of
    many short paragraphs (a table flattened one cell a line) indents most of its lines, and still
    its continuation lines are the ones at the margin.
    """
    if not lines:
        return None, False
    base = min(line.layout.indent for line in lines)
    # Only a paragraph-sized indent counts: centred and right-aligned lines are pushed much further.
    indented = sum(1 for line in lines if base + 1 <= line.layout.indent <= base + _PARAGRAPH_INDENT_MAX)
    at_margin = sum(1 for line in lines if line.layout.indent < base + 1)
    gaps = sum(1 for line in lines if line.layout.gap_before)
    gap_selective = gaps >= max(3, 0.02 * len(lines)) and len(lines) - gaps >= max(2, 0.05 * len(lines))
    selective = indented >= max(3, 0.02 * len(lines)) and at_margin >= max(2, 0.05 * len(lines))
    indent_marks = base + 1 if selective else None
    return indent_marks, gap_selective


def breaks_paragraph(prev: _Line, nxt: _Line, after: _Line | None, measure: Measure,
                     indent_mark: float | None, gap_marks: bool) -> bool:
    """Whether the line break between ``prev`` and ``nxt`` ends a paragraph (``after`` follows ``nxt``)."""
    if PUNCTUATION_ONLY.match(nxt.text):
        return False
    if HEADING_START.match(nxt.text) or SIGN_DATE_LINE.match(nxt.text) or NUMBER_LINE.match(nxt.text) \
            or NUMBER_LINE.match(prev.text):
        return True
    if indent_mark is not None and nxt.layout.indent >= indent_mark:
        return True
    if gap_marks and nxt.layout.gap_before:
        return True
    if not measure.full(prev, slack=0.17):
        return True
    # Where indents or gaps mark paragraphs, a nearly full line ending a sentence runs on unless they
    # say otherwise (except across a page break, where the next line's gap is unknown).
    marked = (indent_mark is not None or gap_marks) and nxt.page == prev.page
    full = measure.full(prev) if marked else measure.brimful(prev)
    if SENTENCE_END.search(prev.text) and (not full or (after is not None and SIGN_DATE_LINE.match(after.text))):
        return True
    return False


_TITLE_END = re.compile(r"的(?:通知|意见|决定|批复|通报|公告|通告)$")


def _title_block_starts(lines: list[_Line]) -> set[int]:
    """Lines that open a notice's title block: within the three lines above a 发文字号, the first
    line after a sentence stop. A title never holds a stop, so a wrap that glued the title to the
    end of the paragraph before it is undone here."""
    starts = set()
    for j, line in enumerate(lines):
        if not NUMBER_LINE.match(line.text):
            continue
        for k in range(j - 1, max(0, j - 4), -1):
            if re.search(r"[。；！？]", lines[k].text):
                break
            if k and (re.search(r"[。；！？][”’）)]*$", lines[k - 1].text) or _TITLE_END.search(lines[k - 1].text)):
                starts.add(k)  # after a sentence, or after a headline printed above the title
                break
    return starts


def clean_pages(pages: list[Page], name: str) -> SourceText:
    """Join the pages' lines into paragraphs separated by "\\n", with a page map and the metadata."""
    raw = [(page.number, text, layout) for page in pages for text, layout in page.lines() if text]
    metadata, kept = split_furniture([text for _, text, _ in raw])
    lines = [_line(page, text, layout) for page, text, layout in (raw[i] for i in kept)]
    measure = measure_of(lines)
    wrapped = is_hard_wrapped(lines, measure)
    indent_mark, gap_marks = _layout_marks_paragraphs(lines) if wrapped else (None, False)
    title_starts = _title_block_starts(lines) if wrapped else set()
    first_page = pages[0].number if pages else 1
    page_starts: list[int] = []
    parts: list[str] = []
    length = 0
    for i, line in enumerate(lines):
        if i:
            after = lines[i + 1] if i + 1 < len(lines) else None
            if PUNCTUATION_ONLY.match(line.text) or (PUNCTUATION_ONLY.match(lines[i - 1].text)
                                                     and not SENTENCE_END.search(lines[i - 1].text)):
                sep = ""  # a stray 、 or ， joins both its neighbours
            elif wrapped:
                sep = "\n" if i in title_starts or breaks_paragraph(lines[i - 1], line, after, measure,
                                                                    indent_mark, gap_marks) else ""
            else:
                sep = "\n"
            parts.append(sep)
            length += len(sep)
        # Printed page numbers may skip (a footer lost in extraction): pad so that
        # page_starts[k] is always the start of page first_page + k.
        while len(page_starts) <= line.page - first_page:
            page_starts.append(length)
        parts.append(line.text)
        length += len(line.text)
    return SourceText(name=name, text="".join(parts), page_starts=page_starts or [0], first_page=first_page,
                      metadata=metadata)
