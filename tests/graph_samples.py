"""Small hand-built issues for the RDF tests, in the State Council's and Zhejiang's styles.

Records are built the way the pipeline builds them (offsets into the issue text, quotes
cut from it), so the tests exercise real provenance without depending on the extractor.
"""

from __future__ import annotations

from gazettekg.records import (
    Agency,
    Assignment,
    Deadline,
    Document,
    Duty,
    IssueExtraction,
    Provenance,
    Rule,
    Section,
    SourceText,
    Target,
)

STATE_COUNCIL_TEXT = """国务院办公厅关于印发加快发展保障性租赁住房实施方案的通知
国办发〔2022〕12号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
《加快发展保障性租赁住房实施方案》已经国务院同意，现印发给你们，请认真贯彻执行。
国务院办公厅
2022年3月1日
加快发展保障性租赁住房实施方案
一、总体要求
到2025年，全国新增保障性租赁住房650万套以上。
二、重点任务
（一）加强土地支持。2022年底前完成存量用地清理。（自然资源部牵头，住房城乡建设部、财政部按职责分工负责）
（二）完善金融支持。（人民银行牵头，银保监会、住房城乡建设部按职责分工负责）
三、保障措施
住房城乡建设部负责统筹协调，每季度报送工作进展。单套补助最高不超过5万元。
"""

# A later issue that replaces the first document and shares two of its agencies.
LATER_TEXT = """国务院办公厅关于进一步加快发展保障性租赁住房的通知
国办发〔2023〕3号
各省、自治区、直辖市人民政府：
现将有关事项通知如下。国办发〔2022〕12号同时废止。依据安委〔2021〕9号有关要求执行。
国务院办公厅
2023年2月1日
一、扩大有效供给
（一）盘活存量房屋。2023年6月底前完成摸底。（住房城乡建设部牵头，自然资源部按职责分工负责）
"""

AGENCIES = {
    "mohurd": Agency("mohurd", "中华人民共和国住房和城乡建设部", "住房城乡建设部", "central_ministry",
                     ("住房和城乡建设部", "住建部")),
    "mnr": Agency("mnr", "中华人民共和国自然资源部", "自然资源部", "central_ministry"),
    "mof": Agency("mof", "中华人民共和国财政部", "财政部", "central_ministry"),
    "pbc": Agency("pbc", "中国人民银行", "人民银行", "financial_institution", ("人行",)),
    "cbirc": Agency("cbirc", "中国银行保险监督管理委员会", "银保监会", "central_ministry"),
    "gov-office": Agency("gov-office", "国务院办公厅", "国务院办公厅", "government", (), "state-council"),
    "state-council": Agency("state-council", "中华人民共和国国务院", "国务院", "government"),
}  # fmt: skip


class Reader:
    """Finds spans in a text the way the pipeline reports them."""

    def __init__(self, name: str, text: str) -> None:
        self.source = SourceText(name, text, [0, len(text) // 2])

    def span(self, needle: str, after: int = 0) -> tuple[int, int]:
        start = self.source.text.index(needle, after)
        return start, start + len(needle)

    def prov(self, doc_id: str, path: str, needle: str) -> Provenance:
        return Provenance.of(self.source, doc_id, path, *self.span(needle))

    def section(self, path: str, label: str, level: str, heading: str, title: str, body_end: str) -> Section:
        start, _ = self.span(heading)
        t_start, t_end = self.span(title, start)
        _, end = self.span(body_end, start)
        return Section(path, label, level, title, start, end, t_start, t_end)


def state_council_issue() -> IssueExtraction:
    r = Reader("gwy-2022-09.txt", STATE_COUNCIL_TEXT)
    doc_id = "国办发〔2022〕12号"
    one = r.section("一", "一", "chapter", "一、总体要求", "总体要求", "650万套以上。")
    two = r.section("二", "二", "chapter", "二、重点任务", "重点任务", "按职责分工负责）\n")
    two.end = r.span("三、保障措施")[0]
    land = r.section("二.（一）", "（一）", "section", "（一）加强土地支持", "加强土地支持", "财政部按职责分工负责）")
    money = r.section("二.（二）", "（二）", "section", "（二）完善金融支持", "完善金融支持",
                      "银保监会、住房城乡建设部按职责分工负责）")
    two.children = [land, money]
    three = r.section("三", "三", "chapter", "三、保障措施", "保障措施", "5万元。")
    doc = Document(
        doc_id=doc_id, number="国办发〔2022〕12号",
        notice_title="国务院办公厅关于印发加快发展保障性租赁住房实施方案的通知",
        title="加快发展保障性租赁住房实施方案", issuer="国务院办公厅",
        issuer_id="gov-office", date="2022-03-01",
        recipients="各省、自治区、直辖市人民政府，国务院各部委、各直属机构", attachments=[], supersedes=[],
        cites=["《加快发展保障性租赁住房实施方案》"], start=0, end=len(STATE_COUNCIL_TEXT),
        body_start=r.span("加快发展保障性租赁住房实施方案\n一")[0], sections=[one, two, three],
    )  # fmt: skip
    land_clause = "（自然资源部牵头，住房城乡建设部、财政部按职责分工负责）"
    money_clause = "（人民银行牵头，银保监会、住房城乡建设部按职责分工负责）"

    def assign(path, title, agency, surface, role, rank, clause):
        basis = "marked" if role == "lead" else ""
        return Assignment(doc_id, path, title, agency, surface, role, basis, rank, "explicit",
                          r.prov(doc_id, path, clause))  # fmt: skip

    assignments = [
        assign("二.（一）", "加强土地支持", "mnr", "自然资源部", "lead", 1, land_clause),
        assign("二.（一）", "加强土地支持", "mohurd", "住房城乡建设部", "support", 2, land_clause),
        assign("二.（一）", "加强土地支持", "mof", "财政部", "support", 3, land_clause),
        assign("二.（二）", "完善金融支持", "pbc", "人民银行", "lead", 1, money_clause),
        assign("二.（二）", "完善金融支持", "cbirc", "银保监会", "support", 2, money_clause),
        assign("二.（二）", "完善金融支持", "mohurd", "住房城乡建设部", "support", 3, money_clause),
    ]
    duty_quote = "住房城乡建设部负责统筹协调"
    duties = [Duty(doc_id, "三", "mohurd", "住房城乡建设部", "responsible", (), "统筹协调",
                   r.prov(doc_id, "三", duty_quote))]  # fmt: skip
    deadlines = [
        Deadline(doc_id, "二.（一）", "完成存量用地清理", "2022年底", "by", None, "2022-12-31", None,
                 r.prov(doc_id, "二.（一）", "2022年底前完成存量用地清理")),
        Deadline(doc_id, "三", "报送工作进展", "每季度", "recurring", "2022-01-01", "2022-12-31", "quarterly",
                 r.prov(doc_id, "三", "每季度报送工作进展")),
        Deadline(doc_id, "", "新增保障性租赁住房", "到2025年", "by", None, "2025-12-31", None,
                 r.prov(doc_id, "", "到2025年，全国新增保障性租赁住房650万套以上")),
    ]  # fmt: skip
    targets = [
        Target(doc_id, "一", "新增保障性租赁住房", "全国", "650", None, "万套", ">=", None, None, 2025, None, None,
               r.prov(doc_id, "一", "到2025年，全国新增保障性租赁住房650万套以上")),
    ]  # fmt: skip
    rules = [Rule(doc_id, "三", "单套补助", "5", "万元", "<=", r.prov(doc_id, "三", "单套补助最高不超过5万元"))]
    return IssueExtraction(
        source=r.source, issue="国务院公报2022年第9号", documents=[doc], agencies=dict(AGENCIES),
        assignments=assignments, duties=duties, deadlines=deadlines, targets=targets, rules=rules,
    )  # fmt: skip


def later_issue() -> IssueExtraction:
    r = Reader("gwy-2023-05.txt", LATER_TEXT)
    doc_id = "国办发〔2023〕3号"
    one = r.section("一", "一", "chapter", "一、扩大有效供给", "扩大有效供给", "按职责分工负责）")
    item = r.section("一.（一）", "（一）", "section", "（一）盘活存量房屋", "盘活存量房屋", "按职责分工负责）")
    one.children = [item]
    doc = Document(
        doc_id=doc_id, number=doc_id, notice_title="国务院办公厅关于进一步加快发展保障性租赁住房的通知",
        title="国务院办公厅关于进一步加快发展保障性租赁住房的通知", issuer="国务院办公厅",
        issuer_id="gov-office", date="2023-02-01",
        recipients="各省、自治区、直辖市人民政府", attachments=[], supersedes=["国办发〔2022〕12号"],
        cites=["安委〔2021〕9号", "《城镇燃气管理条例》"], start=0, end=len(LATER_TEXT), body_start=0,
        sections=[one],
    )  # fmt: skip
    clause = "（住房城乡建设部牵头，自然资源部按职责分工负责）"
    assignments = [
        Assignment(doc_id, "一.（一）", "盘活存量房屋", "mohurd", "住房城乡建设部", "lead", "marked", 1, "explicit",
                   r.prov(doc_id, "一.（一）", clause)),
        Assignment(doc_id, "一.（一）", "盘活存量房屋", "mnr", "自然资源部", "support", "", 2, "explicit",
                   r.prov(doc_id, "一.（一）", clause)),
    ]  # fmt: skip
    deadlines = [
        Deadline(doc_id, "一.（一）", "完成摸底", "2023年6月底", "by", None, "2023-06-30", None,
                 r.prov(doc_id, "一.（一）", "2023年6月底前完成摸底")),
    ]  # fmt: skip
    agencies = {k: AGENCIES[k] for k in ("mohurd", "mnr", "gov-office", "state-council")}
    return IssueExtraction(
        source=r.source, issue="国务院公报2023年第5号", documents=[doc], agencies=agencies,
        assignments=assignments, deadlines=deadlines,
    )  # fmt: skip
