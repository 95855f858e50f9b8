"""Pages -> clean text: rejoin hard-wrapped lines, keep paragraph and heading boundaries.

A PDF line break inside a Chinese sentence is neither a space nor a paragraph
break. A break is kept when the next line opens a heading (一、 （一） 1． 第X条
专栏N 附件N), or when the line ends short of the page's full measure — either
a sentence-final stop on a shortened line, or a clearly short line (titles,
signature, dates).
"""

from __future__ import annotations

import re

from wcwidth import wcswidth

from gazettekg.records import Page, SourceText

HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+、"
    r"|[（(][一二三四五六七八九十百]+[）)]"
    r"|[（(]\d{1,3}[）)]"
    r"|\d{1,3}(?:．|、|\.(?!\d))"
    r"|第[一二三四五六七八九十百零〇]+[条章节]"
    r"|专栏\s*\d"
    r"|附件\s*\d*\s*$"
    r"|附件\s*[：:]"
    r"|——)"
)
SENTENCE_END = re.compile(r"[。！？；：:;!?][”’）)〕\]]*$|[）)〕]$")


def display_width(line: str) -> int:
    width = wcswidth(line)
    return width if width >= 0 else len(line) * 2


def full_measure(lines: list[str]) -> int:
    """The width of a full body line: a high percentile, robust to a few long outliers."""
    widths = sorted(display_width(line) for line in lines if line)
    if not widths:
        return 0
    return widths[int(len(widths) * 0.9)]


SIGN_DATE_LINE = re.compile(
    r"^(?:(?:19|20)\d{2}|[二〇一二三四五六七八九零○]{4})\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$"
)


NUMBER_LINE = re.compile(
    r"^[\u4e00-\u9fff]{1,12}\s*[〔［\[]\s*\d{4}\s*[〕］\]]\s*第?\s*\d{1,4}\s*号$|^第\s*\d{1,5}\s*号$"
)


def is_hard_wrapped(lines: list[str], measure: int) -> bool:
    """Whether lines are wrapped at a page measure (PDF text) or are whole paragraphs already.

    In wrapped text most lines run to within a few cells of the full measure; in
    text with one paragraph a line, line widths scatter.
    """
    if not lines or measure <= 0:
        return False
    near = sum(1 for line in lines if abs(display_width(line) - measure) <= max(6, measure * 0.08))
    return near >= 0.3 * len(lines)


def breaks_paragraph(prev: str, nxt: str, after: str, measure: int) -> bool:
    """Whether the line break between ``prev`` and ``nxt`` ends a paragraph (``after`` follows ``nxt``)."""
    if HEADING_START.match(nxt) or SIGN_DATE_LINE.match(nxt) or NUMBER_LINE.match(nxt) or NUMBER_LINE.match(prev):
        return True
    width = display_width(prev)
    if width < measure * 0.75:
        return True
    if SENTENCE_END.search(prev) and (width <= measure - 6 or SIGN_DATE_LINE.match(after)):
        return True
    return False


def clean_pages(pages: list[Page], name: str) -> SourceText:
    """Join the pages' lines into paragraphs separated by "\\n", with a page map."""
    lines = [(page.number, line) for page in pages for line in page.text.split("\n") if line]
    measure = full_measure([line for _, line in lines])
    wrapped = is_hard_wrapped([line for _, line in lines], measure)
    first_page = pages[0].number if pages else 1
    page_starts: list[int] = []
    parts: list[str] = []
    length = 0
    for i, (number, line) in enumerate(lines):
        if i:
            after = lines[i + 1][1] if i + 1 < len(lines) else ""
            sep = "\n" if not wrapped or breaks_paragraph(lines[i - 1][1], line, after, measure) else ""
            parts.append(sep)
            length += len(sep)
        # Printed page numbers may skip (a footer lost in extraction): pad so that
        # page_starts[k] is always the start of page first_page + k.
        while len(page_starts) <= number - first_page:
            page_starts.append(length)
        parts.append(line)
        length += len(line)
    return SourceText(name=name, text="".join(parts), page_starts=page_starts or [0], first_page=first_page)
