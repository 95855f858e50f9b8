"""Responsibility clauses: where they are written and which parties they name.

A clause closes a task and names who does it. It is written in brackets at the end of the task —
（责任单位：A、B，C） 〔牵头单位：A；配合单位：B〕 （A牵头，B、C配合） （A、B按职责分工负责） (A会同B负责) —
or on a line of its own after the task (责任单位：A、B), or after the task's last sentence
without brackets (…。牵头单位：A；责任单位：B). A clause is a list of parts separated by ；。
and by ， before a label; each part is one of:

  labelled   LABEL：A、B，C     lead labels (牵头单位, 牵头考核单位 …), support labels (配合单位 …) and
                                neutral ones (责任单位, 负责部门, 主体责任单位 …: the first listed leads)
  verbal     A牵头(负责)  A、B配合/参与/协助  A、B(按职责分工)负责  A会同B(负责)  由A牵头
  implicit   以下均需A、B落实，不再列出   (A, B become parties of every later task)
  ignored    people (牵头领导：张三), scope (适用范围：…), schedule (完成时限：…, 6月底完成, 持续推进),
             conventions (列第一位的为牵头单位，下同)

Bracketed text is a clause only when every party it lists is a unit (extract.units), so
"（含示范园）" or "（企业直接向国家发展改革委申报，不需省级发展改革部门转报）" never are.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from gazettekg.extract.brackets import bracketed_spans, split_top_level
from gazettekg.extract.units import units_of

_LEAD_LABELS = ("牵头单位", "牵头部门", "牵头责任单位", "牵头责任部门", "牵头考核单位", "牵头落实单位", "主责单位",
                "主责部门", "主办单位", "主管单位", "主管部门", "牵头")
_SUPPORT_LABELS = ("配合单位", "配合部门", "参与单位", "参与部门", "参加单位", "协办单位", "协同单位", "协同部门",
                   "协助单位", "协作单位", "支持单位", "协办部门", "配合")
_NEUTRAL_LABELS = ("责任单位", "责任部门", "负责单位", "负责部门", "落实单位", "实施单位", "实施部门", "承办单位",
                   "主体责任单位", "责任主体", "工作单位", "具体责任单位", "责任")
_PERSON_LABELS = ("牵头领导", "责任领导", "分管领导", "牵头市领导", "责任市领导", "牵头省领导", "包联领导", "联系领导",
                  "责任人", "联系人", "负责人")
_SCHEDULE_LABELS = ("完成时限", "完成时间", "完成期限", "时间节点", "时限要求", "进度安排", "时间安排", "办结时限",
                    "时限", "时间", "期限")
_SCOPE_LABELS = ("适用范围", "实施范围", "试点范围", "范围")
_ALL_LABELS = sorted({*_LEAD_LABELS, *_SUPPORT_LABELS, *_NEUTRAL_LABELS, *_PERSON_LABELS, *_SCHEDULE_LABELS,
                      *_SCOPE_LABELS}, key=len, reverse=True)
LABEL = re.compile(rf"(?P<label>{'|'.join(_ALL_LABELS)})\s*[：:]")
# A label that can open a clause line or follow a task's last sentence: one that names parties.
UNIT_LABEL = re.compile(
    rf"(?:{'|'.join(sorted({*_LEAD_LABELS, *_SUPPORT_LABELS, *_NEUTRAL_LABELS} - {'牵头', '配合', '责任'},
                            key=len, reverse=True))})\s*[：:]"
)

VERB_TAIL = re.compile(
    r"(?P<verb>(?:等)?(?:按(?:照)?职责分工|按(?:照)?职责|按(?:照)?各自职责|分别|共同|具体|负责)?"
    r"(?:牵头负责|牵头落实|牵头|负责落实|负责实施|负责|配合落实|配合|参与|协助|协同|落实|组织实施|实施)"
    r"|(?:等)?按(?:照)?职责分工|(?:等)?按(?:照)?职责)$"
)
SUPPORT_VERBS = ("配合", "参与", "协助", "协同", "配合落实")
IMPLICIT_NOTE = re.compile(r"不再(?:一一)?列出|不再重复列出|不再单独列出")
CONVENTION = re.compile(r"列(?:第一|首)位的?(?:单位)?为牵头(?:单位|部门)|排(?:在)?第一位的?为牵头|下同")
# What a part that names nobody says about time: 6月底完成, 2022年底前, 持续推进, 长期坚持.
SCHEDULE = re.compile(r"(?:\d|[一二三四五六七八九十]{1,3})\s*(?:年|月|日|季度|周)|持续|长期|常态|年底|月底|年内|"
                      r"完成|推进|取得|见效|成效|启动|开展|坚持")
# A bracket that defines a name, or spells out what the words before it cover (（即罗湖区、福田区…）,
# （包括市教委、市卫生健康委）): an apposition listing units, not who is responsible.
DEFINITION_NOTE = re.compile(r"^(?:以下(?:简称|统称|称)|即|包括|含|如|例如|比如|主要(?:是|有|包括))")
INLINE_LEAD = re.compile(r"[（(](?:牵头|牵头单位|牵头部门)[）)]$")


@dataclass(frozen=True, slots=True)
class Party:
    surface: str  # as written, clause words dropped
    role: str  # lead | support
    lead_basis: str  # marked | first_listed | "" for support
    full: str = ""  # the name with a prefix or suffix the list shares (广州、深圳市政府: 广州市政府); "" = surface


@dataclass(frozen=True, slots=True)
class Clause:
    start: int  # offsets in the source text, brackets included
    end: int
    parties: tuple[Party, ...]
    implicit: tuple[str, ...] = ()  # bodies a "以下均需…不再列出" note adds to later tasks
    closing: bool = True  # closes the task it ends (False: a prose sentence naming its subject)


def _parts(content: str) -> list[str]:
    """A clause's parts: cut at ；。 and at a comma that a label follows."""
    parts = []
    for piece in split_top_level(content, "；;。"):
        labels = [m.start() for m in LABEL.finditer(piece) if m.start() > 0 and piece[m.start() - 1] in "，, \t"]
        cuts = [0, *labels, len(piece)]
        parts.extend(piece[a:b].strip("，, \t") for a, b in itertools.pairwise(cuts))
    return [p for p in parts if p]


_IMPLICIT_HEAD = re.compile(
    r"^(?:以下|下列|其余|其他)?(?:各项任务|各项|任务|工作)?(?:均需|均由|均为|均要|均|需|由|请)*"
)
_IMPLICIT_TAIL = re.compile(r"(?:负责落实|负责|落实|参与|配合|承担|为责任单位|作为责任单位)?[，,]?\s*$")


def _implicit_bodies(part: str) -> list[str] | None:
    """The bodies of a "以下均需A、B落实，不再列出" note, or None when the part is no such note."""
    if not IMPLICIT_NOTE.search(part):
        return None
    core = IMPLICIT_NOTE.split(part)[0]
    core = _IMPLICIT_HEAD.sub("", core)
    core = _IMPLICIT_TAIL.sub("", core)
    units = units_of(core)
    return [full or name for name, full in units] if units else None


def _labelled(part: str) -> tuple[str, list[tuple[str, str]] | None] | None:
    """(label, its units or None when the list holds something else) for a LABEL：list part."""
    m = LABEL.match(part)
    if m is None:
        return None
    return m["label"], units_of(part[m.end():].strip("，,；; \t"), lenient=True)


_VERBAL_OPENING = re.compile(r"^(?:由|请|要求)")
_JOINED = re.compile(r"会同|联合")
_MODAL_END = re.compile(r"(?:要|应|应当|将)$")


def _verbal(part: str, bare_lists: bool) -> list[Party] | None:
    """A verbal part: A牵头(负责)，B、C配合 / A、B负责 / A会同B(负责) / 由A牵头 / a bare list.

    Comma groups are read in order; a verb at the end of a group applies to the units named since
    the last verb (广州、深圳市政府，省发展改革委按职责分工负责: all three are responsible).
    """
    parties: list[Party] = []
    pending: list[tuple[str, str]] = []
    saw_verb = False
    for segment in split_top_level(part, "，,"):
        segment = _VERBAL_OPENING.sub("", segment.strip())
        m = VERB_TAIL.search(segment)
        body = segment[: m.start()] if m else segment
        joined = _JOINED.search(body)
        lead_side, with_side = (body[: joined.start()], body[joined.end():]) if joined else (body, "")
        names = units_of(_MODAL_END.sub("", lead_side))
        others = units_of(with_side) if joined else []
        if names is None or others is None:
            return None
        pending.extend(names)
        if not m and not joined:
            continue
        saw_verb = True
        verb = m["verb"] if m else ""
        if joined:
            # A会同B: A leads (A、B会同C: co-leads), B supports.
            parties.extend(Party(n, "lead", "marked", full) for n, full in pending)
            parties.extend(Party(n, "support", "", full) for n, full in others)
        elif "牵头" in verb:
            parties.extend(Party(n, "lead", "marked", full) for n, full in pending)  # co-leads
        else:
            parties.extend(Party(n, "support", "", full) for n, full in pending)
        pending = []
    if pending:
        if not (saw_verb or bare_lists):
            return None
        parties.extend(Party(n, "support", "", full) for n, full in pending)
    return parties or None


def parse_clause(content: str, bare_lists: bool = False) -> tuple[list[Party], list[str]] | None:
    """The parties of a clause's inner text and any implicit-rule bodies; None if it is no clause.

    ``bare_lists`` accepts a part that is nothing but a list of units (（市发展改革委、市财政局）),
    which a caller allows only where a bracket closes a task.
    """
    parties: list[Party] = []
    implicit: list[str] = []
    if DEFINITION_NOTE.match(content):
        return None
    # A note nested in the clause (〔以下均需各区县政府负责，不再列出〕) holds the standing bodies.
    for lo, hi in reversed(bracketed_spans(content)):
        bodies = _implicit_bodies(content[lo + 1: hi - 1])
        if bodies is not None:
            implicit[:0] = bodies
            content = content[:lo] + content[hi:]
    named = False  # some part names parties by label or verb
    for part in _parts(content):
        if (bodies := _implicit_bodies(part)) is not None:
            implicit.extend(bodies)
            continue
        if CONVENTION.search(part) and not LABEL.match(part):
            continue
        labelled = _labelled(part)
        if labelled is not None:
            label, units = labelled
            if label in _PERSON_LABELS or label in _SCHEDULE_LABELS or label in _SCOPE_LABELS:
                continue
            if not units:
                return None
            named = True
            for name, full in units:
                if INLINE_LEAD.search(name):  # 责任单位：A（牵头）、B
                    parties.append(Party(INLINE_LEAD.sub("", name), "lead", "marked", INLINE_LEAD.sub("", full)))
                elif label in _LEAD_LABELS:
                    parties.append(Party(name, "lead", "marked", full))
                else:
                    parties.append(Party(name, "support", "", full))
            continue
        verbal = _verbal(part, bare_lists)
        if verbal is not None:
            parties.extend(verbal)
            named = True
            continue
        if SCHEDULE.search(part):
            continue  # a time limit or progress note inside the clause
        return None
    if not named or not parties:
        return None
    return _settle_leads(parties), implicit


def _settle_leads(parties: list[Party]) -> list[Party]:
    """The leads a clause marks (co-leads: A、B牵头), else the first listed; each unit named once
    (its first mention wins)."""
    seen: set[str] = set()
    unique = []
    for p in parties:
        key = re.sub(r"\s", "", p.surface)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    if any(p.role == "lead" for p in unique):
        return unique
    first = unique[0]
    return [Party(first.surface, "lead", "first_listed", first.full), *unique[1:]]


def _closes_task(text: str, hi: int, end: int) -> bool:
    """Whether a bracket ending at ``hi`` closes what precedes it: at a paragraph's end, before a
    sentence stop, or before the next sentence of the paragraph."""
    rest = text[hi: min(end, hi + 2)]
    return not rest or rest[0] in "\n。；;，, \t" or hi >= end


@lru_cache(maxsize=1 << 14)
def _parsed(content: str, bare_lists: bool) -> tuple[tuple[Party, ...], tuple[str, ...]] | None:
    """parse_clause, kept: tables repeat the same notes, and find_clauses reads a document twice
    (its assignments, then the text its duties are read from)."""
    parsed = parse_clause(content, bare_lists=bare_lists)
    return (tuple(parsed[0]), tuple(parsed[1])) if parsed else None


# The text, start and end of the last find_clauses, and its answer (one tuple: replaced at once).
_last_found: tuple[str | None, int, int, tuple[Clause, ...]] = (None, -1, -1, ())


def find_clauses(text: str, start: int, end: int) -> list[Clause]:
    """Responsibility clauses in text[start:end]: bracketed notes, clause lines and trailing labels."""
    global _last_found
    last = _last_found
    if last[0] is text and last[1] == start and last[2] == end:
        return list(last[3])
    found = _find_clauses(text, start, end)
    _last_found = (text, start, end, tuple(found))
    return found


def _find_clauses(text: str, start: int, end: int) -> list[Clause]:
    clauses = []
    bracketed = bracketed_spans(text, start, end)
    for lo, hi in bracketed:
        parsed = _parsed(text[lo + 1: hi - 1], _closes_task(text, hi, end))
        if parsed:
            clauses.append(Clause(lo, hi, parsed[0], parsed[1]))
    inside = [(lo, hi) for lo, hi in bracketed]
    lines_found: list[Clause] = []
    pos = start
    for line in text[start:end].split("\n"):
        for m in UNIT_LABEL.finditer(line):
            at = pos + m.start()
            if m.start() and line[m.start() - 1] not in "。；;！？ \t":
                continue  # a label inside a sentence or a bracket
            if any(lo <= at < hi for lo, hi in inside):
                continue
            stop = len(line)
            tail = line[m.start(): stop].rstrip("。；; ")
            parsed = _parsed(tail, False)
            if parsed:
                clause = Clause(at, pos + m.start() + len(tail), parsed[0], parsed[1])
                previous = lines_found[-1] if lines_found else None
                if previous is not None and m.start() == 0 and "\n" not in text[previous.end: pos - 1] \
                        and (previous.start == 0 or text[previous.start - 1] == "\n"):
                    # 牵头单位：A / 责任单位：B / 完成时限：… on lines of their own: one clause.
                    clause = _merged(previous, clause)
                    lines_found[-1] = clause
                else:
                    lines_found.append(clause)
            break
        pos += len(line) + 1
    return sorted([*clauses, *lines_found], key=lambda c: c.start)


def _merged(first: Clause, second: Clause) -> Clause:
    """Two clause lines in a row as one clause: the second's first-listed lead supports when the
    first already names a lead."""
    has_lead = any(p.role == "lead" for p in first.parties)
    later = [Party(p.surface, "support", "", p.full) if has_lead and p.role == "lead" and p.lead_basis != "marked"
             else p for p in second.parties]
    return Clause(first.start, second.end, tuple(_settle_leads([*first.parties, *later])),
                  first.implicit + second.implicit)
