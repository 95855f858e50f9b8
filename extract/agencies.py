"""Agencies: recognise organisations by structure and resolve every spelling to one entity.

The registry (ontology/agencies.tsv) knows canonical names, short forms and
kinds of the bodies we have met. A body it does not list is still recognised by
its shape — a jurisdiction (省/市/县/区, a named place, 国家/国务院) followed by an
organisational head noun (厅 局 委 办 署 部 中心 银行 …) — and gets a stable key
of its own: the jurisdiction-expanded name (市发展改革委 in a 成都 document is
成都市发展改革委). Collectives (各区县政府, 有关区县政府, 各市（州）人民政府) resolve
to one key each. A document's own definitions (（以下简称集团公司）) add aliases.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from gazettekg.records import Agency

ORG_HEAD = (
    "人民政府|政府|办公厅|办公室|委员会|管委会|工作委员会|领导小组|工作专班|工作组|指挥部|联席会议|成员单位|牵头单位|办事处|"
    "总队|支队|大队|中心|总社|合作社|营业管理部|营管部|监管局|分局|分行|支行|中心支行|银行|农商行|"
    "集团有限公司|有限公司|分公司|集团|公司|交易所|研究院|科学院|法院|检察院|协会|联合会|总工会|监会|委会|"
    "海关|大学|学院|团委|妇联|残联|科协|侨联|文联|工商联|社科联|红十字会|贸促会|督查室|研究室|参事室|调研室|"
    "厅|局|委|办|署|部|社"
)
ORG_END = re.compile(rf"(?:{ORG_HEAD})$")
JURISDICTION = (
    r"(?:(?:(?![要会同由和与及的在对将等负责牵头配合并或为是按从向把被让])[\u4e00-\u9fff]){2,7}?"
    r"(?:省|自治区|市|自治州|州|盟|县|自治县|区|旗)"
    r"|省|市|县|区|州|国家|国务院|中央|中国)"
)
# A body named in running text: a jurisdiction, a short name, an organisational head;
# never a generic term (部门, 局面, 部署).
FREE_MENTION = re.compile(
    rf"{JURISDICTION}[\u4e00-\u9fff]{{1,14}}?(?:{ORG_HEAD})(?![门面署分位属])"
)
COLLECTIVE = re.compile(
    r"^(?:各|有关|相关|全)?(?:[\u4e00-\u9fff]{0,6}?)(?:区县|市县|市（州）|市州|县（市、区）|县（市）|区|县|市|乡镇|街道|街镇|镇街|镇|乡|"
    r"园区|开发区|地区|部门|单位|地方)"
    r"(?:（[^）]{1,12}）)?(?:人民政府|政府|党委和政府|管委会|有关部门|部门|单位)?$"
)
GENERIC_GROUP = re.compile(r"^(?:各|有关|相关)")
_PUNCT = re.compile(r"[\s\u3000]")


@lru_cache(maxsize=1 << 16)
def normalize(name: str) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", name)).replace("(", "（").replace(")", "）")


_COLLECTIVE_OPENING = re.compile(r"^(?:各(?!级)|有关|相关)")
_BRACKETED = re.compile(r"（[^）]*）")
_ETC_END = re.compile(r"等$")


@lru_cache(maxsize=1 << 16)
def collective_key(name: str) -> str:
    """各区县（自治县）人民政府, 有关区县政府 and 区县政府 are one collective: 区县政府.

    A bracketed qualifier is dropped unless the rest would be too short to say
    anything (各市（州）人民政府 stays 市（州）政府, not 市政府).
    """
    key = normalize(name)
    key = _COLLECTIVE_OPENING.sub("", key).replace("人民政府", "政府")
    bare = _BRACKETED.sub("", key)
    return bare if len(bare) >= 4 else key


# Functional departments named by their field alone, as State Council prose lists them
# (民政部门要会同残联、发展改革、卫生计生、财政等单位…): a unit wherever the text lists units.
FIELDS = (
    "发展改革|发展和改革|发改|教育|科技|工业和信息化|工业信息化|经济信息化|经济和信息化|民族事务|民族宗教|公安|国家安全|"
    "民政|司法行政|司法|财政|人力资源社会保障|人力资源和社会保障|人社|人力资源|自然资源|国土资源|国土|规划|城乡规划|"
    "生态环境|环境保护|环保|住房城乡建设|住房和城乡建设|城乡建设|建设|交通运输|交通|水利|农业农村|农业|林业|林业和草原|"
    "商务|文化和旅游|文化旅游|文化|旅游|卫生健康|卫生计生|卫生和计生|卫生|计划生育|人口计生|退役军人事务|应急管理|安全生产|"
    "审计|外事|国资|国有资产监管|市场监管|工商行政管理|工商|质监|质量技术监督|食品药品监管|药品监管|广播电视|新闻出版|"
    "体育|统计|医疗保障|医保|信访|粮食|能源|税务|海关|金融|金融监管|银行业监管|证券监管|保险监管|网信|宣传|组织|编制|"
    "机构编制|编办|综治|政法|残联|工会|共青团|妇联|老龄|科协|侨联|红十字会|消防救援|消防|气象|地震|邮政|通信管理|"
    "新莞人服务管理|城市管理|城管|住房保障|房地产管理|房管|公积金|人民银行|外汇管理|知识产权|大数据|数据|政务服务"
)
FIELD_UNIT = re.compile(
    rf"^(?:各级|县级(?:以上)?|省级|市级|地方各级|同级|国务院|国家|中央|省|市|县|区)?(?:{FIELDS})(?:行政)?(?:部门|机关|组织|机构|单位)?$"
)


@cache
def _local_department_names() -> set[str]:
    """Department names of provinces and cities (发展和改革委员会, 人社局, 中国人民银行*分行 …)."""
    text = resources.files("gazettekg.ontology").joinpath("local_departments.tsv").read_text(encoding="utf-8")
    names: set[str] = set()
    for line in text.splitlines()[1:]:
        full, short, *_ = ([*line.split("\t"), "", ""])[:3]
        names.update(n for n in (full, *short.split("|")) if n)
    return names


def _wildcard(name: str) -> str:
    return re.escape(name).replace(r"\*", "[\u4e00-\u9fff]{2,6}?")


@cache
def _local_department_pattern() -> re.Pattern[str]:
    """Department names of provinces and cities (发展和改革委员会, 人社局, 中国人民银行*分行 …), with
    the jurisdiction prefix they are written with."""
    names = _local_department_names()
    alternatives = "|".join(_wildcard(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"^(?:{JURISDICTION}|[\u4e00-\u9fff]{{2,6}}?)?(?:委|党委|政府)?(?:{alternatives})$")


# What may stand before a department name: the jurisdiction it is written with, then 委/党委/政府.
_DEPARTMENT_HEAD = re.compile(rf"(?:{JURISDICTION}|[\u4e00-\u9fff]{{2,6}}?)?(?:委|党委|政府)?")


@cache
def _local_department_parts() -> tuple[frozenset[str], tuple[tuple[str, str], ...], re.Pattern[str] | None]:
    """The names without a wildcard, as a set; those with one (中国人民银行*分行) as the text before
    and after it; a pattern of any with more than one."""
    names = _local_department_names()
    single = tuple(tuple(n.split("*")) for n in sorted(names) if n.count("*") == 1)
    many = [n for n in names if n.count("*") > 1]
    return (frozenset(n for n in names if "*" not in n), single,  # type: ignore[return-value]
            re.compile("|".join(_wildcard(n) for n in many)) if many else None)


def _fills_wildcard(tail: str, before: str, after: str) -> bool:
    """``tail`` is before + 2 to 6 ideographs + after (the wildcard of _wildcard)."""
    if not (tail.startswith(before) and tail.endswith(after)):
        return False
    middle = tail[len(before):len(tail) - len(after)]
    return 2 <= len(middle) <= 6 and len(before) + len(after) <= len(tail) \
        and all("\u4e00" <= c <= "\u9fff" for c in middle)


def _local_department(name: str) -> bool:
    """Whether _local_department_pattern() matches ``name`` (which holds no line break): a department
    name ends it and the jurisdiction and 委/党委/政府 before it make up the rest. Tried at each place
    the name could start, it spares every run compiling the pattern of all those names."""
    literal, single, many = _local_department_parts()
    for k in range(len(name)):
        tail = name[k:]
        if (tail in literal or any(_fills_wildcard(tail, b, a) for b, a in single)
                or (many is not None and many.fullmatch(tail))) and _DEPARTMENT_HEAD.fullmatch(name[:k]):
            return True
    return False


# Common words that end like an organisation's head noun.
NOT_AN_ORGANISATION = re.compile(
    r"^(?:[\u4e00-\u9fff]?(?:部署|签署|局面|全局|布局|格局|大局|结局|开局|当局|变局|新局|委托|主办|创办|举办|承办|督办|"
    r"交办|查办|代办|兴办|合办|领办|帮办|总部|内部|外部|局部|全部|东部|西部|南部|北部|中部|底部|干部|本部|社会|旅社|报社|"
    r"结社|入社|出版社|通讯社))$"
)
_TRAILING_ALIAS = re.compile(r"[（(〔\[【][^（）()〔〕\[\]【】]{1,20}[）)〕\]】]$")


@lru_cache(maxsize=1 << 16)
def looks_like_agency(name: str) -> bool:
    name = normalize(name)
    if not 2 <= len(name) <= 40 or NOT_AN_ORGANISATION.match(name):
        return False
    core = _TRAILING_ALIAS.sub("", name)
    if core != name and len(core) >= 2 and not COLLECTIVE.match(name):
        return looks_like_agency(core)  # 市委改革办〔市营商环境建设局〕: a name with its other name
    if default_registry().lookup(name):
        return True
    return bool(ORG_END.search(name)) or bool(COLLECTIVE.match(name)) or bool(FIELD_UNIT.match(name)) \
        or _local_department(name)  # the same answer as bool(_local_department_pattern().match(name))


def is_collective(name: str) -> bool:
    name = normalize(name)
    return bool(GENERIC_GROUP.match(name)) or (bool(COLLECTIVE.match(name)) and not FREE_MENTION.fullmatch(name))


@dataclass(slots=True)
class Registry:
    """Canonical agencies and every spelling we know of them."""

    agencies: dict[str, Agency] = field(default_factory=dict)
    spellings: dict[str, str] = field(default_factory=dict)  # normalized spelling -> agency id

    def add(self, agency: Agency) -> None:
        self.agencies[agency.id] = agency
        place = jurisdiction_of(agency.name)
        for spelling in (agency.name, agency.short_name, *agency.aliases):
            if spelling and agency.kind != "collective":
                self.spellings.setdefault(normalize(spelling), agency.id)
                # 市应急局 of 重庆市 is also spelled 重庆市应急局: register the expanded form so a
                # document of another city never takes this agency for its own 市应急局.
                if place and spelling[0] == place[-1] and not spelling.startswith(place):
                    self.spellings.setdefault(normalize(place + spelling[1:]), agency.id)
        if agency.kind == "collective":
            # Collectives are relative to a jurisdiction: Chongqing's 各区县政府 are not Chengdu's.
            place = jurisdiction_of(agency.parent or "")
            self.spellings.setdefault(f"@{place}@{collective_key(agency.name)}", agency.id)

    def lookup(self, spelling: str) -> str | None:
        return self.spellings.get(normalize(spelling))

    def names(self) -> list[str]:
        return sorted(self.spellings, key=len, reverse=True)


@cache
def default_registry() -> Registry:
    """The bodies we know by name: ontology/agencies.tsv (local bodies met in gazettes) and
    ontology/central_bodies.tsv (the central government's bodies, current and former)."""
    registry = Registry()
    for table in ("agencies.tsv", "central_bodies.tsv"):
        text = resources.files("gazettekg.ontology").joinpath(table).read_text(encoding="utf-8")
        for line in text.splitlines()[1:]:
            if not line.strip():
                continue
            name, short, kind, parent, aliases = (line.split("\t") + [""] * 5)[:5]
            if normalize(name) in registry.agencies:
                continue
            registry.add(Agency(id=normalize(name), name=name, short_name=short or name, kind=kind,
                                aliases=tuple(a for a in aliases.split("|") if a), parent=normalize(parent) or None))
    return registry


# Words that open with a level character without naming the level (市场监管部门, 市级各部门).
NOT_A_LEVEL = ("市场", "市民", "市级", "市县", "市州", "省级", "县级", "县域", "区级", "区域", "区县")


def jurisdiction_of(issuer: str) -> str:
    """The place a document speaks for: 重庆市 for 重庆市人民政府办公厅, 四川省 for 四川省人民政府."""
    m = re.match(r"^([\u4e00-\u9fff]{2,10}?(?:省|自治区|市|自治州|州|盟|县|区|旗))", normalize(issuer))
    if m and not m.group(1).startswith(("国务院", "国家")):
        return m.group(1)
    return ""


@dataclass(slots=True)
class Resolver:
    """Resolves mentions within one document: registry, document aliases, then structure."""

    registry: Registry
    jurisdiction: str = ""
    local: dict[str, str] = field(default_factory=dict)  # document-defined alias -> agency id
    created: dict[str, Agency] = field(default_factory=dict)
    # Answers that depend on the registry and on ``local`` only, kept while ``local`` stays the same
    # size (aliases are only ever added): readers ask about the same few names thousands of times.
    memo: dict[tuple[str, str, int], object] = field(default_factory=dict, repr=False, compare=False)
    defined: int = field(default=0, repr=False, compare=False)  # definitions made so far (define())

    def remembered(self, kind: str, key: str, compute):
        """``compute()``, computed once per (kind, key) for the aliases defined so far."""
        slot = (kind, key, len(self.local))
        if slot not in self.memo:
            self.memo[slot] = compute()
        return self.memo[slot]

    def define(self, alias: str, referent: str) -> str:
        """A document's own definition: "X（以下简称Y）" makes Y mean X here."""
        agency_id = self.known(alias) or self.resolve(referent)
        self.local[normalize(alias)] = agency_id
        self.defined += 1
        return agency_id

    def known(self, surface: str) -> str | None:
        """The entity a spelling names when the registry or this document already knows it."""
        key = _ETC_END.sub("", normalize(surface))
        expanded = self._expand(key)
        found = self.local.get(key) or self.registry.lookup(expanded if expanded != key else key)
        if found is None:
            found = self.registry.spellings.get(self._collective_spelling(key))
        return found

    def resolve(self, surface: str) -> str:
        key = normalize(surface)
        key = _ETC_END.sub("", key)
        if key in self.local:
            return self.local[key]
        expanded = self._expand(key)
        # A short form (市公安局) means this document's own jurisdiction: look up the expanded name.
        found = self.registry.lookup(expanded) if expanded != key else self.registry.lookup(key)
        if found:
            return found
        found = self.registry.spellings.get(self._collective_spelling(key))
        if found:
            return found
        if re.match(r"^(?:各|有关|相关)", key):
            place = f"{self.jurisdiction}·" if self.jurisdiction else ""
            return self._create(place + collective_key(key), surface, "collective")
        return self._create(expanded, surface, _kind_of(expanded))

    def _collective_spelling(self, key: str) -> str:
        return f"@{self.jurisdiction}@{collective_key(key)}"

    def agency(self, agency_id: str) -> Agency:
        return self.registry.agencies.get(agency_id) or self.created[agency_id]

    def _expand(self, key: str) -> str:
        """市发展改革委 -> 成都市发展改革委 in a document issued for 成都市."""
        if not self.jurisdiction:
            return key
        level = self.jurisdiction[-1]
        if key.startswith(level) and not key.startswith(self.jurisdiction) and len(key) > 2 \
                and not key.startswith(NOT_A_LEVEL):
            return self.jurisdiction + key[1:]
        return key

    def _create(self, agency_id: str, surface: str, kind: str) -> str:
        if agency_id not in self.created:
            self.created[agency_id] = Agency(id=agency_id, name=agency_id if kind != "collective" else surface,
                                             short_name=normalize(surface), kind=kind)
        return agency_id


def _kind_of(name: str) -> str:
    if re.search(r"(?:银行|分行|支行|农商行)$", name) and "人民银行" not in name:
        return "financial_institution"
    if re.search(r"(?:人民政府|政府|管委会)$", name):
        return "government"
    if re.search(r"(?:公司|集团)$", name):
        return "state_enterprise"
    if re.search(r"(?:大学|学院|学校|研究院|医院)$", name):
        return "institution"
    if re.search(r"(?:部门|机关)$", name):
        return "functional"  # 公安部门, 发证机关: whichever body holds that function locally
    if name.startswith(("国家", "国务院")) or re.match(r"^[\u4e00-\u9fff]{2,8}部$", name):
        return "central_ministry"
    return "department"


DEFINITION = re.compile(r"（以下(?:简称|统称|称)[“\"]?(?P<alias>[^）”\"]{1,20})[”\"]?）")


GROUP_BOUNDARY = r"[，。；：]"
NAME_BOUNDARY = r"[，。；：、]|(?:组建|确定|成立|设立|调整为|更名为|改为|作为|由|和|与|及)(?=[^，。；]*$)"


def _outside_brackets(head: str) -> str:
    """Bracketed asides before a definition (各区县（自治县，含…，以下统称区县）X) blanked out with NULs,
    so that their commas never cut the referent; NULs are dropped afterwards."""
    out, depth = [], 0
    for ch in reversed(head):
        if ch in "）)":
            depth += 1
        elif ch in "（(" and depth:
            depth -= 1
            out.append(ch)
            continue
        out.append("\0" if depth and ch in "，。；：、" else ch)
    return "".join(reversed(out))


def find_definitions(text: str) -> list[tuple[str, str, int]]:
    """(alias, referent, offset of the definition) for each "X（以下简称Y）" in text.

    The referent is the name just before the bracket: back to the previous
    clause boundary or to the verb that introduced it.
    """
    out = []
    for m in DEFINITION.finditer(text):
        head = _outside_brackets(text[max(0, m.start() - 60): m.start()])
        # 统称 names a group (A、B和C（以下统称Y）): its referent runs back over the whole list.
        boundary = GROUP_BOUNDARY if "统称" in m.group(0) else NAME_BOUNDARY
        referent = re.split(boundary, head)[-1].replace("\0", "")
        referent = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[）)、．.]", "", referent)
        if referent:
            out.append((m["alias"], referent, m.start()))
    return out


def find_mentions(text: str, registry: Registry) -> list[tuple[int, int]]:
    """Spans of agency names in running text: registry spellings first, then structural matches."""
    spans: list[tuple[int, int]] = []
    taken = [False] * len(text)
    for spelling in _registry_pattern(registry).finditer(text):
        spans.append(spelling.span())
        for k in range(*spelling.span()):
            taken[k] = True
    for m in FREE_MENTION.finditer(text):
        if not any(taken[m.start():m.end()]):
            spans.append(m.span())
    return sorted(spans)


@cache
def _registry_pattern_cached(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in names if not n.startswith("@") and len(n) >= 2))


def _registry_pattern(registry: Registry) -> re.Pattern[str]:
    return _registry_pattern_cached(tuple(registry.names()))


SUB_UNIT = re.compile(rf"[\u4e00-\u9fff]{{1,6}}?(?:{ORG_HEAD})(?![门面署分位属])")
VERBISH = re.compile(r"会同|牵头|负责|配合|参与|协助|和|及|与|等|要|应|将|对|在|按|任|兼")
# 省应急厅厅长: a person's title after a body is not a sub-unit of it.
PERSON_TITLE_START = re.compile(r"[厅局处科部院行社司署]长|主任|书记|副|组长|总队长|队长|[省市县区州]长")


def agency_at(text: str, pos: int, registry: Registry) -> int | None:
    """The end of an agency name starting exactly at ``pos`` (the longest known or structural match)."""
    ends = []
    m = _registry_pattern(registry).match(text, pos)
    if m:
        ends.append(m.end())
    m = FREE_MENTION.match(text, pos)
    if m:
        end = m.end()
        # 市公安局交警支队: a sub-unit written straight after its parent belongs to the name.
        while (more := SUB_UNIT.match(text, end)) and not VERBISH.search(more.group(0)) \
                and not PERSON_TITLE_START.match(text, end):
            end = more.end()
        ends.append(end)
    m = re.compile(r"(?:各|有关|相关)[\u4e00-\u9fff（）]{1,12}?(?:人民政府|政府|管委会|部门|单位)").match(text, pos)
    if m:
        ends.append(m.end())
    return max(ends) if ends else None


def agency_list_at(text: str, pos: int, registry: Registry) -> list[tuple[int, int]]:
    """Spans of a list of agencies starting at ``pos``: A、B和C等 (stops at the first non-agency)."""
    spans: list[tuple[int, int]] = []
    while True:
        end = agency_at(text, pos, registry)
        if end is None:
            break
        spans.append((pos, end))
        sep = re.compile(r"、|，(?=[^，。；]{0,20}(?:局|委|厅|部|办))|和|及|以及|与").match(text, end)
        if not sep:
            break
        pos = sep.end()
    return spans
