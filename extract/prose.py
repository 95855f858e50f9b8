"""Responsibility written in prose: tasks of documents that have no responsibility clauses.

State Council opinions, decrees and many rules name who does what in the sentence itself:
"民政部门要会同残联、发展改革、卫生计生、财政等单位…", "由入户地所在镇街的人力资源部门负责受理",
"公安部门自受理…之日起15个工作日内完成…", "请财政部…", "落实县、乡人民政府属地责任". Each paragraph
that makes one or more government bodies responsible is a task — titled by its heading when it is
a heading's paragraph, else by its first sentence — and its units are those bodies in the order
they first appear; the first leads, the body a 会同 follows leads explicitly.

A unit here is a government body: regions (各地), unspecified bodies (有关部门), and actors outside
government (医疗机构, 学校, 企业, 监护人, 居委会) are not made responsible by a sentence naming them.
Lists drop what qualifies them all (各级卫生计生、综治、公安等单位 -> 卫生计生, 综治, 公安) and where
they are (入户地所在镇街的人力资源部门 -> 人力资源部门).

A document that has clauses still has prose tasks of one kind: an unnumbered paragraph that opens
with "A会同B…" (A leads, B supports), as organisational paragraphs often do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazettekg.extract.agencies import FIELD_UNIT, looks_like_agency, normalize
from gazettekg.extract.clauses import Clause, Party
from gazettekg.extract.documents import Paragraph, paragraphs
from gazettekg.extract.headings import match_heading
from gazettekg.extract.tasks import Task, first_sentence
from gazettekg.extract.units import TRAILING_CLAUSE_WORDS
from gazettekg.records import Document, Section, SourceText

# What follows a subject that is made responsible: a modal, a responsibility verb or the
# preposition that opens its action (公安部门自受理…之日起…完成, 人力资源部门按照…予以办理).
_AFTER_SUBJECT = re.compile(
    r"要|应当|应|须|必须|需要|需|务必|负责|牵头|会同|联合|统筹|将|自|于|在|按照|依照|依据|根据|通过|当天|及时|定期|每年|对|把|"
    r"积极|切实|认真|进一步|加强|加快|做好|抓好|建立|建设|制定|完善|推进|推动|开展|组织|指导|督促|确保|实行|实施|审核|审查|"
    r"办理|受理|承担|提供|落实|核发|出具|发放|研究|编制|出台|明确|加大|强化|健全|做到|牵|配合|协助|共同|分别|依法|结合|"
    r"会商|统一|具体|主动|尽快|适时|不断|逐步|全面|着力|大力|设立|确定|报送|上报|制订|修订|完成|安排|保障"
)
# A sentence that gives authority to interpret a text, or only allows something, assigns no task.
_NO_DUTY = re.compile(r"负责解释|解释权|由[^，。；]{2,30}解释")
_BY = re.compile(r"由(?=\S{2})")
_PLEASE = re.compile(r"^请(?=\S{2})")
_WITH = re.compile(r"会同|联合")
_DUTY = re.compile(
    r"(?:落实|强化|压实|明确)(?P<list>[^，。；]{2,30}?)(?:的)?(?:属地|主体|监管|管理|领导|主导|保障)?责任"
    r"|发挥(?P<role>[^，。；]{2,30})(?:的)?"
    r"(?:积极|重要|主体|主导|牵头|基础|关键|带头|示范|引领|桥梁|纽带|监督|保障|支撑|推动|协调|统筹|综合|职能)?作用"
)
_THROUGH = re.compile(r"经(?P<list>[^，。；]{2,30}?)(?:审核|核准|审查|确认)")
# Words that never stand inside a body's name but always after its subject.
_VERB_INSIDE = re.compile(
    r"要|应当|应|须|负责|协助|配合|会同|牵头|加强|落实|推动|开展|认真|切实|进一步|等.|制定|建立|优化|推进|研究|完善|实施|提出|开发"
)
_LIST_SEPARATOR = re.compile(r"、|和|及|以及|与")
_QUALIFIER = re.compile(r"^(?:各级|地方各级|县级以上(?:地方)?|国务院|中央|省级|市级|县级|同级|各|国家)")
_LOCALITY = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,6}?(?:所在|辖区)|[\u4e00-\u9fff]{1,4}?地(?=镇街|乡镇|街道))?"
    r"(?:镇街|乡镇（街道）|乡镇|街道|区县)?的?"
)
# Bodies a sentence may name without their being made responsible for a task.
_NOT_RESPONSIBLE = re.compile(
    r"^(?:各地|各地区|地区|各有关部门|有关部门|相关部门|各部门|各有关单位|有关单位|相关单位|各单位|国家有关部门|有关方面|"
    r"各有关方面|其他部门|各相关部门|部门|单位|政府)$"
    r"|(?:医疗卫生机构|医疗机构|专业机构|学校|院校|高校|幼儿园|医院|企业|公司|社会组织|个人|监护人|申请人|用人单位|家长委员会|"
    r"居委会|村委会|居民委员会|村（居）民委员会|村民委员会|业委会|物业|志愿者|家庭|患者|学生|教师|媒体)$"
    r"|^(?:中央财政|省财政|市财政|同级财政|地方财政|财政资金)$"
)
# Phrases that open with a verb or preposition are never a body's name (动员社区, 通过开展城乡).
_NOT_A_NAME_START = re.compile(
    r"^(?:动员|推动|通过|开展|对|一经|经|加强|申请|鼓励|进一步|建立|健全|落实|具备|按照|依托|支持|引导|完善|提高|确保|实现|"
    r"促进|积极|切实|要|将|在|由|把|向|与|同|从|以|为|使|让|根据|依照|结合|围绕|针对|推进|加快|做好|组织|协调|指导|督促|"
    r"加大|着力|督导|支撑|服务|构建|打造|推广|强化|提升|深化|优化|扩大|探索|创新|规范|统筹|整合|培育|发展|实施|监督|检查|"
    r"考核|评估|保障|抓好|增强|发挥|充分|全面|大力|逐步|稳步|有序|依法|严格|认真|及时|主动|不断|形成|构筑|营造|打通|"
    r"提供|制定|出台|明确|研究|配合|协助|参与|共同|分别|负责|牵头|会同|联合|包括|其中|以及|及|和|或|并|且|等)"
)
GOVERNMENT = re.compile(
    r"^(?:各级|地方各级|县级以上(?:地方)?(?:各级)?|省级|市级|地市级|县级|乡级|乡镇|当地|地方|流入地|流出地|户籍地|所在地|"
    r"属地|同级|本级|各|[\u4e00-\u9fff]{2,8}?[省市县区州]|县、乡|省、市、县|市、县)?(?:人民)?政府$"
    r"|^各?(?:镇街|街镇|乡镇|街道|镇（街）|镇人民政府（街道办事处）)$"
)
_GOVERNMENT_HEAD = re.compile(
    r"(?:政府|党委|局|厅|委|办|部|署|院|会|中心|组织|队|所|站|行|处|总社|办公室|委员会|管委会|领导小组|指挥部|专班|部门|机关)$"
)
_BACKGROUND = re.compile(
    r"背景|现状|形势|发展环境|发展基础|基本情况|取得的成效|工作成效|指导思想|基本原则|总体要求|目标"
)


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    role: str  # lead | support


def _unit_token(token: str, in_list: bool) -> str | None:
    """The unit a list item names (qualifiers, places and 等单位 dropped), or None."""
    token = TRAILING_CLAUSE_WORDS.sub("", token.strip())
    if not token:
        return None
    if _NOT_RESPONSIBLE.search(token):
        return None
    if _is_body(token):
        return token
    for strip in (_QUALIFIER, _LOCALITY):
        core = strip.sub("", token)
        if core != token and len(core) >= 2 and not _NOT_RESPONSIBLE.search(core) and _is_body(core, in_list):
            return core
    return token if in_list and FIELD_UNIT.match(token) else None


def _is_body(name: str, in_list: bool = False) -> bool:
    """A government body named in prose: a known or structurally named body, a functional department
    (民政部门; a bare field such as 卫生计生 only inside a list), or a government of a level or place."""
    key = normalize(name)
    if len(key) < 2 or len(key) > 30 or _NOT_RESPONSIBLE.search(key) or _NOT_A_NAME_START.match(key):
        return False
    if FIELD_UNIT.match(key):
        return in_list or key.endswith(("部门", "机关", "组织", "机构")) or key.startswith(("各级", "县级", "省级"))
    if GOVERNMENT.match(key):
        return True
    return looks_like_agency(key) and bool(_GOVERNMENT_HEAD.search(key))


def _pieces(text: str) -> list[tuple[int, int]]:
    """Items of a list: cut at 、, and at 和/及/与 where the whole is no single body (卫生和计生部门 is)."""
    if GOVERNMENT.match(TRAILING_CLAUSE_WORDS.sub("", text)):
        return [(0, len(text))]  # 县、乡人民政府: levels of one kind of body
    out = []
    pos = 0
    for part in [*re.finditer(r"、", text), None]:
        end = part.start() if part else len(text)
        piece = text[pos:end]
        joined = _LIST_SEPARATOR.search(piece)
        halves = (_unit_token(piece[: joined.start()], False), _unit_token(piece[joined.end():], False)) \
            if joined else (None, None)
        if joined and not all(halves) and _unit_token(TRAILING_CLAUSE_WORDS.sub("", piece), True) is not None:
            out.append((pos, end))  # 卫生和计生部门: one body, though 和 stands inside its name
        else:
            sub = pos
            for m in _LIST_SEPARATOR.finditer(piece):
                out.append((sub, pos + m.start()))
                sub = pos + m.end()
            out.append((sub, end))
        pos = part.end() if part else len(text)
    return out


def _list_units(text: str, base: int) -> list[tuple[int, int, str]] | None:
    """The units of a list ("A、B和C等单位"), as (start, end, name), or None when an item is none.

    Items that are regions or unspecified bodies are left out; a list of only such items gives [].
    A qualifier on the first of several items qualifies them all and is dropped (各级卫生计生、综治).
    """
    pieces = _pieces(text)
    many = len(pieces) > 1 or bool(TRAILING_CLAUSE_WORDS.search(text))
    out = []
    for k, (a, b) in enumerate(pieces):
        raw = text[a:b]
        if not raw.strip() or _VERB_INSIDE.search(TRAILING_CLAUSE_WORDS.sub("", raw)):
            return None
        if k == 0 and len(pieces) > 1 and (q := _QUALIFIER.match(raw)) and FIELD_UNIT.match(raw[q.end():]) \
                and not raw.endswith(("部门", "机关", "组织", "机构")):
            a += q.end()
            raw = text[a:b]
        name = _unit_token(raw, many)
        if name is None:
            if _NOT_RESPONSIBLE.search(TRAILING_CLAUSE_WORDS.sub("", raw.strip())):
                continue
            return None
        offset = raw.find(name)
        out.append((base + a + max(0, offset), base + a + max(0, offset) + len(name), name))
    return out


def _subject(clause: str, base: int) -> list[tuple[int, int, str]] | None:
    """The units a clause opens with when they are its subject: the longest list of bodies that a
    verb follows (综治组织负责: 综治组织, not 综治 before the 组织 of its name)."""
    best = None
    for m in _AFTER_SUBJECT.finditer(clause):
        if m.start() > 40:
            break
        if m.start() < 2 or clause[m.start() - 1] == "的":
            continue
        units = _list_units(clause[: m.start()], base)
        if units is not None:
            best = units
    return best


def _leading_list(text: str, base: int) -> list[tuple[int, int, str]]:
    """The longest list of bodies that ``text`` opens with (会同A、B等部门制定… -> A, B), cut where a
    name can end: after an organisational head character, after 等(部门), or before a verb."""
    window = text[:60]
    ends = re.finditer(r"[局委厅办部队所站署院会心行司组班府门]|等(?:有关|相关)?(?:部门|单位)?", window)
    cuts = {m.end() for m in ends}
    cuts |= {m.start() for m in _AFTER_SUBJECT.finditer(window)}
    for end in sorted(cuts, reverse=True):
        units = _list_units(window[:end], base) if end >= 2 else None
        if units is not None:
            return units  # maybe []: a list of unspecified bodies (会同有关部门) names no one
    return []


def responsible_mentions(text: str, start: int, end: int) -> list[_Mention]:
    """The bodies the sentences of text[start:end] make responsible, in order, with their role."""
    out: list[_Mention] = []
    for sentence in re.finditer(r"[^。；！？\n]+", text[start:end]):
        s_base = start + sentence.start()
        subject_seen = False
        if _NO_DUTY.search(sentence.group(0)):
            continue
        for clause in re.finditer(r"[^，：]+", sentence.group(0)):
            c_base = s_base + clause.start()
            body = clause.group(0)
            lead = re.match(r"^(?:同时|并且|并|另外|此外|其中|对此)?", body)
            skip = lead.end() if lead else 0
            body_rest = body[skip:]
            found: list[tuple[int, int, str]] | None = None
            if (please := _PLEASE.match(body_rest)) is not None:
                found = _subject(body_rest[please.end():], c_base + skip + please.end()) \
                    or _list_units(re.split(_AFTER_SUBJECT, body_rest[please.end():], maxsplit=1)[0],
                                   c_base + skip + please.end())
            elif (by := _BY.search(body_rest)) is not None:
                found = _subject(body_rest[by.end():], c_base + skip + by.end())
            else:
                found = _subject(body_rest, c_base + skip)
            if found:
                out.extend(_Mention(a, b, "lead") for a, b, _ in found)
                subject_seen = True
            if subject_seen and (with_ := _WITH.search(body_rest)):
                partners = _leading_list(body_rest[with_.end():], c_base + skip + with_.end())
                out.extend(_Mention(a, b, "support") for a, b, _ in partners)
                out.append(_Mention(c_base, c_base, "with"))  # 会同有关部门 names no one, yet marks the lead
            for pattern in (_DUTY, _THROUGH):
                for m in pattern.finditer(body):
                    group = "list" if m["list"] else "role" if "role" in m.re.groupindex and m["role"] else None
                    if group is None:
                        continue
                    units = _list_units(m[group], c_base + m.start(group))
                    out.extend(_Mention(a, b, "lead") for a, b, _ in units or [])
    return out


def _paragraph_owner(sections: list[Section], par: Paragraph) -> Section | None:
    best = None
    for s in sections:
        if s.start <= par.start < s.end and (best is None or s.start >= best.start):
            best = s
    return best


def prose_tasks(source: SourceText, doc: Document) -> list[tuple[Clause, Task]]:
    """The tasks of a document without clauses: its paragraphs that make bodies responsible.

    Under a heading, a single such paragraph is the heading's task (titled by the heading); several
    are tasks of their own (``pK``), titled by their first sentence — or by the heading for the
    heading's own run-in paragraph. An article's paragraphs are titled by their first sentence.
    """
    text = source.text
    sections = list(doc.walk())
    background = [s for s in sections if _BACKGROUND.search(s.title or "") and s.level in ("chapter", "part")]
    found: dict[str, list[tuple[int, Paragraph, list[Party]]]] = {}
    owners: dict[str, Section | None] = {}
    counters: dict[str, int] = {}
    for par in paragraphs(source, doc.body_start, doc.end):
        if any(b.start <= par.start < b.end for b in background):
            continue
        owner = _paragraph_owner(sections, par)
        key = owner.path if owner else ""
        owners[key] = owner
        counters[key] = counters.get(key, 0) + 1
        heading = match_heading(par.text)
        body_start = par.start + (heading[2] if heading else 0)
        parties = _parties(text, responsible_mentions(text, body_start, par.end))
        if parties:
            found.setdefault(key, []).append((counters[key], par, parties))
    out = []
    for key, items in found.items():
        owner = owners[key]
        if owner is not None and owner.level != "article" and len(items) == 1:
            _, par, parties = items[0]
            out.append((Clause(par.start, par.end, tuple(parties), closing=False), Task(owner.path, owner.title)))
            continue
        for number, par, parties in items:
            heading_par = owner is not None and par.start <= owner.start <= par.end
            if heading_par and owner.level != "article":
                task = Task(f"{owner.path}.p{number}", owner.title)
            else:
                heading = match_heading(par.text) if heading_par else None
                title = first_sentence(par.text[heading[2]:] if heading else par.text)
                path = owner.path if heading_par and len(items) == 1 else f"{key}.p{number}" if key else f"p{number}"
                task = Task(path, title)
            out.append((Clause(par.start, par.end, tuple(parties), closing=False), task))
    return out


def _same_body_key(name: str) -> str:
    """Spellings of one body within a paragraph: 各级综治组织, 综治组织 and 综治 are one."""
    key = normalize(name)
    key = re.sub(r"^(?:各级|地方各级|各)", "", key)
    return re.sub(r"(?:组织|部门|单位)$", "", key) or key


def _parties(text: str, mentions: list[_Mention]) -> list[Party]:
    """Each body once, in first-mention order; the first leads (marked when a 会同 follows it)."""
    parties: list[Party] = []
    seen: set[str] = set()
    for mention in mentions:
        if mention.role == "with":
            continue
        name = text[mention.start: mention.end]
        key = _same_body_key(name)
        if key in seen:
            continue
        seen.add(key)
        parties.append(Party(name, "support", ""))
    if not parties:
        return []
    marked = any(m.role in ("support", "with") for m in mentions)
    first = parties[0]
    parties[0] = Party(first.surface, "lead", "marked" if marked else "first_listed")
    return parties


def opening_huitong_tasks(source: SourceText, doc: Document, taken: list[tuple[int, int]]) -> list[tuple[Clause, Task]]:
    """Unnumbered paragraphs (with no clause of their own) that open with "A会同B…": A leads, B supports."""
    text = source.text
    sections = list(doc.walk())
    counters: dict[str, int] = {}
    out = []
    for par in paragraphs(source, doc.body_start, doc.end):
        owner = _paragraph_owner(sections, par)
        key = owner.path if owner else ""
        counters[key] = counters.get(key, 0) + 1
        if (owner is not None and par.start <= owner.start <= par.end) or match_heading(par.text):
            continue
        if any(lo < par.end and par.start < hi for lo, hi in taken):
            continue
        first = re.match(r"[^。；！？，]+", par.text)
        if first is None or not _WITH.search(first.group(0)):
            continue
        with_ = _WITH.search(par.text)
        lead = _list_units(re.sub(r"(?:要|应当|应|将)$", "", par.text[: with_.start()]), par.start)
        if not lead:
            continue
        tail = par.text[with_.end():]
        stop = re.search(r"[，。；]", tail)
        partners = _list_units(tail[: stop.start()] if stop else tail, par.start + with_.end()) or []
        parties = [Party(text[a:b], "lead", "marked") for a, b, _ in lead]
        parties += [Party(text[a:b], "support", "") for a, b, _ in partners]
        task = Task(f"{key}.p{counters[key]}" if key else f"p{counters[key]}", first_sentence(par.text))
        out.append((Clause(par.start, par.end, tuple(parties), closing=False), task))
    return out
