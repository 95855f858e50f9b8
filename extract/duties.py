"""Responsibilities stated in prose -> duties: who must do what, in which role, with whom.

Bracketed responsibility notes are assignments (extract/assignments.py); this stage reads the
running text around them. A duty is recognised by the shape of a sentence, never by names:

  subject       X负责Y  X要Y  X应当Y  由X负责Y  A、B等部门按照职责分工Y      -> responsible
                X牵头Y  X会同Z Y  X组织Z等部门Y                          -> lead (with Z)
                X配合Z Y  X协助Z Y                                        -> cooperate (with Z)
                X委托Z Y                                                  -> X responsible; Z does Y with X
  object        支持X Y  推动X Y  鼓励X Y  督促X Y                         -> X responsible for Y
  list          X主要职责：（一）…（二）…                                   -> one duty per item
  mechanism     建立X牵头，Z参与的…机制                                     -> lead / cooperate
  membership    …为召集人  …任副召集人  …等部门为成员  办公室设在X  …任办公室主任
  first         X主要负责同志为…第一责任人                                  -> first_responsible

Sentences split at 。！？; a clause after "；" with no subject of its own keeps the subject before
it. An organisation is recognised by shape: the registry and agencies.FREE_MENTION, the
document's own aliases (集团公司), functional departments (公安部门, 发证机关), named
institutions (西南政法大学) and collectives (各区县, 乡镇（街道）, 市级有关部门). Generic classes
(燃气经营企业, 金融机构) count only as the subject of an explicit obligation (要, 应当, 负责 …)
or as the partner of 会同/配合/委托, never when a sentence merely supports or mentions them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gazettekg.extract.agencies import (
    FREE_MENTION,
    JURISDICTION,
    ORG_HEAD,
    PERSON_TITLE_START,
    Resolver,
    find_definitions,
    looks_like_agency,
    normalize,
)
from gazettekg.extract.assignments import find_clauses
from gazettekg.extract.brackets import marks
from gazettekg.extract.deadlines import strip_span
from gazettekg.extract.documents import paragraphs
from gazettekg.extract.headings import match_heading
from gazettekg.records import Document, Duty, Provenance, Section, SourceText

CJK = "\u4e00-\u9fff"
OPEN, CLOSE = "（(〔[【“‘《", "）)〕]】”’》"
MAX_NAME = 30

# Words a predicate opens with: where a structurally recognised name must end.
MODAL = r"(?:要|应当|应该|应|必须|须|需要|需|务必)"
PRED_START = re.compile(
    rf"(?:{MODAL}|负责|牵头|会同|配合|协助|协同|参与|委托|组织|指导|督促|督导|落实|加强|加快|加大|建立|健全|完善|推进|"
    r"推动|开展|做好|制定|实施|统筹|依法|依据|依照|按照|按|根据|结合|对|在|于|将|把|向|与|同|从|以|为|是|作为|任|担任|"
    r"兼任|设在|每年|每季度|每月|每|定期|不定期|及时|严格|积极|切实|全面|进一步|持续|主动|共同|分别|具体|采取|承担|审查|"
    r"确定|核发|选定|初选|提供|运用|聚焦|保持|坚守|搭建|开发|给予|通过|实行|强化|整合|支持|鼓励|引导|研究|召开|抓好|确保|"
    r"履行|发挥|安排|编制|出台|印发|报送|报|可|不|已|和|及|或|等|主要|分管|在职责范围内|安全|建成|建设|合理|优先|认真|"
    r"牢固|深入|大力|着力|不断|尽快|加紧|统一|联合|督查|监督|检查|做|抓|用|提出|明确|组建|协调|深化|创新|探索|争取|力争|设立|引导|开发)"
)
# Representatives of a body: the body is the organisation, the rest belongs to the duty.
DELEGATE = re.compile(
    r"(?:主要负责同志|分管负责同志|有关负责同志|主要负责人|分管负责人|负责同志|负责人|主要领导|分管领导)"
)
# A person's title: the whole phrase is the member (市政府分管副市长).
PERSON_TITLE = re.compile(r"(?:市长|省长|县长|区长|州长|秘书长|书记|主任|局长|厅长|部长|总理|主席|委员|长)$")
# A name followed by one of these has ended: 市安委会办公室要会同…, 集团公司按照…
RUN_ON = re.compile(
    rf"{MODAL}|会同|配合|协助|协同|负责|牵头|委托|每|对|和|与|或|及|、|等|，|按照|按|依据|依照|根据|在|于|向|从|以|将|把"
)
CONJ = re.compile(r"(?:以及|或者|、|和|及|与|或)")
AFTER_LIST = re.compile(rf"等(?:[{CJK}]{{0,4}}?(?:部门|单位|机构|机关|高校|院校|学校|企业|银行|成员单位))?")
NOT_A_DUTY = re.compile(
    r"^(?:的|之|是|等|和|及|与|或|、|共(?!同)|不得|禁止|严禁|不准|不应|可以|可|未|没有|已经|已|所|在内|以外|以上|以下|主要职责|职责|职能|工作职责|"
    r"也|均|都|外|中|内|高度重视)"
)
# "X是本地区…工作的责任主体": a duty although it reads as a definition.
ACCOUNTABLE = re.compile(r"(?:是|为|作为)[^，。；]{0,30}(?:责任主体|主体责任|第一责任人|直接责任人|牵头单位|责任单位)")
RELATIVE = re.compile(rf"^[{CJK}]{{1,5}}的")
SHORT_RELATIVE = re.compile(rf"^[{CJK}]{{0,2}}的")
# "支持X建设": X is what gets built, not who acts.
BUILT_THING = re.compile(rf"^[{CJK}]{{0,4}}(?:建设|发展|改革|升级|转型|创建)$")
LEAD_FILLERS = re.compile(r"(?:并且|并|同时|且|另外|此外|其中|为此|对此|请|今后|还要|还|另)+")
OBJECT_TRIGGER = re.compile(
    r"(?:要|应|应当)?(?:持续|重点|大力|积极|继续|进一步|优先|着力|全力)?"
    r"(?:支持|推动|鼓励|督促|督导|引导)(?:和(?:支持|鼓励|引导|督促))?"
)
ITEM_MARK = re.compile(
    r"(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}\s*[．.、]|[一二三四五六七八九十]{1,3}是)\s*"
)
DUTY_HEADER = re.compile(r"^(?:的)?(?:主要)?(?:工作)?(?:职责|职能)(?:是|为|如下)?\s*[：:]\s*$")
FIRST_RESPONSIBLE = re.compile(r"(?:为|是|作为|担任|系)(?P<what>[^，。；]*第一责任人)")
GROUP_NOUN = r"(?:领导小组|工作小组|工作专班|专班|委员会|联席会议|指挥部|工作组|小组)"
MEMBER_ROLE = re.compile(
    r"(?P<verb>为|任|担任|兼任|出任)(?P<role>办公室副主任|办公室主任|副召集人|召集人|副组长|组长|成员单位|成员|"
    r"副总指挥|总指挥|副指挥长|指挥长|副主任|主任)(?:单位)?$"
)
MEMBER_ROLE_FIRST = re.compile(
    r"^(?P<role>办公室副主任|办公室主任|副召集人|召集人|副组长|组长|成员|副总指挥|总指挥|副指挥长|指挥长|副主任|主任)"
    r"由(?P<who>.+?)(?P<verb>担任|兼任|出任)$"
)
ROLE_OF = {
    "召集人": "convener", "组长": "convener", "总指挥": "convener", "指挥长": "convener", "主任": "convener",
    "副召集人": "deputy_convener", "副组长": "deputy_convener", "副总指挥": "deputy_convener",
    "副指挥长": "deputy_convener", "副主任": "deputy_convener",
    "成员": "member", "成员单位": "member",
    "办公室主任": "office_director", "办公室副主任": "office_director",
}
OFFICE_HOST = re.compile(rf"(?P<office>[{CJK}]{{0,20}}?办公室)设在")
GROUP_DEFINED = re.compile(rf"（以下简称[“\"]?(?P<name>[^）”\"]{{1,20}}?{GROUP_NOUN})[”\"]?）")
GROUP_FORMED = re.compile(rf"(?:成立|组建|设立|建立|调整为)(?P<name>[{CJK}]{{2,30}}?{GROUP_NOUN})")
MECHANISM = re.compile(r"牵头[，,、](?P<others>[^，。；]{2,40}?)(?:参与|配合|协同|共同参与)的(?P<what>[^，。；]{2,20})")

# Bodies the registry never lists, recognised by their shape.
PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|内蒙古|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|"
    "海南|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|香港|澳门|成都|广州|深圳|武汉|南京|杭州|西安|厦门|青岛|大连|宁波"
)
ORG_WORDS = rf"(?:{ORG_HEAD}|农商行|监管局|银保监局|证监局|室|处|站|所|院|馆|队)"
PLACE_NAMED = re.compile(rf"(?:{PROVINCES})[{CJK}]{{0,10}}?{ORG_WORDS}")
OFFICE_NAMED = re.compile(rf"{JURISDICTION}[{CJK}]{{1,12}}?(?:室|处|站|所|院|馆|队)")
BRANCH_TAIL = re.compile(rf"[{CJK}]{{2,6}}?(?:中心支行|分行|支行|分局|分公司|营业管理部|分部|办事处)")
BRANCH = re.compile(rf"[{CJK}]{{2,16}}?{BRANCH_TAIL.pattern}")
COLLECTIVE_ACTOR = re.compile(
    r"^(?P<prefix>(?:各|有关|相关|其他有关|其他)?(?:[省市县区乡]级|各级)?(?:各|有关|相关|其他有关|其他)?)"
    r"(?P<core>区县|市县|市州|市（州）|县（市、区）|县（市）|县市区|区（市）县|乡镇（街道）|乡镇|街道|地区|地方|地|"
    r"部门|单位|机关|省|市|县|区)?"
    r"(?:（[^）]{1,12}）)?(?P<tail>人民政府|政府|党委政府|党委和政府|管委会|有关部门|部门|单位)?$"
)
BARE_COLLECTIVE = {"区县", "市县", "市州", "县市区", "乡镇", "街道", "乡镇（街道）"}
FUNCTIONAL = re.compile(rf"^(?:各|有关|相关|当地|本级|同级)?[{CJK}（）]{{2,12}}(?:部门|机关)$")
INSTITUTION = re.compile(rf"^(?P<stem>[{CJK}]{{2,10}}?)(?:大学|学院|学校|研究院|研究所|医院)$")
GENERIC = re.compile(
    rf"^(?P<stem>[{CJK}（）]{{0,12}}?)(?:企业|机构|公司|集团|学校|院校|高校|医院|银行|单位|部门|协会|商会|联合会|"
    r"合作社|派出所|物业|专班|办公室|委员会|领导小组|中心)$"
)
GENERIC_STEM = re.compile(
    r"^(?:各|有关|相关|高等|普通|职业|中小|中等|民办|公办|本科|高职|特殊|技工|各类|各级|部分|一批|更多|这些|所有|全市|"
    r"全省|全国|试点|示范|优质|薄弱|乡村|农村|城镇|城区|寄宿制|附属|新型|一流|重点|骨干|市属|省属|地方|其他|高水平|高质量|"
    r"综合性|创新|现代|智慧|开放型|应用型|研究型|新建|多所|若干)"
)
VERB_START = re.compile(
    r"^(?:建设|建成|新建|改建|扩建|改扩建|办好|举办|创建|发展|培育|打造|支持|推动|加强|鼓励|引导|规范|完善|提升|扩大|"
    r"实施|开展|推进|探索|组建|设立|成立|依托|利用|对接|服务|落实|建立|健全|组织|督促|指导|加快|深化|强化|推广|整合|"
    r"优化|促进|保障|做好|坚持|实现|提高|增强|确保|严格|全面|积极|深入|大力|着力|继续|持续|进一步|争创|申报|认定|"
    r"配合|协助|协同|会同|委托|争取|帮助|统一|加大|依据|依照|按照|根据|将|纳入|新增|既有|督导|要|请|未经|经|有权|在|由|"
    r"向|对|把|为|与|和|及|或|时|涉嫌|移送|切实|发动|广泛|评估|及时|同时|并|其中|通过|围绕|面向|参与|参照|负责|牵头)"
)


@dataclass(frozen=True, slots=True)
class Actor:
    surface: str  # as written (spaces removed); a person's title when the member is a person
    start: int
    end: int
    specific: bool  # a named or structurally certain body, not a generic class
    body: str = ""  # the organisation a person or a representative stands for ("" = surface)


@dataclass(slots=True)
class _Draft:
    """A duty being read: its actors, role, partners and the span it quotes."""

    actors: list[Actor]
    role: str
    partners: list[Actor]
    start: int  # quote start (the subject, or the trigger word)
    end: int  # quote end
    phrase_start: int  # where the duty phrase starts
    prefix: str = ""  # a delegate's title that belongs to the phrase (主要负责同志)
    phrase: str | None = None  # a phrase composed rather than quoted (membership)
    extra: list[_Draft] = field(default_factory=list)


# ---------------------------------------------------------------- names


def _local_alias(key: str, resolver: Resolver) -> bool:
    """A document alias names an organisation only when it or what it stands for looks like one."""
    if key not in resolver.local:
        return False
    if looks_like_agency(key):
        return True
    try:
        return looks_like_agency(resolver.agency(resolver.local[key]).name)
    except KeyError:
        return False


# The characters a name can end with by its shape: the last characters of every ending the patterns
# of _actor_kind accept (ORG_HEAD and ORG_WORDS, BRANCH_TAIL, COLLECTIVE_ACTOR's core and tail,
# INSTITUTION, FUNCTIONAL, GENERIC), and 等 (known() reads a name without it).
_SHAPE_ENDINGS = (
    f"{ORG_HEAD}|农商行|监管局|银保监局|证监局|室|处|站|所|院|馆|队|中心支行|分行|支行|分局|分公司|营业管理部|分部|办事处|"
    "区县|市县|市州|市（州）|县（市、区）|县（市）|县市区|区（市）县|乡镇（街道）|乡镇|街道|地区|地方|地|部门|单位|机关|省|市|县|区|"
    "人民政府|政府|党委政府|党委和政府|管委会|有关部门|）|大学|学院|学校|研究院|研究所|医院|"
    "企业|机构|公司|集团|院校|高校|银行|协会|商会|联合会|合作社|派出所|物业|专班|办公室|委员会|领导小组|中心|等"
)
_SHAPE_FINALS = frozenset(ending[-1] for ending in _SHAPE_ENDINGS.split("|"))


def _name_finals(resolver: Resolver) -> frozenset[str]:
    """Every character a name can end with in this document: a shape's ending, the last character of
    a spelling the registry knows (collective spellings included) or of a document alias."""
    def compute() -> frozenset[str]:
        return _SHAPE_FINALS | {k[-1] for k in resolver.registry.spellings if k} | {k[-1] for k in resolver.local if k}
    return resolver.remembered("name_finals", "", compute)


def _ends_no_name(name: str, finals: frozenset[str]) -> bool:
    """True when ``name`` ends with an ideograph no name ends with: then actor_kind is None. (An
    ideograph is kept last by normalize, by known()'s expansion and by collective_key.)"""
    c = name[-1:]
    return "\u4e00" <= c <= "\u9fff" and c not in finals


def actor_kind(name: str, resolver: Resolver) -> str | None:
    """"specific" for a body named or shaped as one, "generic" for a class of bodies, else None."""
    if _ends_no_name(name, _name_finals(resolver)):
        return None
    key = normalize(name)
    return resolver.remembered("actor_kind", key, lambda: _actor_kind(key, resolver))


def _actor_kind(key: str, resolver: Resolver) -> str | None:
    if not 2 <= len(key) <= MAX_NAME or key.count("（") != key.count("）"):
        return None
    if _local_alias(key, resolver) or (key not in resolver.local and resolver.known(key)):
        return "specific"
    if "的" in key:
        return None
    if _shaped(key) and not VERB_START.match(key) and not _conjoined(key, resolver):
        return "specific"
    if BRANCH.fullmatch(key) and any(
            BRANCH_TAIL.fullmatch(key[k:]) and (resolver.registry.lookup(key[:k]) or _shaped(key[:k]))
            for k in range(2, len(key) - 3)):
        return "specific"
    m = COLLECTIVE_ACTOR.match(key)
    if m and (m["core"] or (m["tail"] and m["prefix"])) and (
            m["prefix"] or m["core"] in BARE_COLLECTIVE or m["tail"] in ("人民政府", "政府", "党委政府", "党委和政府")):
        return "specific"
    m = INSTITUTION.match(key)
    if m and not GENERIC_STEM.match(m["stem"]) and not VERB_START.match(m["stem"]):
        return "specific"
    if FUNCTIONAL.match(key) and not VERB_START.match(key) and not _conjoined(key, resolver):
        return "specific"
    m = GENERIC.match(key)
    if m and not VERB_START.match(key) and not _conjoined(key, resolver):
        return "generic"
    return None


PERSON_INSIDE = re.compile(r"[厅局处科部院行司署]长|主任|书记|兼任|担任|出任")


def _shaped(key: str) -> bool:
    """A jurisdiction, a name and an organisational head: 省经济和信息化厅, 四川银保监局."""
    if PERSON_INSIDE.search(key):
        return False  # 省应急厅厅长兼任办公室: a person and a predicate, not one name
    return bool(FREE_MENTION.fullmatch(key) or PLACE_NAMED.fullmatch(key) or OFFICE_NAMED.fullmatch(key))


def _plainly_shaped(key: str, resolver: Resolver) -> bool:
    """A name that needs no boundary after it: a level or a known place, a name, a head (省财政厅…)."""
    place = re.sub(r"(?:省|自治区|市|自治州|州|盟|县|自治县|区|旗)$", "", resolver.jurisdiction) or "省"
    head = rf"(?:省|市|县|区|州|国家|国务院|{PROVINCES}|{re.escape(place)})"
    return bool(re.fullmatch(rf"{head}[{CJK}]{{1,14}}?{ORG_WORDS}", key))


def _conjoined(key: str, resolver: Resolver) -> bool:
    """"A和B" is two names when its left half is a name by itself."""
    for conj in ("以及", "和", "及", "与", "或"):
        left, found, _ = key.partition(conj)
        if found and len(left) >= 2 and actor_kind(left, resolver):
            return True
    return False


def _boundary(text: str, pos: int, limit: int) -> bool:
    if pos >= limit:
        return True
    rest = text[pos:limit].lstrip(" \u3000")
    if pos and PERSON_TITLE_START.match(text, pos - 1):
        return False  # 省应急厅|厅长: the name's last character opens a title (厅长), so the name ends before it
    return (not rest or rest[0] in "、，,；;。：:（(）)〔等" or bool(CONJ.match(rest)) or bool(DELEGATE.match(rest))
            or bool(PRED_START.match(rest)) or bool(PERSON_TITLE_START.match(rest)))


def actor_at(text: str, pos: int, limit: int, resolver: Resolver, loose: bool = False) -> Actor | None:
    """The name of an organisation starting exactly at pos: the longest that a boundary follows.

    With no boundary after any candidate, a name the registry or the document knows still
    counts (各区县政府安全管理平台要…); ``loose`` lets a collective count too (推动区县深化…).
    """
    found: list[tuple[int, bool, bool]] = []  # (end, specific, strong)
    finals = _name_finals(resolver)
    for end in range(pos + 2, min(limit, pos + MAX_NAME) + 1):
        ch = text[end - 1]
        if not ("\u4e00" <= ch <= "\u9fff" or ch in "（）"):
            break
        if ch not in finals and ch not in "（）":
            continue  # no name ends with this character (actor_kind would say None)
        kind = actor_kind(text[pos:end], resolver)
        if kind:
            key = normalize(text[pos:end])
            strong = bool(_local_alias(key, resolver) or resolver.registry.lookup(key)
                          or (loose and COLLECTIVE_ACTOR.match(key)))
            found.append((end, kind == "specific", strong))
            if RUN_ON.match(text, end, limit):
                break  # 市安委会办公室要会同…: a name followed by its predicate ends there
    bounded = [f for f in found if _boundary(text, f[0], limit)]
    pick = (max((f for f in bounded if f[1]), default=None) or max(bounded, default=None)
            or max((f for f in found if f[2]), default=None)
            or max((f for f in found if f[1] and _plainly_shaped(normalize(text[pos:f[0]]), resolver)), default=None))
    if pick is None:
        return None
    return Actor(normalize(text[pos:pick[0]]), pos, pick[0], pick[1])


LEVEL_LIST = re.compile(
    r"各(?:省|自治区|直辖市|计划单列市|市（州）|地市)(?:[、，和](?:省|自治区|直辖市|计划单列市|新疆生产建设兵团))+"
    r"(?:人民政府|政府|党委和政府|有关部门|有关单位)?"
)
FUNCTION_LIST = re.compile(
    rf"(?P<items>(?:(?![等和及与、])[{CJK}]){{2,8}}(?:[、和及与](?:(?![等和及与、])[{CJK}]){{2,8}})*)"
    r"(?P<etc>等)?(?P<head>部门|单位|机关)"
)


def _function_list(text: str, pos: int, limit: int, resolver: Resolver) -> tuple[list[Actor], int] | None:
    """"住房城乡建设、规划自然资源等部门" names one department per field: 住房城乡建设部门 …"""
    m = FUNCTION_LIST.match(text, pos, limit)
    if not m:
        return None
    items = re.split(r"[、和及与]", m["items"])
    if len(items) < 2 and not m["etc"]:
        return None
    if any(actor_kind(i, resolver) or VERB_START.match(i) for i in items):
        return None
    actors = [Actor(item + m["head"], pos, m.end(), True) for item in items]
    return actors, m.end()


def actor_list(text: str, pos: int, limit: int, resolver: Resolver, loose: bool = False) -> tuple[list[Actor], int]:
    """Names listed from pos ("A、B和C等部门"): the actors and where the list ends.

    The answer depends on text[pos:limit + 1] (a title read past a name's end may take the
    character at ``limit``) and on the resolver's definitions only: tables repeat the same cells,
    so it is kept per document, in offsets from ``pos``."""
    if not 0 <= pos <= limit <= len(text):
        return _actor_list(text, pos, limit, resolver, loose)
    slot = ("actor_list", text[pos:limit + 1], limit - pos, loose, resolver.defined, len(resolver.local))
    found = resolver.memo.get(slot)
    if found is None:
        actors, end = _actor_list(text, pos, limit, resolver, loose)
        found = resolver.memo[slot] = (
            tuple((a.surface, a.start - pos, a.end - pos, a.specific, a.body) for a in actors), end - pos)
    listed, end = found
    return [Actor(surface, pos + a, pos + b, specific, body) for surface, a, b, specific, body in listed], pos + end


def _actor_list(text: str, pos: int, limit: int, resolver: Resolver, loose: bool) -> tuple[list[Actor], int]:
    listed = _function_list(text, pos, limit, resolver)
    if listed:
        return listed
    level = LEVEL_LIST.match(text, pos, limit)
    if level:  # 各省、自治区、直辖市人民政府: one collective, though it reads as a list
        actors = [Actor(normalize(level.group()), pos, level.end(), True)]
        return actors, level.end()
    actors: list[Actor] = []
    p = pos
    while p < limit:
        actor = actor_at(text, p, limit, resolver, loose)
        if actor is None:
            break
        actors.append(actor)
        p = actor.end
        if p < limit and text[p] in "（(":  # 公安部门（或有关部门）, 各区县（自治县，以下简称区县）
            close = _closing(text, p, limit)
            if close is None:
                break
            inner = text[p + 1: close - 1]
            if re.fullmatch(rf"[{CJK}]{{1,4}}", inner) and not re.search(r"[或含等]", inner):
                actors[-1] = Actor(actor.surface + f"（{inner}）", actor.start, close, actor.specific)
            p = close
        sep = CONJ.match(text, p, limit)
        if not sep:
            break
        if actor_at(text, sep.end(), limit, resolver, loose) is None:
            break
        p = sep.end()
    if actors:
        m = AFTER_LIST.match(text, p, limit)
        if m:
            p = m.end()
    return actors, p


def _closing(text: str, pos: int, limit: int) -> int | None:
    depth = 0
    for i in range(pos, min(limit, pos + 40)):
        if text[i] in OPEN:
            depth += 1
        elif text[i] in CLOSE:
            depth -= 1
            if depth == 0:
                return i + 1
    return None


# ---------------------------------------------------------------- text units


def segments(text: str, start: int, end: int, separators: str) -> list[tuple[int, int]]:
    """Spans of text[start:end] split at separators outside brackets and quotes."""
    out, depth, lo = [], 0, start
    for i, ch in marks(text, start, end, OPEN + CLOSE + separators):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        elif depth == 0 and ch in separators:
            out.append((lo, i))
            lo = i + 1
    out.append((lo, end))
    return [(a, b) for a, b in (strip_span(text, a, b) for a, b in out) if b > a]


def _skip(pattern: re.Pattern[str], text: str, pos: int, limit: int) -> int:
    m = pattern.match(text, pos, limit)
    return strip_span(text, m.end(), limit)[0] if m else pos


def _deepest(sections: list[Section], offset: int) -> str:
    holding = [s for s in sections if s.start <= offset < max(s.end, s.start + 1)]
    return max(holding, key=lambda s: s.start).path if holding else ""


# ---------------------------------------------------------------- clause patterns


def _subject(text: str, pos: int, limit: int, resolver: Resolver) -> tuple[list[Actor], int, str] | None:
    """(actors, predicate start, delegate) when a clause opens with the bodies that must act."""
    p = pos
    by = text.startswith("由", p)
    if by:
        p += 1
    actors, after = actor_list(text, p, limit, resolver)
    if not actors:
        return None
    after = strip_span(text, after, limit)[0]
    delegate = DELEGATE.match(text, after, limit)
    prefix = ""
    if delegate:
        prefix = delegate.group()
        after = delegate.end()
    pred = text[after:limit]
    if not pred or (NOT_A_DUTY.match(pred) and not ACCOUNTABLE.match(pred)):
        return None
    obliged = re.match(rf"(?:{MODAL}|负责|牵头|会同|配合|协助)+", pred)
    if SHORT_RELATIVE.match(pred[obliged.end():]) if obliged else RELATIVE.match(pred):
        return None
    if re.fullmatch(r"(?:参与|参加|协同|共同参与)", pred):
        return None
    if not all(a.specific for a in actors) and not obliged and not by:
        return None
    return actors, after, prefix


def _partners(text: str, pos: int, limit: int, resolver: Resolver, verbs: str) -> tuple[list[Actor], int] | None:
    """"会同Z" "配合Z" "组织Z等部门": the partners named after one of verbs, and where they end."""
    rx = _VERBS.get(verbs)
    if rx is None:
        rx = _VERBS[verbs] = re.compile(verbs)
    m = rx.match(text, pos, limit)  # verbs are plain alternatives: as re.match(verbs, text[pos:limit])
    if not m:
        return None
    actors, end = actor_list(text, m.end(), limit, resolver)
    return (actors, end) if actors else None


_VERBS: dict[str, re.Pattern[str]] = {}
_MODALS = re.compile(rf"{MODAL}+")


def _strip_modal(text: str, pos: int, limit: int) -> int:
    return _skip(_MODALS, text, pos, limit)


def _open_duty(text: str, actors: list[Actor], start: int, pred: int, limit: int, prefix: str,
               resolver: Resolver) -> _Draft:
    """The duty a subject's predicate states: its role from 牵头/会同/配合/委托/组织."""
    p = _strip_modal(text, pred, limit)
    if (found := _partners(text, p, limit, resolver, "会同")) is not None:
        partners, after = found
        return _Draft(actors, "lead", partners, start, limit, after, prefix)
    if (found := _partners(text, p, limit, resolver, "配合|协助|协同")) is not None:
        return _Draft(actors, "cooperate", found[0], start, limit, p, prefix)
    if re.match(r"(?:负责)?牵头", text[p:limit]):
        return _Draft(actors, "lead", [], start, limit, p, prefix)
    if (found := _partners(text, p, limit, resolver, "委托")) is not None:
        agents, after = found
        draft = _Draft(actors, "responsible", agents, start, limit, p, prefix)
        rest = strip_span(text, after, limit)[0]
        if rest < limit:
            inner = _open_duty(text, agents, agents[0].start, rest, limit, "", resolver)
            inner.partners = [*inner.partners, *actors]
            draft.extra.append(inner)
        return draft
    if (found := _partners(text, p, limit, resolver, "组织")) is not None and all(a.specific for a in found[0]):
        return _Draft(actors, "lead", found[0], start, limit, p, prefix)
    return _Draft(actors, "responsible", [], start, limit, p, prefix)


def _object_duty(text: str, pos: int, limit: int, resolver: Resolver) -> _Draft | None:
    """支持X… 推动X… 鼓励X…: the named bodies are made responsible for what follows."""
    m = OBJECT_TRIGGER.match(text, pos, limit)
    if not m:
        return None
    actors, after = actor_list(text, m.end(), limit, resolver, loose=True)
    if not actors or not all(a.specific for a in actors):
        return None
    pred = text[after:limit]
    if not pred or NOT_A_DUTY.match(pred) or RELATIVE.match(pred) or BUILT_THING.match(pred):
        return None
    return _Draft(actors, "responsible", [], pos, limit, after)


def _first_responsible(text: str, pos: int, limit: int, resolver: Resolver) -> _Draft | None:
    """X（主要负责同志）为…第一责任人."""
    m = FIRST_RESPONSIBLE.search(text, pos, limit)
    if not m:
        return None
    actors, after = actor_list(text, pos, m.start(), resolver)
    if not actors:
        return None
    delegate = text[after:m.start()]
    if delegate and not DELEGATE.fullmatch(delegate):
        return None
    return _Draft(actors, "first_responsible", [], pos, limit, after)


def _mechanism(text: str, pos: int, limit: int, resolver: Resolver) -> list[_Draft]:
    """建立X牵头，Y、Z参与的…机制: X leads it, Y and Z take part."""
    out: list[_Draft] = []
    for m in MECHANISM.finditer(text, pos, limit):
        lead_end = m.start()
        head = text[pos:lead_end]
        lead = None
        for k in range(len(head) - 2, -1, -1):
            actors, end = actor_list(text, pos + k, lead_end, resolver)
            if actors and end == lead_end:
                lead = actors
                break
        if not lead:
            continue
        others = [Actor(normalize(o), m.start("others"), m.end("others"), False)
                  for o in re.split(r"[、和及与]", m["others"]) if o]
        what = m["what"]
        out.append(_Draft(lead, "lead", others, lead[0].start, m.end(), 0, phrase="牵头" + what))
        out.append(_Draft(others, "cooperate", lead, lead[0].start, m.end(), 0, phrase="参与" + what))
    return out


# ---------------------------------------------------------------- membership


def _people(text: str, pos: int, limit: int, resolver: Resolver) -> list[tuple[Actor, str]]:
    """Members as listed: (the body or person, the delegate title that goes with them)."""
    out: list[tuple[Actor, str]] = []
    for a, b in segments(text, pos, limit, "、，,"):
        pieces = [(a, b)]
        for conj in re.finditer(r"以及|及|和", text[a:b]):  # 副秘书长及市经济信息委: a person, then a body
            k, after = a + conj.start(), a + conj.end()
            left = text[pieces[-1][0]:k]
            if (PERSON_TITLE.search(left) or actor_kind(left, resolver)) and actor_at(text, after, b, resolver):
                pieces[-1] = (pieces[-1][0], k)
                pieces.append((after, b))
        for lo, hi in pieces:
            lo = _skip(re.compile(r"由"), text, lo, hi)
            item = text[lo:hi]
            item = re.sub(r"等(?:[\u4e00-\u9fff]{0,4}(?:部门|单位))?$", "", item)
            if not item:
                continue
            delegate = DELEGATE.search(item)
            core = item[: delegate.start()] if delegate and delegate.end() == len(item) else item
            title = item[delegate.start():] if core != item else ""
            actors, end = actor_list(text, lo, lo + len(core), resolver)
            if actors and end >= lo + len(core) - 1:
                out.extend((x, title) for x in actors)
            elif PERSON_TITLE.search(item) and len(item) <= 30:
                body = actor_at(text, lo, lo + len(item), resolver)
                out.append((Actor(normalize(item), lo, lo + len(item), True, body.surface if body else ""), ""))
    return out


def _group_name(text: str, lo: int, hi: int) -> str:
    found = [m["name"] for m in GROUP_DEFINED.finditer(text, lo, hi)]
    if not found:
        found = [m["name"] for m in GROUP_FORMED.finditer(text, lo, hi)]
    return found[-1] if found else ""


def _membership(text: str, s: int, e: int, par_start: int, resolver: Resolver) -> list[_Draft] | None:
    """A working group's make-up; None when the sentence does not set one up."""
    clauses = segments(text, s, e, "，,")
    if not any(MEMBER_ROLE.search(text[a:b]) or MEMBER_ROLE_FIRST.match(text[a:b])
               or OFFICE_HOST.search(text[a:b]) for a, b in clauses):
        return None
    group = _group_name(text, par_start, e)
    out: list[_Draft] = []
    pending: list[tuple[int, int]] = []
    office: tuple[str, int] | None = None
    for a, b in clauses:
        clause = text[a:b]
        host = OFFICE_HOST.search(clause)
        if host:
            name = host["office"]
            office_name = name if len(name) > 3 else group + name
            group = group or office_name.removesuffix("办公室")
            actors, end = actor_list(text, a + host.end(), b, resolver)
            if actors:
                hosts = "".join(x.surface for x in actors)
                out.append(_Draft(actors, "office_host", [], a, end, 0, phrase=f"{office_name}设在{hosts}"))
            office = (normalize(office_name), a)
            continue
        role = MEMBER_ROLE.search(clause)
        first = MEMBER_ROLE_FIRST.match(clause)
        if role or first:
            m = role or first
            word = m["role"]
            if role:
                who = [*pending, (a, a + role.start())]
            else:
                who = [(a + first.start("who"), a + first.end("who"))]
            start = who[0][0]
            for lo, hi in who:
                for actor, title in _people(text, lo, hi, resolver):
                    verb = m["verb"] if m["verb"] in ("为", "任") else "任"
                    target = group + word
                    if word.startswith("办公室") and office:
                        target = office[0] + word.removeprefix("办公室")
                    draft = _Draft([actor], ROLE_OF[word], [], start, b, 0, phrase=f"{title}{verb}{target}")
                    out.append(draft)
            pending = []
            continue
        if office and re.match(r"(?:负责|承担)", clause):
            surface, _ = office
            out.append(_Draft([Actor(surface, a, b, True)], "responsible", [], s, b, a))
            continue
        listed, end = actor_list(text, a, b, resolver)
        if listed and end >= b - 8:
            pending.append((a, b))
    return out


# ---------------------------------------------------------------- sentences


def _sentence(text: str, s: int, e: int, inherited: list[Actor] | None,
              resolver: Resolver) -> tuple[list[_Draft], list[Actor] | None]:
    """The duties of one sentence, and the subject a following "；" clause may inherit."""
    drafts: list[_Draft] = []
    current: _Draft | None = None
    bare: list[_Draft] = []  # 由X牵头，Y配合，<duty>: roles waiting for their duty
    subject: list[Actor] | None = None
    clauses = segments(text, s, e, "，,")
    for index, (a, b) in enumerate(clauses):
        p = _skip(LEAD_FILLERS, text, a, b)
        p = _skip(ITEM_MARK, text, p, b)
        if (first := _first_responsible(text, p, b, resolver)) is not None:
            drafts.append(first)
            current = None
            continue
        if subject and DELEGATE.match(text, p, b) and FIRST_RESPONSIBLE.search(text, p, b):
            drafts.append(_Draft(subject, "first_responsible", [], p, b, p))  # X是…责任主体，主要负责同志是第一责任人
            current = None
            continue
        found = _subject(text, p, b, resolver)
        if found is None and index == 0 and inherited and not OBJECT_TRIGGER.match(text, p, b):
            if not NOT_A_DUTY.match(text[p:b]):
                found = (inherited, p, "")
        if found is not None:
            actors, pred, prefix = found
            subject = actors
            body = _strip_modal(text, pred, b)
            if re.fullmatch(r"(?:牵头负责|牵头|负责|配合|协助)", text[body:b]):
                role = "lead" if text[body:b].startswith("牵头") else (
                    "responsible" if text[body:b] == "负责" else "cooperate")
                bare.append(_Draft(actors, role, [], p, b, b, prefix))
                current = None
                continue
            current = _open_duty(text, actors, p, pred, b, prefix, resolver)
            drafts.append(current)
            drafts.extend(current.extra)
            if (obj := _object_duty(text, _strip_modal(text, current.phrase_start, b), b, resolver)) is not None:
                drafts.append(obj)
            continue
        obj = _object_duty(text, p, b, resolver)
        if bare:
            joined = _partners(text, p, b, resolver, "会同")  # 由X牵头，会同Y制定…
            for draft in bare:
                draft.end, draft.phrase_start = b, joined[1] if joined else p
                partners = [x for other in bare if other is not draft for x in other.actors]
                draft.partners = partners + (joined[0] if joined and draft.role == "lead" else [])
                drafts.append(draft)
            bare = []
            current = drafts[-1]
            continue
        if current is None:
            if obj is not None:
                current = obj
                drafts.append(obj)
            continue
        q = _skip(re.compile(MODAL), text, p, b)
        if text.startswith("牵头", q):
            current = _Draft(current.actors, "lead", [], current.start, b, q, current.prefix)
            drafts.append(current)
        elif (led := _partners(text, q, b, resolver, "会同|组织")) is not None and all(x.specific for x in led[0]):
            current = _Draft(current.actors, "lead", led[0], current.start, b, q, current.prefix)
            drafts.append(current)
        elif (helped := _partners(text, q, b, resolver, "配合|协助|协同")) is not None:
            current = _Draft(current.actors, "cooperate", helped[0], current.start, b, q, current.prefix)
            drafts.append(current)
        else:
            current.end = b
            for extra in current.extra:
                extra.end = b
            if obj is not None:
                drafts.append(obj)
    if bare and drafts:  # X负责Y，A、B配合: the roles at the end share the duty before them
        before = drafts[-1]
        for draft in bare:
            drafts.append(_Draft(draft.actors, draft.role, before.actors, before.start, draft.end,
                                 before.phrase_start, phrase=_phrase(text, before)))
            before.partners = [*before.partners, *draft.actors]
    drafts.extend(_mechanism(text, s, e, resolver))
    return drafts, subject


def _header(text: str, pos: int, end: int, resolver: Resolver) -> list[Actor] | None:
    """"X主要职责：" opens a list whose items are X's duties."""
    actors, after = actor_list(text, pos, end, resolver)
    if actors and DUTY_HEADER.match(text[after:end].strip()):
        return actors
    return None


def _phrase(text: str, draft: _Draft) -> str:
    if draft.phrase is not None:
        return draft.phrase
    start = max(draft.phrase_start, draft.start)
    body = re.sub(r"\s+", "", text[start:draft.end])
    body = re.sub(rf"^(?:{MODAL})+", "", body).strip("，,；;。：: ")
    parts = re.split(r"[，,]", body)
    if len(body) > 40 and len(parts) > 1:
        body = parts[0] if len(parts[0]) >= 6 or len(parts[0]) + len(parts[1]) > 40 else parts[0] + "，" + parts[1]
    return draft.prefix + body


def find_duties(source: SourceText, doc: Document, resolver: Resolver) -> list[Duty]:
    """Every responsibility the document states in prose, with the sentence it is read from."""
    for alias, referent, _ in find_definitions(source.text[doc.start: doc.end]):
        resolver.define(alias, referent)
    text = _masked(source, doc)
    sections = list(doc.walk())
    drafts: list[_Draft] = []
    header: list[Actor] | None = None
    for par in paragraphs(source, doc.body_start, doc.end):
        start = par.start
        heading = match_heading(par.text)
        is_item = bool(heading and heading[0] in ("section", "item", "subitem")) or bool(ITEM_MARK.match(par.text))
        if heading:
            if heading[0] in ("annex", "part", "chapter", "article"):
                header = None
            start = strip_span(text, par.start + heading[2], par.end)[0]
        elif not is_item:
            header = None
        if header is not None and not is_item:
            header = None
        if not re.search(r"[。；;！？：:]", par.text) and len(par.text) < 80:
            continue  # titles, list lines and table rows state no duty
        owner = _header(text, start, par.end, resolver)
        if owner:
            header = owner
            continue
        inherited = header if is_item else None
        for s, e in segments(text, start, par.end, "。！？"):
            member = _membership(text, s, e, par.start, resolver)
            if member is not None:
                drafts.extend(member)
                inherited = None
                continue
            for a, b in segments(text, s, e, "；;"):
                found, subject = _sentence(text, a, b, inherited, resolver)
                drafts.extend(found)
                inherited = subject if subject is not None else inherited
            inherited = header if is_item else None
    return _duties(source, doc, sections, drafts, resolver)


def _masked(source: SourceText, doc: Document) -> str:
    """The text with every bracketed responsibility note blanked: those are assignments."""
    text = source.text
    for clause in find_clauses(text, doc.body_start, doc.end):
        text = text[: clause.start] + " " * (clause.end - clause.start) + text[clause.end:]
    return text


def _duties(source: SourceText, doc: Document, sections: list[Section], drafts: list[_Draft],
            resolver: Resolver) -> list[Duty]:
    out: list[Duty] = []
    seen: set[tuple[str, str, int, int]] = set()
    for draft in drafts:
        phrase = _phrase(source.text, draft)
        if not phrase:
            continue
        start, end = strip_span(source.text, draft.start, draft.end)
        where = _deepest(sections, start)
        prov = Provenance.of(source, doc.doc_id, where, start, end)
        partners = tuple(dict.fromkeys(resolver.resolve(p.body or p.surface) for p in draft.partners))
        for actor in draft.actors:
            agency_id = resolver.resolve(actor.body or actor.surface)
            key = (agency_id, draft.role, start, end)
            if key in seen:
                continue
            seen.add(key)
            out.append(Duty(doc.doc_id, where, agency_id, actor.surface, draft.role,
                            tuple(x for x in partners if x != agency_id), phrase, prov))
    return out
