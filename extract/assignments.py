"""Responsibility clauses -> assignments (task, agency, role, basis).

Clause styles recognised (anywhere a bracketed note closes a task, or in prose):
  labelled   （责任单位：A、B，C） 〔责任单位：…〕 （牵头单位：A；配合单位：B、C） （牵头单位：A，责任单位：B）
  verbal     （A牵头，B、C配合） （A、B等按职责分工负责） （A负责） 由A牵头 A会同B
The lead is the body the clause marks (牵头, 会同, 牵头单位); otherwise the first
listed, after the GB/T 9704 convention (``lead_basis`` says which). A note such
as 〔以下均需各区县政府负责，不再列出〕 makes that body responsible for every later
task of the document (basis ``implicit``). Bracketed text is a clause only when
every listed party is an organisation, so "（含示范园）" or "责任单位、责任人" in
prose never are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazettekg.extract.agencies import DEFINITION, Resolver, find_definitions, looks_like_agency, normalize
from gazettekg.records import Assignment, Document, Provenance, Section, SourceText

OPEN, CLOSE = "（(〔[【", "）)〕]】"
LABEL = re.compile(
    r"(?P<label>牵头单位|牵头部门|主责单位|主办单位|责任单位|责任部门|落实单位|实施单位|配合单位|配合部门|"
    r"参与单位|协办单位|协同单位|支持单位)\s*[：:]"
)
LEAD_LABELS = {"牵头单位", "牵头部门", "主责单位", "主办单位"}
SUPPORT_LABELS = {"配合单位", "配合部门", "参与单位", "协办单位", "协同单位", "支持单位"}
VERB_TAIL = re.compile(
    r"(?P<verb>等?按职责分工负责|等?按职责负责|等?分别负责|等?共同负责|等?负责落实|牵头负责|牵头|负责|配合|参与|协助|协同)$"
)
IMPLICIT_NOTE = re.compile(
    r"[〔（(\[]?以下(?:均|均需|均由|各项)?(?:需|由)?(?P<who>(?:[^〔〕（）()，。；]|[（(][^（）()]{1,8}[）)]){2,40}?)(?:负责|落实)[，,]?\s*不再(?:一一)?列出[〕）)\]]?"
)
# Parts of a clause that name no party: 完成时限：2022年底 and the like.
SCHEDULE_PART = re.compile(r"(?:^|[；;，,])\s*(?:完成时限|完成时间|时间节点|时限要求|时限|进度要求)\s*[：:][^；;]*")
INLINE_LEAD = re.compile(r"[（(]牵头(?:单位)?[）)]$")
BARE_HEAD = re.compile(r"(?:人民)?政府|党委|部门|单位")


@dataclass(frozen=True, slots=True)
class Party:
    surface: str
    role: str  # lead | support
    lead_basis: str  # marked | first_listed | ""


@dataclass(frozen=True, slots=True)
class Clause:
    start: int  # offsets in the source text, brackets included
    end: int
    parties: tuple[Party, ...]
    implicit: tuple[str, ...]  # bodies a "以下均需…不再列出" note adds to later tasks


def bracketed_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Top-level bracketed spans (nested brackets kept inside), as offsets into text."""
    spans, depth, opened = [], 0, 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in OPEN:
            if depth == 0:
                opened = i
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, i + 1))
        elif ch == "\n":
            depth = 0
    return spans


def _split_items(text: str) -> list[str]:
    """Split a list of bodies at 、，； outside brackets (各区县（自治县）政府 stays whole)."""
    return _split_top_level(text, "、，,；;")


def _groups_with_definitions(text: str) -> list[str]:
    """Items; a comma group closed by "（以下统称Y）" stands whole for one collective."""
    if not DEFINITION.search(text):
        return _split_items(text)
    out: list[str] = []
    for group in _split_top_level(text, "，,；;"):
        out.extend([group] if DEFINITION.search(group) else _split_items(group))
    return out


def _split_top_level(text: str, separators: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        if depth == 0 and ch in separators:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _clean_item(item: str) -> str:
    item = re.sub(r"^(?:由|请|各?级?)?(?=\S)", "", item) if item.startswith("由") else item
    item = re.sub(r"^(?:和|及|以及)", "", item)
    return re.sub(r"等(?:有关|相关)?(?:部门|单位|机构)?$", "", item.strip())


def _split_conjoined(item: str) -> list[str]:
    """"A和B" is two bodies when each half is one (住房和城乡建设部 stays whole)."""
    if looks_like_agency(item) and not re.search(r"(?:和|及|以及)", item):
        return [item]
    for conj in ("以及", "及", "和"):
        if conj in item:
            left, _, right = item.partition(conj)
            # 各区县党委和政府 is one collective: a bare head noun is no body of its own.
            if looks_like_agency(left) and looks_like_agency(right) and not BARE_HEAD.fullmatch(right):
                return [left, right]
    return [item]


def _parties_from_list(text: str) -> list[str] | None:
    names: list[str] = []
    for raw in _groups_with_definitions(text):
        for name in _split_conjoined(_clean_item(raw)):
            core = INLINE_LEAD.sub("", DEFINITION.sub("", name))
            if not looks_like_agency(core):
                return None
            names.append(name)
    return names or None


def parse_clause(content: str) -> tuple[list[Party], list[str]] | None:
    """The parties of a clause's inner text, and any implicit-rule bodies; None if not a clause."""
    implicit = [m["who"] for m in IMPLICIT_NOTE.finditer(content)]
    content = IMPLICIT_NOTE.sub("", content).strip("，,；; ")
    content = SCHEDULE_PART.sub("", content).strip("，,；; ")
    content = re.sub(r"[〔\[][^〔〕\[\]]*[〕\]]$", "", content).strip("，,；; ")
    labelled = list(LABEL.finditer(content))
    parties: list[Party] = []
    if labelled:
        if labelled[0].start() != 0 and content[: labelled[0].start()].strip("，,；; "):
            return None
        has_lead_label = any(m["label"] in LEAD_LABELS for m in labelled)
        for k, m in enumerate(labelled):
            body = content[m.end(): labelled[k + 1].start() if k + 1 < len(labelled) else len(content)]
            names = _parties_from_list(body.strip("，,；; "))
            if names is None:
                return None
            label = m["label"]
            for n, name in enumerate(names):
                if INLINE_LEAD.search(name):  # 责任单位：A（牵头）、B
                    parties.append(Party(INLINE_LEAD.sub("", name), "lead", "marked"))
                elif label in LEAD_LABELS:
                    parties.append(Party(name, "lead", "marked"))
                elif label in SUPPORT_LABELS or has_lead_label:
                    parties.append(Party(name, "support", ""))
                elif n == 0 and not any(p.role == "lead" for p in parties) \
                        and not any(INLINE_LEAD.search(other) for other in names):
                    parties.append(Party(name, "lead", "first_listed"))
                else:
                    parties.append(Party(name, "support", ""))
        return (parties, implicit) if parties else None
    return _verbal_clause(content, implicit)


def _verbal_clause(content: str, implicit: list[str]) -> tuple[list[Party], list[str]] | None:
    """（A牵头，B、C配合） （A、B等按职责分工负责） （A会同B负责） 由A牵头."""
    segments = [s for s in re.split(r"[，,；;]", content) if s.strip()]
    if not segments:
        return None
    parties: list[Party] = []
    saw_verb = False
    for segment in segments:
        segment = segment.strip().removeprefix("由")
        m = VERB_TAIL.search(segment)
        verb = m["verb"].lstrip("等") if m else ""
        body = segment[: m.start()] if m else segment
        lead_side, _, with_side = body.partition("会同")
        names = _parties_from_list(lead_side)
        if names is None:
            return None
        others = _parties_from_list(with_side) if with_side else []
        if others is None:
            return None
        saw_verb = saw_verb or bool(verb) or bool(with_side)
        if verb.startswith("牵头"):
            roles = [Party(n, "lead", "marked") for n in names]  # A、B牵头: co-leads
        elif with_side:
            roles = [Party(names[0], "lead", "marked")] + [Party(n, "support", "") for n in names[1:]]
        elif verb in ("配合", "参与", "协助", "协同"):
            roles = [Party(n, "support", "") for n in names]
        else:
            roles = [Party(n, "support", "") for n in names]
        parties.extend(roles)
        parties.extend(Party(n, "support", "") for n in others)
    if not saw_verb:
        return None
    if not any(p.role == "lead" for p in parties):
        first = parties[0]
        parties[0] = Party(first.surface, "lead", "first_listed")
    return parties, implicit


LABELLED_LINE = re.compile(rf"^(?:{LABEL.pattern})")
PROSE_LEAD = re.compile(r"由(?=[^，。；]{2,80}?牵头)")
HUITONG = re.compile(r"会同")
SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


def find_clauses(text: str, start: int, end: int) -> list[Clause]:
    """Bracketed responsibility notes in text[start:end], and lines that are a labelled clause."""
    clauses = []
    for lo, hi in bracketed_spans(text[:end], start):
        parsed = parse_clause(text[lo + 1: hi - 1])
        if parsed:
            clauses.append(Clause(lo, hi, tuple(parsed[0]), tuple(parsed[1])))
    pos = start
    for line in text[start:end].split("\n"):
        if LABELLED_LINE.match(line) and (parsed := parse_clause(line.rstrip("。；"))):
            clauses.append(Clause(pos, pos + len(line), tuple(parsed[0]), tuple(parsed[1])))
        pos += len(line) + 1
    return sorted(clauses, key=lambda c: c.start)


def find_prose_clauses(text: str, start: int, end: int, registry) -> list[Clause]:
    """由X牵头 and X会同Y sentences: the responsibility clauses of documents that write them in prose."""
    from gazettekg.extract.agencies import agency_list_at

    clauses = []
    for m in SENTENCE.finditer(text, start, end):
        sentence_start, sentence = m.start(), m.group(0)
        parties: list[Party] = []
        you = PROSE_LEAD.search(sentence)
        if you:
            leads = agency_list_at(text, sentence_start + you.end(), registry)
            after = leads[-1][1] if leads else 0
            if leads and text.startswith("牵头", after):
                parties = [Party(text[a:b], "lead" if k == 0 else "support", "marked" if k == 0 else "")
                           for k, (a, b) in enumerate(leads)]
                rest = re.match(r"牵头(?:负责)?[，,]?(?:会同|联合)?", text[after:])
                if rest and rest.group(0).endswith(("会同", "联合")):
                    for a, b in agency_list_at(text, after + rest.end(), registry):
                        parties.append(Party(text[a:b], "support", ""))
        else:
            hui = HUITONG.search(sentence)
            if hui:
                head = re.sub(r"(?:要|应|应当|将|负责|牵头)$", "", sentence[: hui.start()])
                head_start = sentence_start + len(re.match(r"^[，、\s]*", head).group(0))
                lead = agency_list_at(text, head_start, registry)
                if lead and len(lead) == 1 and text[lead[0][1]: sentence_start + hui.start()] in ("", "要", "应",
                                                                                                  "应当", "将"):
                    parties = [Party(text[lead[0][0]: lead[0][1]], "lead", "marked")]
                    for a, b in agency_list_at(text, sentence_start + hui.end(), registry):
                        parties.append(Party(text[a:b], "support", ""))
        if parties:
            clauses.append(Clause(sentence_start, m.end(), tuple(parties), ()))
    return clauses


@dataclass(frozen=True, slots=True)
class Task:
    path: str
    title: str


def _owner(sections: list[Section], offset: int) -> Section | None:
    """The deepest heading whose span holds the offset."""
    return max((s for s in sections if s.start <= offset < s.end), key=lambda s: s.start, default=None)


def tasks_of_clauses(source: SourceText, doc: Document, clauses: list[Clause]) -> list[Task]:
    """The task each clause closes: its heading, or — where one heading (or none) holds several
    clauses — the stretch of text since the previous clause, titled by its first sentence."""
    sections = list(doc.walk())
    owners = [_owner(sections, c.start) for c in clauses]
    counts: dict[str, int] = {}
    for owner in owners:
        key = owner.path if owner else ""
        counts[key] = counts.get(key, 0) + 1
    tasks: list[Task] = []
    seen_in: dict[str, int] = {}
    previous_end: dict[str, int] = {}
    for clause, owner in zip(clauses, owners, strict=True):
        key = owner.path if owner else ""
        seen_in[key] = seen_in.get(key, 0) + 1
        if owner is not None and counts[key] == 1:
            tasks.append(Task(owner.path, owner.title))
        else:
            since = previous_end.get(key, owner.title_end if owner else doc.body_start)
            stretch = source.text[since: clause.start].lstrip("。；，\n ")
            title = re.split(r"[。；！？\n]", stretch, maxsplit=1)[0].strip() or (owner.title if owner else "")
            tasks.append(Task(f"{key}#{seen_in[key]}" if key else f"#{seen_in[key]}", title))
        previous_end[key] = clause.end
    return tasks


def find_assignments(source: SourceText, doc: Document, resolver: Resolver) -> list[Assignment]:
    """Every (task, agency) pair the document's clauses state, with provenance."""
    for alias, referent, _ in find_definitions(source.text[doc.start: doc.end]):
        resolver.define(alias, referent)
    clauses = find_clauses(source.text, doc.body_start, doc.end)
    if not clauses:
        # A document without bracketed clauses writes its assignments in prose (由X牵头, X会同Y).
        clauses = find_prose_clauses(source.text, doc.body_start, doc.end, resolver.registry)
    out: list[Assignment] = []
    standing: list[str] = []  # bodies made responsible for every later task
    for clause, task in zip(clauses, tasks_of_clauses(source, doc, clauses), strict=True):
        prov = Provenance.of(source, doc.doc_id, task.path, clause.start, clause.end)
        seen: set[str] = set()
        for rank, party in enumerate(clause.parties, 1):
            defined = DEFINITION.search(party.surface)
            surface = DEFINITION.sub("", party.surface)
            agency_id = resolver.define(defined["alias"], surface) if defined else resolver.resolve(surface)
            if agency_id in seen:
                continue
            seen.add(agency_id)
            out.append(Assignment(doc.doc_id, task.path, task.title, agency_id, normalize(surface), party.role,
                                  party.lead_basis, rank, "explicit", prov))
        for body in standing:
            agency_id = resolver.resolve(body)
            if agency_id not in seen:
                seen.add(agency_id)
                out.append(Assignment(doc.doc_id, task.path, task.title, agency_id, normalize(body), "support",
                                      "", len(seen), "implicit", prov))
        standing.extend(clause.implicit)
    return out
