"""Responsibility clauses in the styles of other provinces, cities and the State Council."""

from __future__ import annotations

from gazettekg.extract.agencies import Resolver, default_registry
from gazettekg.extract.clauses import parse_clause
from gazettekg.extract.pipeline import extract_pages
from gazettekg.records import Page


def roles(content: str) -> list[tuple[str, str, str]]:
    parsed = parse_clause(content)
    assert parsed is not None, content
    return [(p.surface, p.role, p.lead_basis) for p in parsed[0]]


def test_labelled_lead_and_support_units():
    assert roles("牵头单位：省发展改革委；配合单位：省财政厅、省自然资源厅") == [
        ("省发展改革委", "lead", "marked"),
        ("省财政厅", "support", ""),
        ("省自然资源厅", "support", ""),
    ]


def test_lead_unit_with_responsible_units_supports():
    assert roles("牵头单位：市住房城乡建设局，责任单位：各区（市）县政府") == [
        ("市住房城乡建设局", "lead", "marked"),
        ("各区（市）县政府", "support", ""),
    ]


def test_responsible_units_first_listed_leads():
    assert roles("责任单位：省教育厅、省人力资源社会保障厅，各市（州）人民政府")[0] == (
        "省教育厅", "lead", "first_listed")


def test_verbal_lead_and_cooperate():
    assert roles("工业和信息化部牵头，国家发展改革委、财政部配合") == [
        ("工业和信息化部", "lead", "marked"),
        ("国家发展改革委", "support", ""),
        ("财政部", "support", ""),
    ]


def test_by_division_of_duties():
    got = roles("国家发展改革委、财政部、人民银行等按职责分工负责")
    assert got[0] == ("国家发展改革委", "lead", "first_listed")
    assert [g[0] for g in got] == ["国家发展改革委", "财政部", "人民银行"]


def test_huitong_marks_the_lead():
    assert roles("省卫生健康委会同省医保局负责") == [
        ("省卫生健康委", "lead", "marked"),
        ("省医保局", "support", ""),
    ]


def test_you_x_qiantou():
    assert roles("由市商务局牵头，市市场监管局、市公安局配合")[0] == ("市商务局", "lead", "marked")


def test_not_a_clause():
    assert parse_clause("含示范园") is None
    assert parse_clause("2021—2025年") is None
    assert parse_clause("以下简称集团公司") is None


def test_collective_definition_stays_one_party():
    got = roles("责任单位：农发行市分行、市金融监管局，各区县（自治县）政府和两江新区、重庆高新区管委会"
                "（以下统称区县政府）")
    assert len(got) == 3
    assert got[2][0].startswith("各区县（自治县）政府和两江新区")


STATE_COUNCIL_STYLE = """国务院办公厅关于推进养老服务发展的意见
国办发〔2019〕5号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
养老服务业既是涉及亿万群众福祉的民生事业，也是具有巨大发展潜力的朝阳产业。经国务院同意，现提出以下意见。
一、深化放管服改革
（一）建立健全养老服务综合监管制度。制定养老服务质量标准和评价体系。（民政部、市场监管总局负责）
（二）减轻养老服务税费负担。聚焦解决养老服务机构享受税费优惠政策落地难问题。（财政部、税务总局、国家发展改革委等按职责分工负责）
二、拓宽养老服务投融资渠道
（三）推动解决养老服务机构融资问题。鼓励商业银行探索向产权明晰的民办养老机构发放资产（设施）抵押贷款。（人民银行、银保监会牵头，民政部配合）
国务院办公厅
2019年3月29日
"""


def test_state_council_document_end_to_end():
    # （一）…（三） run on through the chapters, so a path is the section label alone.
    x = extract_pages([Page(1, STATE_COUNCIL_STYLE.strip())], "gov.txt", "test")
    assert [d.doc_id for d in x.documents] == ["国办发〔2019〕5号"]
    doc = x.documents[0]
    assert doc.issuer == "国务院办公厅" and doc.date == "2019-03-29"
    by_task = {}
    for a in x.assignments:
        by_task.setdefault(a.task_path, []).append((x.agencies[a.agency_id].short_name, a.role))
    assert by_task["（一）"] == [("民政部", "lead"), ("市场监管总局", "support")]
    assert by_task["（二）"][0] == ("财政部", "lead")
    assert by_task["（三）"] == [("人民银行", "lead"), ("银保监会", "lead"), ("民政部", "support")]  # co-leads
    quote = next(a for a in x.assignments if a.task_path == "（三）").provenance.quote
    assert quote == "（人民银行、银保监会牵头，民政部配合）"


PROVINCE_STYLE = """四川省人民政府办公厅关于印发四川省数字经济发展行动方案的通知
川办发〔2022〕18号
各市（州）人民政府，省政府各部门、各直属机构：
《四川省数字经济发展行动方案》已经省政府同意，现印发给你们，请认真组织实施。
四川省人民政府办公厅
2022年3月1日
四川省数字经济发展行动方案
一、重点任务
1．建设算力基础设施。推进全国一体化算力网络成渝枢纽节点建设。（牵头单位：省发展改革委；配合单位：省经济和信息化厅、省大数据中心，各市（州）人民政府〔以下均需各市（州）人民政府落实，不再列出〕）
2．培育数字产业集群。做大做强电子信息产业。（牵头单位：省经济和信息化厅，责任单位：省科技厅）
"""


def test_province_document_resolves_unlisted_agencies_and_implicit_rule():
    x = extract_pages([Page(1, PROVINCE_STYLE.strip())], "sc.txt", "test")
    doc = x.documents[0]
    assert doc.title == "四川省数字经济发展行动方案"
    first = [a for a in x.assignments if a.task_path == "一.1"]
    second = [a for a in x.assignments if a.task_path == "一.2"]
    assert first[0].agency_id == "四川省发展改革委" and first[0].role == "lead"
    assert {a.agency_id for a in first} >= {"四川省经济和信息化厅", "四川省大数据中心"}
    assert second[0].task_title == "培育数字产业集群"
    assert [(a.agency_id, a.role, a.basis) for a in second] == [
        ("四川省经济和信息化厅", "lead", "explicit"),
        ("四川省科技厅", "support", "explicit"),
        (second[2].agency_id, "support", "implicit"),
    ]
    assert first[-1].agency_id == second[2].agency_id  # one collective entity for 各市（州）人民政府


def test_prose_mention_of_responsible_units_is_not_a_clause():
    text = ("重庆市人民政府关于加强安全生产的通知\n渝府发〔2022〕1号\n各区县（自治县）人民政府：\n"
            "一、强化问责\n依法依规严肃处理相关责任单位、责任人（责任单位、责任人员名单另行公布）。")
    x = extract_pages([Page(1, text)], "t.txt", "test")
    assert x.assignments == []


def test_same_agency_across_spellings_resolves_to_one_id():
    resolver = Resolver(default_registry(), "重庆市")
    assert resolver.resolve("市应急局") == resolver.resolve("市应急管理局") == resolver.resolve("重庆市应急管理局")
    assert resolver.resolve("各区县政府") == resolver.resolve("有关区县政府") == resolver.resolve("区县政府")


CITY_PROSE_STYLE = """杭州市人民政府办公厅关于加快发展夜间经济的实施意见
杭政办函〔2022〕12号
各区、县（市）人民政府，市政府各部门、各直属单位：
为进一步激发消费潜力，经市政府同意，现提出如下意见。
一、主要任务
（一）打造夜间消费地标。由市商务局牵头，会同市文化广电旅游局、市城管局等部门制定夜间经济地标评定办法。
（二）优化夜间交通服务。市交通运输局会同市公安局交警支队优化夜间公交线路。
杭州市人民政府办公厅
2022年5月10日
"""


def test_prose_clauses_in_a_city_document_resolve_to_that_city():
    x = extract_pages([Page(1, CITY_PROSE_STYLE.strip())], "hz.txt", "test")
    got = [(a.task_path, a.agency_id, a.role, a.lead_basis) for a in x.assignments]
    assert got == [
        ("一.（一）", "杭州市商务局", "lead", "marked"),
        ("一.（一）", "杭州市文化广电旅游局", "support", ""),
        ("一.（一）", "杭州市城管局", "support", ""),
        ("一.（二）", "杭州市交通运输局", "lead", "marked"),
        ("一.（二）", "杭州市公安局交警支队", "support", ""),
    ]  # never Chongqing's 市公安局, though the registry knows that one by the same short name


def test_schedule_parts_and_inline_lead_marks():
    assert roles("牵头单位：省发展改革委；配合单位：省财政厅；完成时限：2022年12月底前") == [
        ("省发展改革委", "lead", "marked"), ("省财政厅", "support", "")]
    assert roles("责任单位：市住房城乡建委（牵头）、市规划自然资源局") == [
        ("市住房城乡建委", "lead", "marked"), ("市规划自然资源局", "support", "")]


def test_co_leads_and_collective_party_committee_and_government():
    assert roles("市委宣传部、市委网信办牵头，各区县党委和政府负责") == [
        ("市委宣传部", "lead", "marked"), ("市委网信办", "lead", "marked"), ("各区县党委和政府", "support", "")]
    assert [r[0] for r in roles("国家发展改革委、工业和信息化部、人民银行等部门按职责分工负责")] == [
        "国家发展改革委", "工业和信息化部", "人民银行"]
