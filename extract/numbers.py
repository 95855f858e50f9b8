"""Numbers, units and comparators as Chinese government documents print them.

Gazette text mixes half-width and full-width digits (``１２``), puts spaces between a
number and its unit (``100 亿元``, ``5.4 万个``) and sometimes inside a number after a
hard wrap, writes ranges with a dash (``2—3 所``, ``15—20 项``) and states the relation
to the number in words around it (``不低于``, ``以上``, ``左右``).  Everything here is a
pure function over strings; offsets returned are offsets into the string given, and
normalisation never changes a string's length so those offsets stay valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Full-width forms that carry a number's meaning, mapped one character to one
# character so that offsets computed on the normalised text hold in the original.
_FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULL_WIDTH.update({"．": ".", "％": "%", "＞": ">", "＜": "<", "＝": "=", "，": "，", "／": "/", "～": "~"})
_TRANSLATE = str.maketrans(_FULL_WIDTH)


_HAS_FULL_WIDTH = re.compile("[" + "".join(re.escape(c) for c in _FULL_WIDTH if c != "，") + "]")


def half_width(text: str) -> str:
    """Full-width digits, ``．``, ``％``, ``＞``, ``＜`` and ``／`` to ASCII; same length."""
    # Most text has none of them, and a search costs far less than a translation.
    return text.translate(_TRANSLATE) if _HAS_FULL_WIDTH.search(text) else text


# ---- Chinese numerals -------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL_UNITS) + "".join(_CN_BIG_UNITS)


def parse_chinese_numeral(text: str) -> int:
    """``十五`` -> 15, ``二十三`` -> 23, ``一百零五`` -> 105, ``二○三五`` -> 2035 (digit by digit).

    Raises ValueError on anything that is not a Chinese numeral.
    """
    if not text or any(c not in CN_NUMERAL_CHARS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(c in _CN_DIGITS for c in text) and len(text) > 1:
        # Years and codes are read digit by digit: 二○三五 is 2035.
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total = section = digit = 0
    for c in text:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_SMALL_UNITS:
            section += (digit or 1) * _CN_SMALL_UNITS[c]
            digit = 0
        else:
            section += digit
            total += (section or 1) * _CN_BIG_UNITS[c]
            section = digit = 0
    return total + section + digit


def parse_number(text: str) -> Decimal:
    """A number as printed: ``１２``, ``5.4``, ``1,200``, ``1 200`` (a wrapped number), ``十五``.

    Raises ValueError when the text is not a number.
    """
    s = half_width(text).strip().replace(",", "").replace(" ", "").replace("\u3000", "")
    if s and all(c in CN_NUMERAL_CHARS for c in s):
        return Decimal(parse_chinese_numeral(s))
    if not re.fullmatch(r"\d+(?:\.\d+)?", s):
        raise ValueError(f"not a number: {text!r}")
    try:
        return Decimal(s)
    except InvalidOperation as e:  # pragma: no cover - the regex rules this out
        raise ValueError(f"not a number: {text!r}") from e


_PRINTED_JUNK = re.compile(r"[\s,]")
_SPACE = re.compile(r"\s")


def number_as_printed(text: str) -> str:
    """The number with half-width digits and no inner spaces: ``１００`` -> ``100``."""
    return _PRINTED_JUNK.sub("", half_width(text))


# ---- units ------------------------------------------------------------------

# Magnitudes that a unit may carry in front of it (万人, 亿元, 千米 is a unit of its own).
MAGNITUDES = "万亿千百"
# Units that measure time: a quantity in them is a duration, never a goal.
TIME_UNITS = ("个工作日", "工作日", "个月", "学时", "小时", "分钟", "年", "月", "周", "天", "日", "秒")
# Base units, longest first so that 元/人 wins over 元 and 个百分点 over 个.
BASE_UNITS = tuple(sorted((
    "个百分点", "百分点", "元/人", "元/吨", "元/亩", "吨/日", "吨/天", "吨/年", "立方米/日",
    "微克/立方米", "毫克/升", "人次", "盏", "千瓦时", "千瓦", "兆瓦", "平方米", "平方公里",
    "立方米", "公顷", "公里", "千米", "千克", "公斤", "吨", "亩", "米", "元", "人", "名", "个", "所", "项",
    "门", "家", "种", "户", "座", "条", "辆", "台", "套", "张", "间", "床", "次", "批", "册", "件", "篇",
    "部", "支", "处", "片", "场", "倍", "岁", "级", "只", "头", "株", "棵", "份", "包", "块", "栋", "幢",
    "宗", "笔", "起", "例", "位", "期", "届", "轮", "节", "课时", "单位", "组", "兆", "%", "‰",
    *TIME_UNITS,
), key=len, reverse=True))

# A slash unit may be printed with spaces around the slash ("500 元 /人").
_UNIT_RE = ("(?:[" + MAGNITUDES + "]?(?:" + "|".join(re.escape(u).replace("/", r"\s*/\s*") for u in BASE_UNITS)
            + ")|[万亿](?![一-龥]))")
_NUM_RE = r"\d+(?:[ ,]\d{3})*(?:\.\d+)?"
_RANGE_SEP = r"[—–\-~－至到]{1,2}"
QUANTITY_RE = re.compile(
    rf"(?<![\d.])(?P<value>{_NUM_RE})\s*(?:(?P<sep>{_RANGE_SEP})\s*(?P<value_max>{_NUM_RE}))?"
    rf"\s*(?P<over>余|多)?\s*(?P<unit>{_UNIT_RE}(?:（[段次条个家座处块人名所项套辆台户]）)?)"
)
# Counted things a number in Chinese characters may measure (百个, 千家, 万名, 不少于一场).  Units
# that make set phrases with numerals (一批, 一件事, 一张网, 十四五期间) are left out on purpose.
_CN_COUNT_UNITS = ("个", "家", "名", "所", "项", "座", "辆", "台", "套", "场", "户", "处", "组", "人", "兆",
                   "门", "种", "条")
CN_QUANTITY_RE = re.compile(
    r"(?P<value>[一二两三四五六七八九十百千万亿零〇]+)(?P<unit>" + "|".join(_CN_COUNT_UNITS) + ")"
)
# A numeral glued to the word before it is part of that word: 统一, 第一, 唯一, 逐一.
_CN_WORD_BEFORE = "第统唯逐同单每周初之其"
_COMPARATOR_BEFORE = re.compile(r"(?:不少于|不低于|至少|最少|不超过|超过|达到|达)\s*$")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit as found in a text, with offsets into that text."""

    value: str  # as printed, half-width, no inner spaces: "5.4"
    value_max: str | None  # upper end of a range "2—3 所" -> "3"
    unit: str  # magnitude included: "万个", "亿元", "%"
    start: int
    end: int
    over: bool = False  # "80余辆", "200多家": more than the number printed

    def shifted(self, offset: int) -> Quantity:
        return Quantity(self.value, self.value_max, self.unit, self.start + offset, self.end + offset, self.over)

    @property
    def number(self) -> Decimal:
        return Decimal(self.value)

    @property
    def is_time(self) -> bool:
        """Measured in time units (``3 年``, ``360 学时``): a duration, not a goal."""
        return self.unit.lstrip(MAGNITUDES) in TIME_UNITS


def find_quantities(text: str, chinese: bool = False) -> list[Quantity]:
    """Every Arabic-digit number followed by a unit, with ranges joined (``15—20 项``); with
    ``chinese``, also counts written in characters (``百个`` 100 个, ``万名`` 1 万名, ``千兆`` 1000 兆).

    ``text`` may hold full-width digits; offsets refer to ``text`` itself.
    """
    norm = half_width(text)
    found: list[Quantity] = []
    for m in QUANTITY_RE.finditer(norm):
        unit = _SPACE.sub("", m["unit"])
        found.append(Quantity(number_as_printed(m["value"]),
                              number_as_printed(m["value_max"]) if m["value_max"] else None,
                              unit, m.start(), m.end(), bool(m["over"])))
    if chinese:
        found.extend(_chinese_quantities(norm))
        found.sort(key=lambda q: q.start)
    return found


_MAGNITUDE_IN = re.compile("[十百千万亿]")


def _chinese_quantities(text: str) -> list[Quantity]:
    """Counts in characters, kept only where they cannot be part of a word or a set phrase:
    the numeral holds a magnitude (百个, 二十家, 万名) or a comparator governs it (不少于一场);
    not 统一/第一, not 千家万户/一户一档 (a numeral right after), not inside quotes (“五个一”)."""
    found: list[Quantity] = []
    for m in CN_QUANTITY_RE.finditer(text):
        numeral, unit = m["value"], m["unit"]
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if before in _CN_WORD_BEFORE or after in CN_NUMERAL_CHARS or before == "“" or after == "”":
            continue
        if before in _CN_COUNT_UNITS and m.start() >= 2 and text[m.start() - 2] in CN_NUMERAL_CHARS:
            continue  # the second half of a set phrase: 千家万户, 百城千县
        if numeral in ("万", "亿") and before in "（(":
            continue  # a unit label: 累计数（万户）
        if before.isdigit() or before in ". ":
            continue  # the magnitude of a number in digits: 5.4 万个
        if unit == "兆" and "\u4e00" <= after <= "\u9fff" and after not in "到进至入以":
            continue  # a kind of network, not a bandwidth to reach: 千兆光网, 千兆升级
        governed = _COMPARATOR_BEFORE.search(text[max(0, m.start() - 4):m.start()])
        if not _MAGNITUDE_IN.search(numeral) and not governed:
            continue
        # 万 and 亿 at the end stay with the unit, as they do after digits (1 万名, 2 亿元).
        magnitude = ""
        while numeral and numeral[-1] in "万亿" and len(magnitude) < 1:
            magnitude, numeral = numeral[-1], numeral[:-1]
        try:
            value = parse_chinese_numeral(numeral) if numeral else 1
        except ValueError:
            continue
        found.append(Quantity(str(value), None, magnitude + unit, m.start(), m.end()))
    return found


# ---- comparators --------------------------------------------------------------

# Words written before a number, longest first, and the relation they state.
_BEFORE = (
    ("不低于", ">="), ("不少于", ">="), ("不小于", ">="), ("至少", ">="), ("最少", ">="),
    ("不超过", "<="), ("不高于", "<="), ("不多于", "<="), ("不大于", "<="), ("最高", "<="), ("最多", "<="),
    ("控制在", "<="), ("低于", "<"), ("少于", "<"), ("小于", "<"),
    ("超过", ">"), ("突破", ">"), ("超", ">"), ("高于", ">"), ("大于", ">"), ("多于", ">"),
    ("≥", ">="), ("≤", "<="), (">", ">"), ("<", "<"), ("约", "approx"),
)
# Words written after a number (and its unit) and the relation they state.
_AFTER = (
    ("以上", ">="), ("及以上", ">="), ("以下", "<="), ("及以下", "<="), ("以内", "<="), ("之内", "<="),
    ("左右", "approx"), ("上下", "approx"),
)


_AFTER_WORDS = tuple(word for word, _ in _AFTER)
_BEFORE_WORDS = tuple(word for word, _ in _BEFORE)
_REACHING_END = re.compile(r"(?:达到|达|为|在|到|提高到|提升到|增加到|增长到|降低到|下降到|保持在|巩固在|稳定在)$")


def comparator_around(text: str, start: int, end: int, window: int = 8) -> str:
    """The relation stated around the quantity ``text[start:end]``: ``>``, ``>=``, ``<=``, ``<``,
    ``approx`` or ``=`` when nothing qualifies it.

    A word after the number wins over one before it (``不少于10个以上`` is still ``>=``), and a
    ``最高`` that qualifies a whole clause before ``不超过`` reads as ``<=`` either way.
    """
    after = half_width(text[end:end + 4]).lstrip()
    if after.startswith(_AFTER_WORDS):  # one test first: most numbers have none
        for word, rel in _AFTER:
            if after.startswith(word):
                return rel
    before = half_width(text[max(0, start - window):start]).rstrip()
    # Only the last phrase before the number counts: 达到/达/为 may sit between.
    before = _REACHING_END.sub("", before).rstrip()
    if before.endswith(_BEFORE_WORDS):
        for word, rel in _BEFORE:
            if before.endswith(word):
                return rel
    return "="


def hedge_in(text: str) -> str | None:
    """``力争`` or ``争取`` when the clause is hedged, else None."""
    for word in ("力争", "争取"):
        if word in text:
            return word
    return None
