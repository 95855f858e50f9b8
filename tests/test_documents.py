"""Splitting inputs into documents: notices that issue a document, decrees, single documents."""

from __future__ import annotations

from gazettekg.extract.cleantext import clean_pages
from gazettekg.extract.documents import split_documents
from gazettekg.extract.headings import build_sections
from gazettekg.records import Page


def documents(text: str):
    source = clean_pages([Page(1, text.strip())], "t.txt")
    docs = split_documents(source)
    for doc in docs:
        doc.sections = build_sections(source, doc)
    return docs


DECREE = """重庆市人民政府令
第 350 号
《重庆市公共数据开放管理暂行办法》已经2021年12月20日市政府第172次常务会议通过，现予公布，自2022年2月1日起施行。
市长 胡衡华
2021年12月30日
重庆市公共数据开放管理暂行办法
第一章 总则
第一条 为了规范公共数据开放，制定本办法。
第二条 市大数据发展局负责统筹全市公共数据开放工作。
"""


def test_a_decree_is_numbered_by_its_order_and_issued_by_the_government():
    [doc] = documents(DECREE)
    assert doc.doc_id == "重庆市人民政府令第350号"
    assert doc.title == "重庆市公共数据开放管理暂行办法"
    assert (doc.issuer, doc.date) == ("重庆市人民政府", "2021-12-30")
    assert [s.path for s in doc.walk()] == ["第一章", "第一章.第一条", "第一章.第二条"]


def test_a_plain_policy_document_is_one_document():
    [doc] = documents("关于加快推进数字乡村建设的实施方案\n一、总体要求\n（一）指导思想。坚持新发展理念。\n"
                      "二、重点任务\n（一）夯实数字基础设施。到2025年，行政村5G通达率达到80%。")
    assert doc.title == "关于加快推进数字乡村建设的实施方案" and doc.number is None
    assert [s.path for s in doc.walk()] == ["一", "一.（一）", "二", "二.（一）"]


def test_two_notices_in_one_issue_with_attachments_and_supersession():
    text = """北京市人民政府办公厅关于印发北京市促进养老服务发展若干措施的通知
京政办发〔2022〕7号
各区人民政府，市政府各委、办、局，各市属机构：
经市政府同意，现将《北京市促进养老服务发展若干措施》印发给你们，请认真贯彻落实。
北京市人民政府办公厅
2022年3月10日
北京市促进养老服务发展若干措施
一、增加服务供给。到2025年，全市养老床位达到12万张。
本措施自印发之日起施行，《北京市养老服务设施专项规划》（京政办发〔2016〕3号）同时废止。
附件：1．养老服务设施建设标准
2．养老服务补贴目录
北京市人民政府关于调整最低工资标准的通知
京政发〔2022〕10号
各区人民政府，市政府各委、办、局：
现将本市最低工资标准调整事项通知如下。
一、月最低工资标准由2320元调整为2420元。
北京市人民政府
2022年8月15日
"""
    first, second = documents(text)
    assert first.doc_id == "京政办发〔2022〕7号" and first.title == "北京市促进养老服务发展若干措施"
    assert first.supersedes == ["京政办发〔2016〕3号"]
    assert first.attachments == ["养老服务设施建设标准", "养老服务补贴目录"]
    assert second.doc_id == "京政发〔2022〕10号"
    assert second.title == second.notice_title == "北京市人民政府关于调整最低工资标准的通知"
    assert (second.issuer, second.date) == ("北京市人民政府", "2022-08-15")


STATE_COUNCIL_ISSUE = """国务院关于印发“十四五”数字经济发展规划的通知
国发〔2021〕29号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
现将《“十四五”数字经济发展规划》印发给你们，请认真贯彻执行。
国务院
2021年12月12日
（此件公开发布）
“十四五”数字经济发展规划
一、发展现状和形势
（一）发展现状。我国数字经济发展较快、成就显著。
"""


def test_a_publication_note_after_the_signature_is_not_part_of_the_title():
    [doc] = documents(STATE_COUNCIL_ISSUE)
    assert doc.doc_id == "国发〔2021〕29号"
    assert (doc.issuer, doc.date) == ("国务院", "2021-12-12")
    assert doc.title == "“十四五”数字经济发展规划"
    assert [s.path for s in doc.walk()] == ["一", "一.（一）"]


def test_signing_dates_in_arabic_and_chinese_numerals():
    from gazettekg.extract.documents import parse_sign_date

    assert parse_sign_date("2021 年 11 月 10 日") == "2021-11-10"
    assert parse_sign_date("二〇二一年十二月三十一日") == "2021-12-31"
    assert parse_sign_date("2021年11月") is None


PARTS = """某区“十五五”规划
第一部分：发展基础
一、“十四五”规划执行情况
全区新建绿地90.87万平方米。
第二部分：发展目标
一、总体目标
到2030年，新建绿地35万平方米。
二、主要指标
第三部分 主要任务
一、绿化建设
"""


def test_parts_of_a_plan_open_their_own_numbering():
    (doc,) = documents(PARTS)
    paths = [s.path for s in doc.walk()]
    assert paths == ["第一部分", "第一部分.一", "第二部分", "第二部分.一", "第二部分.二", "第三部分", "第三部分.一"]
    assert [s.title for s in doc.sections] == ["发展基础", "发展目标", "主要任务"]


DRAFT = """某市打造创业新高地行动计划（2026—2028年）（征求意见稿）
为培育发展新业态，特制定本方案。
一、总体目标
到2028年，建成社区100个以上。
某市科学技术局2026年5月25日发布，征求意见截止2026年6月24日。
"""


def test_a_draft_signed_by_a_closing_publication_line():
    (doc,) = documents(DRAFT)
    assert doc.title == "某市打造创业新高地行动计划（2026—2028年）（征求意见稿）"
    assert (doc.issuer, doc.date) == ("某市科学技术局", "2026-05-25")
