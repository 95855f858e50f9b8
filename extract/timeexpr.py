"""Chinese time expressions to ISO dates.

Resolves what a gazette writes about time — ``2022 年 3 月底前``, ``到 2025 年``,
``2022 年 4 月至 10 月底``, ``即日起至 2021 年 12 月底``, ``分别于 2022 年 2 月 20 日、5 月 20 日之前``,
``“十四五”期间``, ``五年内``, ``每季度``, ``留存 3 年`` — against the document's own date and the
period of the plan it belongs to.  ``end`` is always the last day meant (``3月底`` -> the 31st,
``2022年底`` -> 12-31).  Pure functions; offsets refer to the string given.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from gazettekg.extract.numbers import half_width, parse_chinese_numeral


@dataclass(frozen=True, slots=True)
class PlanPeriod:
    """The years a plan covers, both inclusive: 十四五 -> 2021..2025."""

    first_year: int
    last_year: int

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """One time expression found in a text."""

    text: str  # as written
    start: int
    end: int
    kind: str  # by | period | recurring | duration
    date_start: str | None  # ISO
    date_end: str | None  # ISO, the last day meant
    recurrence: str | None = None  # monthly | quarterly | yearly | semiannually | weekly | daily


# ---- plan periods ---------------------------------------------------------------

_ORDINAL = "一二三四五六七八九"


def five_year_plan(n: int) -> PlanPeriod:
    """The years of the n-th Five-Year Plan (1953–1957 was the first; 1963–65 was skipped)."""
    if n == 1:
        return PlanPeriod(1953, 1957)
    if n == 2:
        return PlanPeriod(1958, 1962)
    first = 1966 + 5 * (n - 3)
    return PlanPeriod(first, first + 4)


_FYP_RE = re.compile(r"[“\"]?十([" + _ORDINAL + r"]?)五[”\"]?")
_SPAN_RE = re.compile(r"(\d{4})\s*[—–\-~－至到]{1,2}\s*(\d{4})\s*年")


def fyp_number(text: str) -> int | None:
    """``十四五`` -> 14, ``十五`` -> 15 (only when written as a plan name)."""
    m = _FYP_RE.search(text)
    if not m:
        return None
    return 10 + _ORDINAL.index(m[1]) + 1 if m[1] else 15


def plan_period(*texts: str | None) -> PlanPeriod | None:
    """The period a plan covers, read from its title(s): an explicit ``（2021—2025年）`` wins,
    then a Five-Year-Plan name ``“十四五”规划``, then a one-year plan ``2022年...工作要点``."""
    for text in texts:
        if not text:
            continue
        t = half_width(text)
        if m := _SPAN_RE.search(t):
            first, last = int(m[1]), int(m[2])
            if first <= last:
                return PlanPeriod(first, last)
    for text in texts:
        if text and re.search(r"[“\"]十[" + _ORDINAL + r"]?五[”\"]", text):
            n = fyp_number(text)
            if n:
                return five_year_plan(n)
    for text in texts:
        if text and (m := re.search(r"(\d{4})\s*年(?:度)?", half_width(text))):
            return PlanPeriod(int(m[1]), int(m[1]))
    return None


# ---- calendar helpers -------------------------------------------------------------


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _to_date(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _num(text: str) -> int:
    text = text.strip()
    return int(text) if text.isdigit() else parse_chinese_numeral(text)


# ---- the grammar ------------------------------------------------------------------

_CN = "〇○零一二三四五六七八九"
_YEAR = rf"(?P<y>\d{{4}}|[{_CN}]{{4}})\s*年"
_MONTH = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]"
_PART = r"(?P<part>底|末|初|上旬|中旬|下旬)"
_HALF = r"(?P<half>上半年|下半年)"
_QUARTER = r"第?(?P<q>[一二三四1-4])\s*季度"
# A point in time: a year with an optional month/day/part, or a month without a year.
_POINT = (
    rf"(?:{_YEAR}\s*|(?<![\d年{_CN}十]))(?:{_HALF}|{_QUARTER}|{_MONTH}\s*(?:{_DAY})?)?\s*{_PART}?"
)
POINT_RE = re.compile(_POINT)
# The same points, tried only where one can begin (a digit, a numeral, 十, 上/下半年, 第N季度): POINT_RE
# matches the empty string almost everywhere, and those empty matches are never points.
_POINT_SCAN = re.compile(rf"(?=[\d{_CN}十上下第]){_POINT}")
_TO_AFTER = re.compile(r"\s*(?:至|到)")
_RANGE_JOIN = re.compile(r"\s*(?:至|到|—|–|-|－|~)\s*$")
_LIST_JOIN = re.compile(r"\s*[、和及]\s*$")
_BY_AFTER = re.compile(r"^\s*(?:之前|以前|前|为止|止)")
_BY_BEFORE = re.compile(r"(?:到|至|截至|截止到?|力争到|争取到|力争在|争取在|(?<!作)为|于|在)\s*$")
_YEAR_SPAN_BEFORE = re.compile(r"(\d{4})\s*年?\s*(?:至|到|—|–|-|－|~)\s*$")
_TODAY_BEFORE = re.compile(r"(?:自|从)?即日起\s*(?:至|到)?\s*$")
_VALID_UNTIL = re.compile(r"\s*起\s*(?:施行|实施|执行|生效)\s*[，,、]?\s*(?:有效期(?:为|至|到)?|至)\s*(?:至|到)?\s*")


def m_start(before: str) -> int:
    """Where the 自 that opens a term starts."""
    return before.rstrip().rfind("自")


_TAKES_EFFECT = re.compile(r"\s*(?:起\s*(?:施行|实施|执行|生效)|开始(?:施行|实施|执行))(?!\s*[，,、]?\s*(?:有效期|至))")
_NOT_A_DEADLINE_AFTER = re.compile(r"^\s*(?:第\s*\d+\s*期|以来|起施行|起实施|起执行|起)")


@dataclass(slots=True)
class _Point:
    start: int
    end: int
    year: int | None
    first: date
    last: date
    has_month: bool
    has_day: bool
    end_of: bool = False  # 3月底, 年末: the end of the month or year is meant


def _resolve(m: re.Match, year: int | None) -> _Point | None:
    """The first and last day a matched point covers, given the year in force."""
    if m["y"]:
        year = _num(m["y"])
    if year is None or not 1900 <= year <= 2200:
        return None
    part = m["part"]
    if m["half"]:
        first, last = (date(year, 1, 1), date(year, 6, 30)) if m["half"] == "上半年" else (
            date(year, 7, 1), date(year, 12, 31))
        return _Point(m.start(), m.end(), year, first, last, True, False)
    if m["q"]:
        q = _num(m["q"])
        first, last = date(year, 3 * q - 2, 1), last_day(year, 3 * q)
        return _Point(m.start(), m.end(), year, first, last, True, False)
    if m["m"]:
        month = _num(m["m"])
        if not 1 <= month <= 12:
            return None
        if m["d"]:
            day = _num(m["d"])
            try:
                d = date(year, month, day)
            except ValueError:
                return None
            return _Point(m.start(), m.end(), year, d, d, True, True)
        first, last = date(year, month, 1), last_day(year, month)
        if part in ("初", "上旬"):
            last = date(year, month, 10)
        elif part == "中旬":
            first, last = date(year, month, 11), date(year, month, 20)
        elif part == "下旬":
            first = date(year, month, 21)
        return _Point(m.start(), m.end(), year, first, last, True, False, part in ("底", "末"))
    first, last = date(year, 1, 1), date(year, 12, 31)
    if part == "初":
        last = date(year, 3, 31)
    return _Point(m.start(), m.end(), year, first, last, False, False, part in ("底", "末"))


# What is achieved by a month written without a year: （6月取得明显成效…）.
_ACHIEVED_AFTER = re.compile(
    r"\s*(?:前|内)?\s*(?:再|逐步|基本|全面|全部|力争|要|将|均|初步|要求)?\s*"
    r"(?:完成|取得|实现|见效|启动|建成|出台|印发|上线|开通|创建|形成|投产|新增|开工|扩大|达到|达|覆盖|建立|推广|投入使用)"
)


_LOOK = 40  # characters a point's surroundings are read on each side


def _months_before(day: date, ref: date) -> int:
    return (ref.year - day.year) * 12 + ref.month - day.month


def _points(text: str, context_year: int | None, not_before: date | None = None) -> list[_Point]:
    """Every point in time, with month-only points given the year last written before them.

    With no year written and ``not_before`` given (the document's date), a month half a year or
    more in the past means next year's: a notice of December asking for something by 3月底 means
    March next year, while a notice of April asking for 3月底 still means this March.
    """
    out: list[_Point] = []
    year = context_year
    explicit = False
    for m in _POINT_SCAN.finditer(text):
        if not (m["y"] or m["m"] or m["q"] or m["half"]):
            continue
        before, after = text[max(0, m.start() - _LOOK):m.start()], text[m.end():m.end() + _LOOK]
        if not m["y"] and not (m["d"] or m["part"] or _BY_AFTER.match(after)
                               or _RANGE_JOIN.search(before) or _LIST_JOIN.search(before)
                               or (m["m"] and _TO_AFTER.match(after))
                               or ((m["m"] or m["q"] or m["half"]) and _ACHIEVED_AFTER.match(after))):
            # A bare "3月" in running text is too often not a date at all.
            continue
        p = _resolve(m, year)
        if p is None:
            continue
        if m["y"]:
            year, explicit = p.year, True
        elif not explicit and not_before and year is not None and _months_before(p.last, not_before) >= 6:
            p = _resolve(m, year + 1) or p
        out.append(p)
    return out


def find_dates(text: str, doc_date: str | date | None = None, plan: PlanPeriod | None = None,
               context_year: int | None = None) -> list[TimeExpr]:
    """Dated deadlines and periods: ``2022年3月底前`` (by), ``2022年4月至10月底`` (period),
    ``即日起至2021年12月底`` (period from the document's date), lists sharing one year.

    Month-only dates take the year written last before them, else ``context_year``, else the
    year of a one-year plan, else the document's year.
    """
    norm = half_width(text)
    today = _to_date(doc_date)
    if "年" not in norm and "月" not in norm and "季" not in norm:
        return []  # every point holds 年, 月 or 季度, and 年底/年内 hold 年
    roll = None
    if context_year is None:
        if plan and plan.years == 1:
            context_year = plan.first_year
        elif today:
            context_year = today.year
            roll = today
    points = _points(norm, context_year, roll)
    out: list[TimeExpr] = []
    i = 0
    while i < len(points):
        p = points[i]
        # What stands next to the point, within a window: a look at the whole text on each side
        # would make text without sentence stops quadratic.
        w0 = max(0, p.start - _LOOK)
        before, after = norm[w0:p.start], norm[p.end:p.end + _LOOK]
        # A rule's term: 自P1起施行，有效期至P2.
        if i + 1 < len(points) and _FROM_BEFORE.search(before) \
                and _VALID_UNTIL.fullmatch(norm[p.end:points[i + 1].start]):
            q = points[i + 1]
            start = w0 + m_start(before)
            out.append(TimeExpr(text[start:q.end], start, q.end, "period", p.first.isoformat(), q.last.isoformat()))
            i += 2
            continue
        if _FROM_BEFORE.search(before) and (m := _TAKES_EFFECT.match(after)):
            # A rule's start: 自2020年6月15日起施行 (a period that runs on: no end).
            start = w0 + m_start(before)
            out.append(TimeExpr(text[start:p.end + m.end()], start, p.end + m.end(), "period",
                                p.first.isoformat(), None))
            i += 1
            continue
        if _NOT_A_DEADLINE_AFTER.match(after):
            i += 1
            continue
        # A range: P1 至 P2 (the second may omit the year: 2022年4月至10月底).
        if i + 1 < len(points) and _RANGE_JOIN.fullmatch(norm[p.end:points[i + 1].start]):
            q = points[i + 1]
            out.append(TimeExpr(text[p.start:q.end], p.start, q.end, "period",
                                p.first.isoformat(), q.last.isoformat()))
            i += 2
            continue
        # A span of years: 2021—2025年.
        if not p.has_month and (m := _YEAR_SPAN_BEFORE.search(before)) and int(m[1]) <= p.first.year:
            out.append(TimeExpr(text[w0 + m.start():p.end], w0 + m.start(), p.end, "period", f"{m[1]}-01-01",
                                p.last.isoformat()))
            i += 1
            continue
        # From today: 即日起至 P.
        if m := _TODAY_BEFORE.search(before):
            if "即日起" in m[0]:
                start = today.isoformat() if today else None
                out.append(TimeExpr(text[w0 + m.start():p.end], w0 + m.start(), p.end, "period", start,
                                    p.last.isoformat()))
                i += 1
                continue
        # A list sharing one year and one marker: 分别于 P1、P2、P3 之前.
        chain = [p]
        while i + len(chain) < len(points) and _LIST_JOIN.fullmatch(
                norm[chain[-1].end:points[i + len(chain)].start]):
            chain.append(points[i + len(chain)])
        tail_after = norm[chain[-1].end:chain[-1].end + _LOOK]
        by = bool(_BY_AFTER.match(tail_after) or _BY_BEFORE.search(before)
                  or p.has_day or p.end_of or _END_AFTER.match(after)
                  or _ACHIEVED_AFTER.match(after))
        if not p.has_month and not by:
            # A bare year is a deadline when it names a goal's year ("2035年远景目标").
            by = bool(_VISION_AFTER.match(after))
        for q in chain:
            if by:
                out.append(TimeExpr(text[q.start:q.end], q.start, q.end, "by", None, q.last.isoformat()))
            else:
                out.append(TimeExpr(text[q.start:q.end], q.start, q.end, "period", q.first.isoformat(),
                                    q.last.isoformat()))
        i += len(chain)
    for m in _YEAR_END_RE.finditer(norm):
        if context_year is not None and not any(t.start <= m.start() < t.end for t in out):
            out.append(TimeExpr(text[m.start():m.end()], m.start(), m.end(), "by", None, f"{context_year}-12-31"))
    return out


_FROM_BEFORE = re.compile(r"自\s*$")
_END_AFTER = re.compile(r"\s*(?:底|末)")
_VISION_AFTER = re.compile(r"\s*(?:远景|目标|愿景)")


# 年底前 / 年内 with no year written: the end of the year in force.
_YEAR_END_RE = re.compile(
    r"(?<![\d年〇○零一二三四五六七八九十])(?:今年|本年度?|当年)?(?:年底|年末)(?:前|之前)?"
    r"|(?<![\d年])年内(?=完成|实现|建成|出台)"
)


# ---- five-year plan periods, durations, recurrences ----------------------------------

_FYP_PERIOD_RE = re.compile(r"[“\"]?十([" + _ORDINAL + r"]?)五[”\"]?\s*(期间|时期|内|末|期末)")


def find_plan_periods(text: str) -> list[TimeExpr]:
    """``“十四五”期间`` / ``时期`` (a period over the plan's years) and ``“十四五”末`` (by its end)."""
    out = []
    if "十" not in text:
        return out  # every plan name holds 十
    for m in _FYP_PERIOD_RE.finditer(text):
        n = 10 + _ORDINAL.index(m[1]) + 1 if m[1] else 15
        p = five_year_plan(n)
        if m[2] in ("末", "期末"):
            out.append(TimeExpr(m[0], m.start(), m.end(), "by", None, f"{p.last_year}-12-31"))
        else:
            out.append(TimeExpr(m[0], m.start(), m.end(), "period", f"{p.first_year}-01-01",
                                f"{p.last_year}-12-31"))
    return out


_COUNT = r"(?P<n>\d{1,3}|[一二三四五六七八九十两]{1,3})"
_DURATION_UNIT = r"(?P<u>个工作日|工作日|个月|年|天|日|周|小时)"
_WITHIN_RE = re.compile(rf"{_COUNT}\s*{_DURATION_UNIT}\s*(?:内|以内|之内)")
# The length of a benefit or a term: 最长60个月的安居补贴, 提供7天免费住宿, 为期3年.
_TERM_LIMIT_RE = re.compile(
    rf"(?:最长|最多|长达|为期|提供|给予|享受)\s*(?:不超过)?\s*{_COUNT}\s*(?P<u>个月|年|天|日|周)"
)
# A processing time promised for a service: 一天办结, 3个工作日办理完毕.
_SERVICE_RE = re.compile(
    rf"(?<![\d{_CN}]){_COUNT}\s*(?P<u>个工作日|工作日|天|日|小时)\s*(?=办结|办理完毕|办完|审结|出证|完成审批)"
)
_TERM_RE = re.compile(rf"(?<![\d{_CN}]){_COUNT}\s*(?P<u>年|个月)\s*(?:[一-龥]{{0,2}}期|周期)")
_KEEP_RE = re.compile(rf"(?:留存|保存|保留|存档|留档|保管|有效期(?:为)?|期限(?:为)?)\s*(?:不少于|不超过|至少)?\s*"
                      rf"{_COUNT}\s*{_DURATION_UNIT}")


# Each duration pattern, in the order they are tried, with words one of which every match holds.
_DURATION_PATTERNS = (
    (_KEEP_RE, ("存", "留", "保管", "期")),
    (_WITHIN_RE, ("内",)),
    (_TERM_RE, ("期",)),
    (_SERVICE_RE, ("办", "审", "出证")),
    (_TERM_LIMIT_RE, ("最", "长达", "为期", "提供", "给予", "享受")),
)


def find_durations(text: str, plan: PlanPeriod | None = None) -> list[TimeExpr]:
    """``五年内`` (ending with a plan of that length), ``3 年培育期``, ``五年周期``, ``留存 3 年``."""
    norm = half_width(text)
    out: list[TimeExpr] = []
    taken = bytearray(len(norm))  # what earlier matches cover: one slice test a match, however many were taken
    for rx, needs in _DURATION_PATTERNS:
        if not any(word in norm for word in needs):
            continue  # the pattern cannot match: one of these is in every match
        for m in rx.finditer(norm):
            if any(taken[m.start():m.end()]):
                continue
            try:
                n = _num(m["n"])
            except ValueError:
                continue
            if n == 0 or (m["u"] == "年" and n > 100):
                continue
            end = None
            if rx is _WITHIN_RE and m["u"] == "年" and plan and plan.years == n:
                end = f"{plan.last_year}-12-31"
            start = m.start("n") if rx is _TERM_LIMIT_RE and m["n"] else m.start()
            out.append(TimeExpr(text[start:m.end()], start, m.end(), "duration", None, end))
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return out


_RECURRENCE = {"月": "monthly", "个月": "monthly", "季度": "quarterly", "季": "quarterly", "年": "yearly",
               "年度": "yearly", "半年": "semiannually", "周": "weekly", "星期": "weekly", "旬": "every ten days",
               "日": "daily", "天": "daily"}
_EVERY_RE = re.compile(r"每\s*(?:一\s*)?(半年|季度|个月|年度|星期|月|季|年|周|旬|日|天)(?![内前底末])")
# A report cycle written as a compound noun: 月统计通报, 季调度, 周例会.
_CYCLE_RE = re.compile(r"(?<![\d一二三四五六七八九十第本当上下每])(月|季度?|周|旬)度?"
                       r"(?=统计|通报|调度|例会|报告|报送|会商|排名|分析|研判|督查)")


_CYCLE_WORK = re.compile(r"(?:统计通报|统计|通报|调度|例会|报告|报送|会商|排名|分析|研判|督查)")


def find_recurrences(text: str) -> list[TimeExpr]:
    """``每季度``, ``每月``, ``每年``, ``每半年`` and cycles such as ``月统计通报``."""
    out = []
    if "每" not in text and "月" not in text and "季" not in text and "周" not in text and "旬" not in text:
        return out  # 每… or a cycle (月, 季, 周, 旬) is in every match
    every = bytearray(len(text))
    for m in _EVERY_RE.finditer(text):
        out.append(TimeExpr(m[0], m.start(), m.end(), "recurring", None, None, _RECURRENCE[m[1]]))
        every[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    for m in _CYCLE_RE.finditer(text):
        if every[m.start()]:
            continue
        unit = "季度" if m[1].startswith("季") else m[1]
        end = m.end()
        if n := _CYCLE_WORK.match(text, end):
            end = n.end()
        out.append(TimeExpr(text[m.start():end], m.start(), end, "recurring", None, None, _RECURRENCE[unit]))
    return out


def find_time_exprs(text: str, doc_date: str | date | None = None, plan: PlanPeriod | None = None,
                    context_year: int | None = None) -> list[TimeExpr]:
    """All time expressions of ``text``, in order, none overlapping another."""
    found = (find_plan_periods(text) + find_dates(text, doc_date, plan, context_year)
             + find_durations(text, plan) + find_recurrences(text))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[TimeExpr] = []
    for t in found:
        if out and t.start < out[-1].end:
            continue
        out.append(t)
    return out
