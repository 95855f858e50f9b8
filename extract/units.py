"""Lists of units as clauses write them: A、B，C等部门 -> the units, each as written.

A unit is an organisation a task can be given to (extract.agencies recognises one). Lists are cut
at 、，； outside brackets, and at 和/及 where both halves are units (住房和城乡建设部 stays whole).
Clause words are not part of a name: a leading 由/请, a trailing 等/等部门/等相关单位, 按职责分工.

Lists often share a prefix or suffix that is written once: 省财政厅、科技厅 (the 省 of the first
item), 广州、深圳市政府 (the 市政府 of the last). Each unit keeps its written form, and ``full``
gives the whole name for resolving it (省科技厅, 广州市政府).
"""

from __future__ import annotations

import re

from gazettekg.extract.agencies import looks_like_agency, normalize
from gazettekg.extract.brackets import split_top_level

GROUP_DEFINITION = re.compile(r"（以下(?:统称|简称)[^）]{1,20}）$")
_LEADING = re.compile(r"^(?:由|请|和|及|以及|会同|并|与)(?=\S{2})")
TRAILING_CLAUSE_WORDS = re.compile(
    r"(?:等(?:有关|相关|其他|其它)?(?:部门|单位|机构|方面)?|按(?:照)?(?:各自)?职责(?:分工)?|分别|共同|具体)+$"
)
_LEVEL = re.compile(r"^(?:省|市|县|区|州|盟|旗)(?!场|民|级|县|州|区|域|直)")
_NATIONAL = re.compile(r"^(?:国家|中国|中央|国务院|全国|中华)|(?:部|总局|总署)$")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_DEPARTMENT = re.compile(r"(?:厅|局|委|办|委员会|办公室)$")
# Words that never occur in a unit's name but always in a task, a time limit or a sentence.
_NOT_A_NAME = re.compile(
    r"[。！？]|推进|完成|建立|开展|实施|加强|加快|持续|坚持|年底|月底|年内|以上|以下|不少于|不超过|达到|提高|"
    r"(?:19|20)\d{2}|\d+\s*(?:个|家|万|亿|%|％)"
)


def clean_name(item: str) -> str:
    """An item of a list without the clause words around it."""
    item = item.strip(" \t，,、；;：:")
    item = _LEADING.sub("", item)
    previous = None
    while previous != item:
        previous = item
        item = TRAILING_CLAUSE_WORDS.sub("", item).strip()
    return item


_CONJ = re.compile(r"和|及|以及")
_HEAD_AND = re.compile(r"[厅局委办部]和")
_SUFFIXED = re.compile(r"^([\u4e00-\u9fff]{2,4}?)((?:市|省|区|县|州)(?:人民)?政府|(?:市|省|区|县)?(?:委|政府|管委会))$")


def _split_conjoined(item: str, lenient: bool) -> list[str]:
    """"A和B" is two units when each half is one (住房和城乡建设部, 工业和信息化厅 stay whole)."""
    if not _CONJ.search(item) or (looks_like_agency(item) and not _HEAD_AND.search(item)):
        return [item]
    for conj in ("以及", "及", "和"):
        if conj in item:
            left, _, right = item.partition(conj)
            # 各区县党委和政府 is one collective: a bare head noun is no unit of its own.
            if looks_like_agency(left) and looks_like_agency(right) \
                    and not re.fullmatch(r"(?:人民)?政府|党委|部门|单位", right):
                return [left, right]
    return [item]


def is_unit(name: str, lenient: bool = False) -> bool:
    """Whether a cleaned item names a unit. ``lenient``: a label (责任单位：) says the list holds
    units, so any short noun phrase that reads as no task or time passes."""
    key = normalize(name)
    if not 2 <= len(key) <= 40:
        return False
    if looks_like_agency(key):
        return True
    return lenient and len(key) <= 30 and not _NOT_A_NAME.search(key)


def units_of(text: str, lenient: bool = False) -> list[tuple[str, str]] | None:
    """The units a list names, as (written form, full name), or None when an item is no unit.

    The full name restores what the list shares: the level prefix of an earlier item (省财政厅、
    科技厅 -> 省科技厅) or the suffix of the last one (广州、深圳市政府 -> 广州市政府).
    """
    names: list[str] = []
    for group in split_top_level(text, "，,；;"):
        if GROUP_DEFINITION.search(group):
            names.append(clean_name(group))  # "A、B和C（以下统称Y）" names one collective
            continue
        for raw in split_top_level(group, "、"):
            names.extend(piece for piece in _split_conjoined(clean_name(raw), lenient) if piece)
    if not names:
        return None
    suffix = _shared_suffix(names)
    out: list[tuple[str, str]] = []
    level = ""
    for name in names:
        full = name
        if suffix and _PLACE.match(name) and not looks_like_agency(name):
            full = name + suffix
        elif level and not _LEVEL.match(name) and not _NATIONAL.search(name) and _DEPARTMENT.search(name) \
                and not name.startswith(("各", "有关", "相关")):
            full = level + name
        if not is_unit(full, lenient):
            return None
        if _LEVEL.match(name):
            level = name[0]
        out.append((name, full if full != name else ""))
    return out


def _shared_suffix(names: list[str]) -> str:
    """The suffix the last item adds to a place name (深圳市政府 -> 市政府), if bare places precede it."""
    last = names[-1]
    m = _SUFFIXED.match(last)
    if m is None or len(names) < 2 or not any(_PLACE.match(n) and not looks_like_agency(n) for n in names[:-1]):
        return ""
    return m.group(2)
