"""Small hand-built issues for the property-graph tests, in Guangdong's and a city's styles.

Offsets point into the issue text and quotes are cut from it, as the pipeline does, so
provenance is real without depending on the extractor.
"""

from __future__ import annotations

from gazettekg.records import (
    Agency,
    Assignment,
    Deadline,
    Document,
    Duty,
    IssueExtraction,
    Rule,
    Target,
)
from gazettekg.tests.graph_samples import Reader

GUANGDONG_TEXT = """广东省人民政府办公厅关于印发广东省推动冷链物流高质量发展实施方案的通知
粤府办〔2022〕5号
各地级以上市人民政府，省政府各部门、各直属机构：
《广东省推动冷链物流高质量发展实施方案》已经省人民政府同意，现印发给你们，请认真组织实施。粤府办〔2019〕20号同时废止。
广东省人民政府办公厅
2022年3月8日
广东省推动冷链物流高质量发展实施方案
到2025年，全省冷库容量达到1000万吨左右。
一、完善设施网络
（一）建设骨干冷链物流基地。2022年6月底前完成布局规划。（省发展改革委牵头，省交通运输厅、省商务厅配合）
（二）提升产地冷链能力。依据粤府〔2021〕1号和《广东省现代流通体系建设方案》推进。（省农业农村厅负责）
二、强化政策保障
省商务厅负责统筹协调，会同省发展改革委每半年开展一次评估。各地级以上市人民政府负责落实本地任务，以下不再列出。
冷库建设补助最高不超过200万元。
"""

CITY_TEXT = """深圳市人民政府关于冷链物流设施建设的若干措施
深府〔2023〕2号
各区人民政府，市政府直属各单位：
现将有关措施通知如下，并落实粤府办〔2022〕5号要求。
深圳市人民政府
2023年1月20日
第一条 建设冷链枢纽。2023年底前建成冷链枢纽1个。（市发展改革委牵头，省交通运输厅配合）
"""

GUANGDONG_AGENCIES = {
    "gd-ndrc": Agency("gd-ndrc", "广东省发展和改革委员会", "省发展改革委", "provincial_department", ("广东省发改委",)),
    "gd-transport": Agency("gd-transport", "广东省交通运输厅", "省交通运输厅", "provincial_department"),
    "gd-commerce": Agency("gd-commerce", "广东省商务厅", "省商务厅", "provincial_department"),
    "gd-agri": Agency("gd-agri", "广东省农业农村厅", "省农业农村厅", "provincial_department"),
    "gd-cities": Agency("gd-cities", "各地级以上市人民政府", "各地级以上市人民政府", "collective"),
    "gd-office": Agency("gd-office", "广东省人民政府办公厅", "省政府办公厅", "government", (), "gd-gov"),
    "gd-gov": Agency("gd-gov", "广东省人民政府", "省政府", "government"),
}  # fmt: skip

CITY_AGENCIES = {
    "sz-ndrc": Agency("sz-ndrc", "深圳市发展和改革委员会", "市发展改革委", "municipal_department"),
    "gd-transport": GUANGDONG_AGENCIES["gd-transport"],
    "sz-gov": Agency("sz-gov", "深圳市人民政府", "市政府", "government"),
}


def guangdong_issue() -> IssueExtraction:
    r = Reader("gd-2022-07.txt", GUANGDONG_TEXT)
    doc_id = "粤府办〔2022〕5号"
    one = r.section("一", "一", "chapter", "一、完善设施网络", "完善设施网络", "（省农业农村厅负责）")
    base = r.section("一.（一）", "（一）", "section", "（一）建设骨干冷链物流基地", "建设骨干冷链物流基地",
                     "省商务厅配合）")  # fmt: skip
    farm = r.section("一.（二）", "（二）", "section", "（二）提升产地冷链能力", "提升产地冷链能力",
                     "（省农业农村厅负责）")  # fmt: skip
    one.children = [base, farm]
    two = r.section("二", "二", "chapter", "二、强化政策保障", "强化政策保障", "200万元。")
    doc = Document(
        doc_id=doc_id, number="粤府办〔2022〕5号",
        notice_title="广东省人民政府办公厅关于印发广东省推动冷链物流高质量发展实施方案的通知",
        title="广东省推动冷链物流高质量发展实施方案", issuer="广东省人民政府办公厅",
        issuer_id="gd-office", date="2022-03-08",
        recipients="各地级以上市人民政府，省政府各部门、各直属机构", attachments=[],
        supersedes=["粤府办〔2019〕20号"], cites=["粤府〔2021〕1号", "《广东省现代流通体系建设方案》"],
        start=0, end=len(GUANGDONG_TEXT), body_start=r.span("广东省推动冷链物流高质量发展实施方案\n到")[0],
        sections=[one, two],
    )  # fmt: skip
    base_clause = "（省发展改革委牵头，省交通运输厅、省商务厅配合）"
    implicit = "各地级以上市人民政府负责落实本地任务，以下不再列出"

    def assign(path, title, agency, surface, role, rank, clause, basis="explicit"):
        lead_basis = ("marked" if "牵头" in clause else "first_listed") if role == "lead" else ""
        return Assignment(doc_id, path, title, agency, surface, role, lead_basis, rank, basis,
                          r.prov(doc_id, path, clause))  # fmt: skip

    assignments = [
        assign("一.（一）", "建设骨干冷链物流基地", "gd-ndrc", "省发展改革委", "lead", 1, base_clause),
        assign("一.（一）", "建设骨干冷链物流基地", "gd-transport", "省交通运输厅", "support", 2, base_clause),
        assign("一.（一）", "建设骨干冷链物流基地", "gd-commerce", "省商务厅", "support", 3, base_clause),
        assign("一.（二）", "提升产地冷链能力", "gd-agri", "省农业农村厅", "lead", 1, "（省农业农村厅负责）"),
        assign("一.（一）", "建设骨干冷链物流基地", "gd-cities", "各地级以上市人民政府", "support", 4, implicit,
               "implicit"),
        assign("一.（二）", "提升产地冷链能力", "gd-cities", "各地级以上市人民政府", "support", 2, implicit,
               "implicit"),
    ]  # fmt: skip
    duties = [
        Duty(doc_id, "二", "gd-commerce", "省商务厅", "responsible", ("gd-ndrc",), "统筹协调",
             r.prov(doc_id, "二", "省商务厅负责统筹协调，会同省发展改革委每半年开展一次评估")),
    ]  # fmt: skip
    deadlines = [
        Deadline(doc_id, "一.（一）", "完成布局规划", "2022年6月底前", "by", None, "2022-06-30", None,
                 r.prov(doc_id, "一.（一）", "2022年6月底前完成布局规划")),
        Deadline(doc_id, "二", "开展评估", "每半年", "recurring", None, None, None,
                 r.prov(doc_id, "二", "每半年开展一次评估")),
        Deadline(doc_id, "", "冷库容量达到1000万吨左右", "到2025年", "by", None, "2025-12-31", None,
                 r.prov(doc_id, "", "到2025年，全省冷库容量达到1000万吨左右")),
    ]  # fmt: skip
    targets = [
        Target(doc_id, "", "冷库容量", "全省", "1000", None, "万吨", "approx", None, None, 2025, None, None,
               r.prov(doc_id, "", "到2025年，全省冷库容量达到1000万吨左右")),
    ]  # fmt: skip
    subsidy = r.prov(doc_id, "二", "冷库建设补助最高不超过200万元")
    rules = [Rule(doc_id, "二", "冷库建设补助", "200", "万元", "<=", subsidy)]
    return IssueExtraction(
        source=r.source, issue="广东省人民政府公报2022年第7期", documents=[doc], agencies=dict(GUANGDONG_AGENCIES),
        assignments=assignments, duties=duties, deadlines=deadlines, targets=targets, rules=rules,
    )  # fmt: skip


def city_issue() -> IssueExtraction:
    r = Reader("sz-2023-03.txt", CITY_TEXT)
    doc_id = "深府〔2023〕2号"
    article = r.section("第一条", "第一条", "article", "第一条 建设冷链枢纽", "建设冷链枢纽", "省交通运输厅配合）")
    doc = Document(
        doc_id=doc_id, number="深府〔2023〕2号", notice_title="深圳市人民政府关于冷链物流设施建设的若干措施",
        title="深圳市人民政府关于冷链物流设施建设的若干措施", issuer="深圳市人民政府",
        issuer_id="sz-gov", date="2023-01-20",
        recipients="各区人民政府，市政府直属各单位", attachments=[], supersedes=[], cites=["粤府办〔2022〕5号"],
        start=0, end=len(CITY_TEXT), body_start=r.span("第一条")[0], sections=[article],
    )  # fmt: skip
    clause = "（市发展改革委牵头，省交通运输厅配合）"
    assignments = [
        Assignment(doc_id, "第一条", "建设冷链枢纽", "sz-ndrc", "市发展改革委", "lead", "marked", 1, "explicit",
                   r.prov(doc_id, "第一条", clause)),
        Assignment(doc_id, "第一条", "建设冷链枢纽", "gd-transport", "省交通运输厅", "support", "", 2, "explicit",
                   r.prov(doc_id, "第一条", clause)),
    ]  # fmt: skip
    deadlines = [
        Deadline(doc_id, "第一条", "建成冷链枢纽", "2023年底前", "by", None, "2023-12-31", None,
                 r.prov(doc_id, "第一条", "2023年底前建成冷链枢纽1个")),
    ]  # fmt: skip
    targets = [
        Target(doc_id, "第一条", "冷链枢纽", "", "1", None, "个", "=", None, None, 2023, None, None,
               r.prov(doc_id, "第一条", "2023年底前建成冷链枢纽1个")),
    ]  # fmt: skip
    return IssueExtraction(
        source=r.source, issue="深圳市人民政府公报2023年第3期", documents=[doc], agencies=dict(CITY_AGENCIES),
        assignments=assignments, deadlines=deadlines, targets=targets,
    )  # fmt: skip
