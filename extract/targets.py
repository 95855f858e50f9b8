"""Quantitative targets (goals) and rule limits of one document.

Two readers:

* indicator tables of plans (``指标 / 2020年 / 2025年 / 属性``), whose rows arrive as text lines
  ``毛入园率（%） 90.3 ＞93 预期性``: read as structured rows with baseline, target, comparator,
  years and 预期性/约束性, sub-rows ``其中：…`` under their parent indicator;
* prose: every number with a unit (``extract.numbers``) in a goal context — a goal verb or
  comparator before it (达到, 建设, 新增, 不低于…), a verb right after it (``100% 完成整治``), a
  hedge (力争) or a target year.  Subsidies, rewards and rule limits (``最高500万元``,
  ``贴息率不高于…50%``) become ``Rule`` records instead; conditions (``20 万人口以上的区县``),
  history (background chapters, ``累计``) and durations (``3 年``) are neither.
"""

from __future__ import annotations

import re

from gazettekg.extract.deadlines import BACKGROUND_TITLE, deepest_section, span_of
from gazettekg.extract.indicators import indicator_table_targets
from gazettekg.extract.numbers import (
    Quantity,
    comparator_around,
    find_quantities,
    half_width,
    hedge_in,
)
from gazettekg.extract.sectionindex import section_index
from gazettekg.extract.timeexpr import PlanPeriod, find_plan_periods, find_time_exprs, plan_period
from gazettekg.records import Document, Provenance, Rule, Section, SourceText, Target

HARD_STOPS = "，。；;！？：\n"
SENTENCE_STOPS = "。；;！？\n"

# ---- prose -----------------------------------------------------------------------------

# Money handed out or a penalty: never a goal.
SUBSIDY = re.compile(r"奖补|补助|补贴|贴息|资助|罚款|处以(?![上下内])|予以|给予|原则上|至少各")
# An award is money handed out when it is counted in money (奖励5万元), a goal otherwise (获得科技奖励15项).
AWARD = re.compile(r"奖励")
# A limit a rule imposes (最高500万元, 贴息期, 费率); with 不低于/超过 the same words state a floor the
# government commits to (信贷额度不低于50亿元), which is a goal.
CAP = re.compile(r"费率|利率|额度|最高|按[^，。；]{0,12}比例")
# Per-head amounts are rules when they are money (每人补助500元) and goals otherwise (每村配置1辆).
PER_HEAD = re.compile(r"每[个家户人名所次村]")
# Verbs and phrases that make a number a goal when they govern it.
GOAL_BEFORE = re.compile(
    r"达到|达|提高到|提升到|增加到|增长到|降低到|下降到|减少到|控制在|保持在|巩固在|稳定在|突破|超过|不低于|不少于|"
    r"建设|建成|建好|建强|新建|改建|扩建|新增|增加|培育|培养|打造|创建|争创|引进|开发|选派|评选|遴选|支持|入选|"
    r"获得|设立|完成|实现|覆盖|认定|推出|组建|布局|招收|培训|资助|吸引|落户|提高|提升|增长|降低|下降|减少|"
    r"发放|投放|建立|形成|扶持|改造|配备|创成|达标|规模|发布|实施|面向|推动|联通|接入|配置|设置|配齐|扩容|举办|"
    r"组织|开展|推进|带动|累计|目标|修复|成立|启动|开工|续建"
)
# A section whose title says it sets goals (目标任务分解表, 工作指标): every number in it is one.
GOAL_SECTION = re.compile(r"目标|指标")
# A verb right after the number: "100% 完成整治", "20 个师范类专业入选".
GOAL_AFTER = re.compile(r"^[^，。；、]{0,24}?(?:完成|实现|开展|进行|建立|制定|公示|安装|普查|达到|达标|入选|进入|"
                        r"列入|落户|覆盖|纳入|通过|获得|建成)")
# History, not intent.
PAST = re.compile(r"截至|截止|现有|目前|已经|已达|十三五|上年|去年|同比|历年|此前")
# A verb of making right before the number: "打造60个以上的…基地" is a goal, not a condition.
MAKE_BEFORE = re.compile(r"(?:打造|建设|建成|新建|培育|创建|新增|将)\s*$")
# A team or model written as a sum: “1名团长+3名创业导师+N名志愿者”, “1+3+N”.
FORMULA = re.compile(r"[\dN]\s*\+|\+\s*[\dN]|[名个人]\+")
# A number inside a definition: "OPC是指由…微型团队（一般不超过10人）创办的…".
DEFINITION = re.compile(r"是指|指的是|系指|一般不(?:超过|少于|低于|高于|多于)")
# A number inside a condition: "20 万人口以上的区县", "建筑高度大于 100 米的".
CONDITION_AFTER = re.compile(r"^[一-龥]{0,3}(?:以上|以下|及以上|及以下|以内)的")
CONDITION_BEFORE = re.compile(r"(?:大于|小于|高于|低于|超过|不足|满|未满|达到)\s*$")
LEADING_VERB = re.compile(
    r"^(?:力争|争取|并|和|及|再|还|新增|建设|建成|建好|建强|新建|培育|培养|打造|创建|引进|开发|选派|评选|遴选|支持|"
    r"入选|获得|推动|推进|使|全市|全省|全区|逐步|进一步|累计)+")
TRAILING_VERB = re.compile(
    r"(?:逐步|稳定|力争)?(?:达到|达|提高到|提升到|增加到|增长到|降低到|下降到|控制在|保持在|巩固在|稳定在|突破|超过|"
    r"不低于|不少于|不超过|为|在)?\s*$")


def _segment(text: str, q: Quantity, others: list[Quantity], cs: int, ce: int) -> tuple[int, int]:
    """The part of the clause that belongs to ``q`` when a 、-list holds several numbers:
    ``建设 50 个课程创新基地、100 门精品选修课程`` -> ``100 门精品选修课程`` for the second."""
    s, e = cs, ce
    for o in others:
        if o.end <= q.start and o.start >= cs:
            cut = text.rfind("、", o.end, q.start)
            if cut != -1:
                s = max(s, cut + 1)
        if o.start >= q.end and o.end <= ce:
            cut = text.find("、", q.end, o.start)
            if cut != -1:
                e = min(e, cut)
    return s, e


_LIST_JOIN = re.compile(r"^\s*(?:、|和|及|与|，)\s*$")


def _list_comparator(text: str, q: Quantity, quantities: list[Quantity], cs: int) -> str | None:
    """The comparator written before the first item of a short list that ``q`` ends (A和B, A、B)."""
    before = [o for o in quantities if cs <= o.start and o.end <= q.start]
    if not before:
        return None
    first = before[-1]
    between = text[first.end:q.start]
    if len(between) > 12 or not re.search(r"[、和及与]", between) or re.search(r"[，,；;]", between):
        return None
    shared = comparator_around(text, first.start, first.end)
    return shared if shared in (">=", ">", "<=") and comparator_around(text, first.end, first.end) == "=" else None


def _qualifies_next(text: str, q: Quantity, quantities: list[Quantity], ce: int) -> bool:
    """``培育营收超1000万元OPC100家以上``: a money figure after 超/过 that describes the things counted
    by the next number of its clause is a qualifier, not a goal."""
    if not q.unit.endswith("元") or not re.search(r"[超过逾]\s*$", text[max(0, q.start - 2):q.start]):
        return False
    following = [o for o in quantities if q.end <= o.start < ce]
    return bool(following) and not re.search(r"[、，和及与]", text[q.end:following[0].start])


def _respectively(text: str, q: Quantity, quantities: list[Quantity], cs: int) -> list[Quantity] | None:
    """The quantities of a ``分别`` list that ``q`` belongs to, in order; None when it is in none."""
    at = text.rfind("分别", cs, q.start)
    if at == -1:
        return None
    listed: list[Quantity] = []
    for other in quantities:
        if other.start < at:
            continue
        if listed and not _LIST_JOIN.match(text[listed[-1].end:other.start]):
            break
        listed.append(other)
    return listed if len(listed) >= 2 and q in listed else None


def _respectively_indicator(text: str, cs: int, first_number: int) -> str:
    """``货物贸易、对外投资和实际利用外资分别占比达`` -> ``货物贸易、对外投资和实际利用外资占比``."""
    head = text[cs:first_number].replace("分别", "")
    return TRAILING_VERB.sub("", LEADING_VERB.sub("", head.strip())).strip()


def _indicator(text: str, q_start: int, q_end: int, s: int, e: int) -> tuple[str, str | None]:
    """The indicator a number measures, and the subject when one is written before it.

    ``建设 50 个课程创新基地`` -> 课程创新基地; ``公办幼儿园在园幼儿占比达 55%`` -> 公办幼儿园在园幼儿占比;
    ``燃气经营企业 100% 建立应急队伍`` -> (建立应急队伍, 燃气经营企业).
    """
    after = re.sub(r"^\s*(?:以上|以下|左右|以内)?(?:的)?", "", text[q_end:e]).strip()
    before = text[s:q_start].strip()
    before = TRAILING_VERB.sub("", before).strip()
    before = LEADING_VERB.sub("", before).strip()
    if after and len(re.sub(r"[^一-龥]", "", after)) >= 2:
        if before and not GOAL_BEFORE.search(before) and text[q_end:e].strip()[:1] not in "的":
            verb_after = GOAL_AFTER.match(text[q_end:e].strip())
            if verb_after:
                return after, before
        return after, None
    return before or after, None


def _target_year_of(q_start: int, sentence_start: int, sentence_exprs, clause_exprs, section_year: int | None,
                    document_year: int | None) -> int | None:
    """The year a goal is for: a time written before it in its own sentence (``2026年，先行培育10个``),
    else one in its clause, else a "by" time anywhere in the sentence, else the section's or the
    plan's last year."""
    before = [t for t in sentence_exprs if t.date_end and t.kind in ("by", "period")
              and sentence_start + t.end <= q_start]
    if before:
        return int(max(before, key=lambda t: t.end).date_end[:4])
    for t in clause_exprs:
        if t.date_end and t.kind in ("by", "period"):
            return int(t.date_end[:4])
    for t in sentence_exprs:
        if t.date_end and t.kind == "by":
            return int(t.date_end[:4])
    return section_year or document_year


def _in_goal_section(doc: Document, pos: int) -> bool:
    return any(GOAL_SECTION.search(s.title or "") for s in section_index(doc).enclosing(pos))


_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")


def _attachments_year(doc: Document) -> PlanPeriod | None:
    """The one year the attachments are titled with (``附件2 2019年街镇…目标任务分解表``): a plan with
    no period of its own whose task lists are all for that year."""
    years = {int(y) for s in doc.sections if (s.label or "").startswith("附件")
             for y in _TITLE_YEAR.findall(s.title or "")}
    if len(years) == 1:
        year = years.pop()
        return PlanPeriod(year, year)
    return None


def _section_year(text: str, section: Section | None, doc: Document, plan: PlanPeriod | None) -> int | None:
    """A "by" year written anywhere in the section's own text (its goal year: 到 2022 年底), else the
    year its heading or an enclosing one is titled with (附件2 2019年街镇目标任务分解表)."""
    if section is None:
        return None
    body_end = min([c.start for c in section.children] + [section.end])
    start = section.start
    while start < body_end:  # a long body in pieces of paragraphs: the first piece that says is enough
        nl = text.find("\n", start + 20000, body_end)
        end = body_end if nl == -1 else nl
        for t in find_time_exprs(text[start:end], doc.date, plan):
            if t.kind == "by" and t.date_end:
                return int(t.date_end[:4])
        start = end
    for s in section_index(doc).enclosing(section.start):
        if m := _TITLE_YEAR.search(s.title or ""):
            return int(m[1])
    return None


def _document_year(text: str, doc: Document, plan: PlanPeriod | None) -> int | None:
    """The year a document's goals are for when nothing nearer says: its plan period, else the year of
    its goals section (一、总体目标 到2028年，…), else the one year its attachments are titled with."""
    if plan:
        return plan.last_year
    for s in doc.walk():
        if GOAL_SECTION.search(s.title or "") and (year := _section_year(text, s, doc, plan)):
            return year
    attachments = _attachments_year(doc)
    return attachments.last_year if attachments else None


def find_targets(source: SourceText, doc: Document) -> tuple[list[Target], list[Rule]]:
    """The quantitative goals of ``doc`` and, apart from them, its quantitative rule limits."""
    text = source.text
    plan = plan_period(doc.title, doc.notice_title)
    document_year = _document_year(text, doc, plan)
    lo = doc.body_start if doc.body_start > doc.start else doc.start
    targets, table_lines = indicator_table_targets(source, doc, lo, doc.end)
    rules: list[Rule] = []
    background = [s for s in doc.walk() if BACKGROUND_TITLE.search(s.title or "")]
    titles = {re.sub(r"\s", "", t) for t in (doc.title, doc.notice_title) if t}
    section_years: dict[str, int | None] = {}

    pos = lo
    while pos < doc.end:
        nl = text.find("\n", pos, doc.end)
        line_end = doc.end if nl == -1 else nl
        line_start = pos
        pos = line_end + 1
        line = text[line_start:line_end]
        compact = "".join(line.split())  # str.split() and re's \s know the same whitespace
        if line_start in table_lines or not compact or any(compact in t for t in titles if len(compact) > 3):
            continue
        if any(b.start <= line_start < b.end for b in background):
            continue
        quantities = find_quantities(line, chinese=True)
        if not quantities:
            continue
        abs_q = [q.shifted(line_start) for q in quantities]
        baselines = _baseline_spans(line, line_start)
        last_goal_sentence = -1  # sentence start of the last number taken as a goal
        for q in abs_q:
            if any(b_start <= q.start < b_end for b_start, b_end in baselines):
                continue
            prefix = text[line_start:q.start]
            if prefix.count("《") > prefix.count("》") or prefix.rstrip().endswith("第"):  # 第 N: an ordinal
                continue
            cs, ce = span_of(text, q.start, q.end, HARD_STOPS, line_start, line_end)
            ss, se = span_of(text, q.start, q.end, SENTENCE_STOPS, line_start, line_end)
            clause, sentence_before = text[cs:ce], text[ss:q.start]
            comparator = ">" if q.over else comparator_around(text, q.start, q.end)
            section = deepest_section(doc, q.start)
            where = section.path if section else ""
            after = text[q.end:ce]
            if (SUBSIDY.search(clause) or (CAP.search(clause) and comparator not in (">=", ">"))
                    or (AWARD.search(clause) and q.unit.endswith("元"))
                    or (q.is_time and comparator in ("<=", "<", ">=") and "期" in clause)
                    or (q.unit.endswith("元") and (comparator in ("<=", "<") or PER_HEAD.search(clause)))):
                rules.append(Rule(doc.doc_id, where, clause.strip(), q.value, q.unit, comparator,
                                  Provenance.of(source, doc.doc_id, where, *_strip(text, cs, ce))))
                continue
            if (q.is_time and "天数" not in text[cs:q.start]) or q.unit in ("级",):
                continue  # a duration; but 优良天数达到300天 counts days as its measure
            made = MAKE_BEFORE.search(text[cs:q.start])
            # "40%以上的面积达到…要求" is a share that must reach something, not a condition.
            share_reaching = q.unit == "%" and GOAL_AFTER.match(after.lstrip())
            if (CONDITION_AFTER.match(after.lstrip()) and not made and not share_reaching) or (
                    CONDITION_BEFORE.search(text[cs:q.start]) and re.match(r"^[^，。；]{0,4}的", after)):
                continue
            if PAST.search(text[ss:q.start]) or DEFINITION.search(text[ss:q.start]):
                continue
            if _qualifies_next(text, q, abs_q, ce) or FORMULA.search(clause):
                continue  # a qualifier, or a part of a formula: “1名团长+3名创业导师+N名志愿者”
            ts, te = _segment(text, q, abs_q, cs, ce)
            indicator_subject = None
            if comparator == "=" and (shared := _list_comparator(text, q, abs_q, cs)):
                comparator = shared  # 不少于40块户外广告和500块户外招牌: the 不少于 governs the list
            if listed := _respectively(text, q, abs_q, cs):
                # 货物贸易、对外投资和实际利用外资分别占比达30%、20%和10%: one clause, one goal per item,
                # and a 以上 that closes the list qualifies every item.
                ts, te = cs, ce
                if comparator == "=":
                    last = listed[-1]
                    comparator = ">" if last.over else comparator_around(text, last.start, last.end)
                indicator_subject = (_respectively_indicator(text, cs, listed[0].start), None)
            s_exprs = find_time_exprs(text[ss:se], doc.date, plan) + find_plan_periods(text[ss:se])
            c_exprs = [t for t in s_exprs if cs <= ss + t.start < ce]
            if doc.date and any(t.kind in ("by", "period") and t.date_end and t.date_end < doc.date
                                and ss + t.start < q.start for t in s_exprs):
                continue  # a result of a year already past: "2020年，全省完成…"
            hedge = hedge_in(sentence_before)
            goal = (GOAL_BEFORE.search(text[cs:q.start]) or comparator != "="
                    or GOAL_AFTER.match(after.lstrip()) or hedge
                    or any(t.kind == "by" for t in s_exprs)
                    # A list of goals shares its verb: 建设…学校 50 所，…院校 5 所。
                    or last_goal_sentence == ss
                    or _in_goal_section(doc, q.start))
            if not goal:
                continue
            last_goal_sentence = ss
            if where not in section_years:
                section_years[where] = _section_year(text, section, doc, plan)
            indicator, subject = indicator_subject or _indicator(text, q.start, q.end, ts, te)
            qs, qe = _strip(text, ts, te)
            targets.append(Target(
                doc_id=doc.doc_id, where=where, indicator=indicator, subject=subject or "",
                value=q.value, value_max=q.value_max, unit=q.unit, comparator=comparator,
                baseline=None, baseline_year=None,
                target_year=_target_year_of(q.start, ss, s_exprs, c_exprs, section_years[where], document_year),
                attribute=None, hedge=hedge,
                provenance=Provenance.of(source, doc.doc_id, where, qs, qe),
            ))
    return targets, rules


_BASELINE = re.compile(r"(?:由|从)\s*(?:\d{4}\s*年(?:底|末)?的?)?\s*(\d+(?:\.\d+)?\s*(?:%|万人|亿元|万元|个|所|人)?)"
                       r"\s*(?:提高|提升|增加|增长|下降|降低|减少|扩大|缩小)")


def _baseline_spans(line: str, offset: int) -> list[tuple[int, int]]:
    """Spans of numbers that are a goal's starting point (由 2020 年的 90% 提高到 95%)."""
    return [(m.start(1) + offset, m.end(1) + offset) for m in _BASELINE.finditer(half_width(line))]


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \u3000\t、":
        s += 1
    while e > s and text[e - 1] in " \u3000\t":
        e -= 1
    return s, e
