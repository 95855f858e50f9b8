"""Deadlines: time limits, scheduled periods, recurring duties and durations of one document.

Every time expression of the document (``extract.timeexpr``) becomes a ``Deadline`` unless it
is not a limit on anybody: signing dates, dates inside titles (《…》) and headers, historical
facts (before the document's date, or in a background chapter such as 发展环境), and statements
*about* a period (“十四五”时期是…).  A deadline belongs to the deepest heading it is written
under; when it sits in the heading itself (a phase of a schedule: ``（二）深化排查（2022 年 1 月至
3 月底）``) the task is that heading's title.
"""

from __future__ import annotations

import re
from datetime import date

from gazettekg.extract.documents import paragraphs
from gazettekg.extract.numbers import half_width
from gazettekg.extract.sectionindex import section_index
from gazettekg.extract.tables import find_tables, table_tasks
from gazettekg.extract.timeexpr import PlanPeriod, TimeExpr, find_time_exprs, plan_period
from gazettekg.records import Deadline, Document, Provenance, Section, SourceText

# Chapters that look back rather than forward: their dates and numbers are facts, not duties.
BACKGROUND_TITLE = re.compile(r"发展环境|发展基础|发展现状|现状|形势|回顾|成就|背景|基本情况|取得的成效|工作成效")
# The header row of an indicator table: two or more year columns (2020年 2025年 [属性]).
TABLE_HEADER = re.compile(r"(?:\d{4}\s*年[^\n\d]{0,6}\s+){1,4}(?P<last>\d{4})\s*年")
SENTENCE_STOP = "。；！？\n"
CLAUSE_STOP = "，。；！？：\n"
HEADING_NUMBER = re.compile(r"[（(]?[一二三四五六七八九十\d]{1,3}[）)、．.]?")
# A line that is nothing but a date: the signature block.
DATE_LINE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
# “十四五”时期是… talks about the period rather than setting anything within it.
ABOUT_PERIOD = re.compile(r"^[”\"]?\s*(?:是|为|以来|初期|开局)")


def background_sections(doc: Document) -> list[Section]:
    """The sections whose title marks them as background (发展环境, 现状与形势 …)."""
    return [s for s in doc.walk() if BACKGROUND_TITLE.search(s.title or "") and len(s.title) <= 16]


def deepest_section(doc: Document, offset: int) -> Section | None:
    """The innermost heading node whose span holds ``offset``."""
    return section_index(doc).deepest(offset)


def inside_title_marks(text: str, offset: int, line_start: int) -> bool:
    """True when ``offset`` sits inside 《…》 on its line (a cited title, not a duty)."""
    prefix = text[line_start:offset]
    return prefix.count("《") > prefix.count("》")


# How far a span grows at most on each side: a sentence is rarely longer, and text without any
# stop (a pasted table, a garbled page) must not make each expression scan the whole line.
_MAX_REACH = 240


def span_of(text: str, start: int, end: int, stops: str, lo: int, hi: int) -> tuple[int, int]:
    """Grow ``[start, end)`` to the nearest stop characters on both sides within ``[lo, hi)``."""
    lo, hi = max(lo, start - _MAX_REACH), min(hi, end + _MAX_REACH)
    if lo < 0 or hi > len(text):
        return _span_of_stepwise(text, start, end, stops, lo, hi)
    # The nearest stop of each kind, found by str.rfind/str.find rather than a step at a time.
    s = start
    if start > lo:
        s = lo
        for c in stops:
            k = text.rfind(c, s, start)
            if k != -1:
                s = k + 1
    if end >= hi:
        return s, end
    e = hi
    for c in stops:
        k = text.find(c, end, e)
        if k != -1:
            e = k
    return s, e


def _span_of_stepwise(text: str, start: int, end: int, stops: str, lo: int, hi: int) -> tuple[int, int]:
    s = start
    while s > lo and text[s - 1] not in stops:
        s -= 1
    e = end
    while e < hi and text[e] not in stops:
        e += 1
    return s, e


def strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \u3000\t":
        s += 1
    while e > s and text[e - 1] in " \u3000\t":
        e -= 1
    return s, e


_TIME_WORDS = re.compile(r"[\s到至在于前之底年月日，]")


def task_of(source: SourceText, section: Section | None, expr_start: int, expr_end: int,
            lo: int, hi: int) -> str:
    """What the deadline is for: the heading's title when it is written in the heading, else the
    clause it governs (the next clause when the time phrase stands alone: ``到2025年，基本实现…``)."""
    text = source.text
    if section is not None and section.title and section.title_start <= expr_start < section.title_end:
        return section.title
    s, e = span_of(text, expr_start, expr_end, CLAUSE_STOP, lo, hi)
    clause = text[s:e].strip()
    rest = clause.replace(text[expr_start:expr_end], "")
    if len(_TIME_WORDS.sub("", rest)) < 2 and e < hi and text[e] in "，：":
        s2, e2 = span_of(text, e + 1, e + 1, CLAUSE_STOP, lo, hi)
        clause = text[s2:e2].strip()
    return clause


# A time that describes a thing rather than limits a task: 5年内关税减让显著的商品.
_DESCRIBES = re.compile(r"^[^，。；：的]{2,10}的")
# Who qualifies rather than by when: 离校2年内高校毕业生, 毕业5年内, 成立3年内的企业.
_ELIGIBILITY = re.compile(r"(?:毕业|离校|注册|成立|设立|登记|入学|退役|就业|创办|创业)\s*$")
# What a recurrence pays rather than schedules: 每年给予最高200万元, 每月1000元.
_PAYS = re.compile(r"^[^，。；]{0,16}(?:\d+(?:\.\d+)?\s*(?:万元|亿元|元)|给予|补贴|补助|奖励|不超过)"
                   r"|^[^，。；]{0,24}?[\d一二三四五六七八九十百千万]+\s*(?:个|家|台|项|名|万|千|批|所|座|套|辆|人|场|户)")


def _usable(expr: TimeExpr, para: str, today: date | None) -> bool:
    if expr.kind in ("by", "period") and today and expr.date_end and date.fromisoformat(expr.date_end) < today:
        return False  # history
    if "十" in expr.text and "五" in expr.text and ABOUT_PERIOD.match(para[expr.end:]):
        return False
    if expr.kind == "duration" and expr.text.endswith("内") and (
            _DESCRIBES.match(para[expr.end:]) or _ELIGIBILITY.search(para[: expr.start])):
        return False
    if expr.kind == "recurring" and _PAYS.match(para[expr.end:]):
        return False
    return True


def _table_deadlines(source: SourceText, doc: Document, plan: PlanPeriod | None) -> tuple[list[Deadline],
                                                                                          list[tuple[int, int]]]:
    """The time cells of division-of-labour tables (完成时限 2019年3月): each a deadline of its row's
    task, ``by`` the end of the time it names; and the spans of those cells."""
    out, spans = [], []
    tables = find_tables(paragraphs(source, doc.body_start, doc.end))
    for task in table_tasks(tables):
        if not task.deadline:
            continue
        row_text = source.text[task.start:task.end]
        at = row_text.rfind(task.deadline)
        if at < 0:
            continue
        start = task.start + at
        spans.append((start, start + len(task.deadline)))
        for expr in find_time_exprs(task.deadline, doc.date, plan):
            kind = "by" if expr.kind in ("by", "period") else expr.kind
            out.append(Deadline(
                doc_id=doc.doc_id, where=task.path, what=task.title, expr=expr.text, kind=kind,
                start=None, end=expr.date_end, recurrence=expr.recurrence,
                provenance=Provenance.of(source, doc.doc_id, task.path, task.start, task.end)))
    return out, spans


def _title_period(source: SourceText, doc: Document, plan: PlanPeriod | None) -> Deadline | None:
    """The period a plan's title names (行动方案（2026—2028年）): the plan's own term."""
    if plan is None or plan.years < 2 or not doc.title:
        return None
    m = re.search(r"(\d{4})\s*[—–\-~－至到]{1,2}\s*(\d{4})\s*年", half_width(doc.title))
    if m is None:
        return None
    at = source.text.find(doc.title[: max(4, m.start())], doc.start, doc.end)
    start = at if at >= 0 else doc.body_start
    return Deadline(doc_id=doc.doc_id, where="标题", what=doc.title, expr=doc.title[m.start(): m.end()],
                    kind="period", start=f"{plan.first_year}-01-01", end=f"{plan.last_year}-12-31",
                    recurrence=None,
                    provenance=Provenance.of(source, doc.doc_id, "", start, min(doc.end, start + len(doc.title))))


def find_deadlines(source: SourceText, doc: Document) -> list[Deadline]:
    """The deadlines, periods, recurrences and durations written in ``doc``."""
    text = source.text
    plan: PlanPeriod | None = plan_period(doc.title, doc.notice_title)
    today = date.fromisoformat(doc.date) if doc.date else None
    background = background_sections(doc)
    titles = {re.sub(r"\s", "", t) for t in (doc.title, doc.notice_title) if t}
    out, table_cells = _table_deadlines(source, doc, plan)
    seen: set[tuple] = set()

    pos = doc.start
    while pos < doc.end:
        nl = text.find("\n", pos, doc.end)
        line_end = doc.end if nl == -1 else nl
        line = text[pos:line_end]
        line_start = pos
        pos = line_end + 1
        compact = "".join(line.split())  # str.split() and re's \s know the same whitespace
        if not compact or DATE_LINE.match(half_width(line)) or any(compact in t for t in titles if len(compact) > 3):
            continue
        if any(b.start <= line_start < b.end for b in background):
            continue
        exprs = find_time_exprs(line, doc.date, plan)
        header = TABLE_HEADER.search(half_width(line))
        for expr in exprs:
            start, end = line_start + expr.start, line_start + expr.end
            if inside_title_marks(text, start, line_start) or not _usable(expr, line, today):
                continue
            if any(lo <= start < hi for lo, hi in table_cells):
                continue
            kind, d_start, d_end = expr.kind, expr.date_start, expr.date_end
            if kind == "period" and _GOAL_YEAR.match(line[expr.end:]) and _sentence_start(line, expr.start) \
                    and re.fullmatch(r"\d{4}\s*年", half_width(expr.text)):
                kind, d_start = "by", None  # 2026年，先行培育…: the goal is due within that year
            if header and expr.start >= header.start() and expr.end <= header.end() + 1:
                # Indicator table: the last year column is the year the targets are due.
                if not expr.text.startswith(header["last"]):
                    continue
                kind, d_start = "by", None
            section = deepest_section(doc, start)
            where = section.path if section else ""
            q_start, q_end = strip_span(text, *span_of(text, start, end, SENTENCE_STOP, line_start, line_end))
            # One deadline per section and sentence; a heading's deadline covers its body's
            # restatement of it ("2035年远景目标。到2035年，…"), two sentences stay two tasks.
            key = (where, kind, d_start if kind == "period" else None, d_end, expr.recurrence,
                   expr.text if kind in ("duration", "recurring") else None)
            in_heading = section is not None and start < section.title_end
            if key in seen or (key, q_start) in seen:
                continue
            seen.add((key, q_start))
            if in_heading:
                seen.add(key)
            if header:
                q_start, q_end = (section.start, line_end) if section else (line_start, line_end)
            what = section.title if header and section else task_of(source, section, start, end,
                                                                     line_start, line_end)
            out.append(Deadline(
                doc_id=doc.doc_id, where=where, what=what, expr=text[start:end], kind=kind,
                start=d_start if kind == "period" else None, end=d_end, recurrence=expr.recurrence,
                provenance=Provenance.of(source, doc.doc_id, where, q_start, q_end),
            ))
    title_period = _title_period(source, doc, plan)
    if title_period and not any(d.kind == "period" and (d.start, d.end) == (title_period.start, title_period.end)
                                for d in out):
        out.insert(0, title_period)
    return out


_GOAL_YEAR = re.compile(r"\s*[，,]")


def _sentence_start(line: str, offset: int) -> bool:
    """Whether ``offset`` opens a sentence of the line (after its start, a stop, or a heading number)."""
    before = line[:offset].rstrip()
    return not before or before[-1] in "。；！？：" or HEADING_NUMBER.fullmatch(before) is not None
