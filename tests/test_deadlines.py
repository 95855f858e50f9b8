"""Deadlines on real excerpts of the sample and on small documents in other styles."""

import re

from gazettekg.extract.deadlines import find_deadlines
from gazettekg.records import Document, Section, SourceText

HEADING = re.compile(r"^(?:(?P<ch>[一二三四五六七八九十]+)、|（(?P<sec>[一二三四五六七八九十]+)）|(?P<item>\d+)．|"
                     r"(?P<box>专栏\s*\d+)|(?P<art>第[一二三四五六七八九十]+条))", re.M)


def make_doc(text: str, date: str = "2022-03-01", title: str = "", doc_id: str = "测试〔2022〕1号") -> tuple:
    """(source, doc): every heading-numbered line opens a section; paths nest 一 > （一） > 1."""
    source = SourceText("test.txt", text)
    heads = list(HEADING.finditer(text))
    sections: list[Section] = []
    chapter = section = ""
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        line_end = text.find("\n", m.start())
        line_end = len(text) if line_end == -1 else line_end
        stop = re.search(r"[。；]", text[m.end():line_end])
        title_end = m.end() + stop.start() if stop else line_end
        if m["ch"]:
            chapter, section, path, label, level = m["ch"], "", m["ch"], m["ch"], "chapter"
        elif m["sec"]:
            section = f"（{m['sec']}）"
            path, label, level = ".".join(x for x in (chapter, section) if x), section, "section"
        elif m["item"]:
            path = ".".join(x for x in (chapter, section, m["item"]) if x)
            label, level = m["item"], "item"
        elif m["box"]:
            label = re.sub(r"\s", "", m["box"])
            path, level = label, "box"
        else:
            path, label, level = m["art"], m["art"], "article"
        if level == "box":
            end = text.find("\n\n", m.start()) if "\n\n" in text[m.start():] else len(text)
        sections.append(Section(path, label, level, text[m.end():title_end].strip(), m.start(), end,
                                m.end(), title_end))
    doc = Document(doc_id=doc_id, number=doc_id, notice_title="", title=title, issuer="", date=date,
                   recipients="", attachments=[], supersedes=[], cites=[], start=0, end=len(text),
                   body_start=0, sections=sections)
    return source, doc


def kinds_ends(deadlines):
    return [(d.kind, d.start, d.end, d.recurrence) for d in deadlines]


SCHEDULE = """四、进度安排
（一） 动员部署（即日起至 2021 年 12 月底）。各区县对照方案，制定本地区实施方案。
（二）深化排查（2022 年 1 月至 3 月底）。深化燃气安全风险隐患排查并立查立改。
五、工作要求
（一）加强组织领导。工作专班每季度召开会议，听取工作汇报。
（二）加强信息报送。请各区县政府于 2022 年 1 月 10 日前将实施方案报市安委会办公室，\
并分别于 2022 年 2 月 20 日、5 月 20 日之前将工作进展情况报送市安委会办公室。
"""


def test_schedule_phases_are_periods_owned_by_their_heading():
    source, doc = make_doc(SCHEDULE, date="2021-12-31")
    found = find_deadlines(source, doc)
    assert kinds_ends(found) == [
        ("period", "2021-12-31", "2021-12-31", None),
        ("period", "2022-01-01", "2022-03-31", None),
        ("recurring", None, None, "quarterly"),
        ("by", None, "2022-01-10", None),
        ("by", None, "2022-02-20", None),
        ("by", None, "2022-05-20", None),
    ]
    assert found[0].where == "四.（一）" and found[0].what.startswith("动员部署")
    assert found[1].provenance.quote == "（二）深化排查（2022 年 1 月至 3 月底）"
    assert found[3].where == "五.（二）"
    assert all(source.text[d.provenance.start:d.provenance.end] == d.provenance.quote for d in found)


PROVINCE_PLAN = """一、发展基础
“十三五”时期，全省累计建成5G基站3万个，2020年森林覆盖率达到62%。
二、主要目标
到2025年，全省生态环境质量持续改善，森林覆盖率达到65%以上。
三、重点任务
（一）推进普查。2023年6月底前，各设区市完成普查，并依照《浙江省生态环境保护条例（2021年修订）》报送结果。
（二）强化考核。各地每半年报送一次工作情况，检查记录保存期限不少于5年。
"""


def test_province_plan_history_titles_and_signing_excluded():
    source, doc = make_doc(PROVINCE_PLAN, date="2021-06-01", title="浙江省生态环境保护“十四五”规划")
    found = find_deadlines(source, doc)
    assert kinds_ends(found) == [
        ("by", None, "2025-12-31", None),
        ("by", None, "2023-06-30", None),
        ("recurring", None, None, "semiannually"),
        ("duration", None, None, None),
    ]
    assert found[0].where == "二" and "森林覆盖率" not in found[0].what
    assert found[1].where == "三.（一）"


STATE_COUNCIL = """国务院办公厅关于加强安全生产工作的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
一、全面排查
各地区要在2022年9月底前完成排查，排查结果于10月15日前报应急管理部。“十四五”时期是安全生产的关键期。
二、建立长效机制
“十四五”期间，每年开展一次专项督查，自收到整改通知之日起30日内完成整改。
2022年8月1日
"""


def test_state_council_notice():
    source, doc = make_doc(STATE_COUNCIL, date="2022-08-01")
    found = find_deadlines(source, doc)
    assert kinds_ends(found) == [
        ("by", None, "2022-09-30", None),
        ("by", None, "2022-10-15", None),
        ("period", "2021-01-01", "2025-12-31", None),
        ("recurring", None, None, "yearly"),
        ("duration", None, None, None),
    ]


def test_sample_plan_table_header_gives_the_target_year():
    text = ("专栏 1 重庆教育事业“十四五”规划主要指标\n分 类 指 标 2020年 2025年 属性\n"
            "在园幼儿数（万人） 100.8 110 预期性\n")
    source, doc = make_doc(text, date="2021-11-10", title="重庆市教育事业发展“十四五”规划（2021—2025年）")
    title, d = find_deadlines(source, doc)
    assert (title.where, title.kind, title.start, title.end) == ("标题", "period", "2021-01-01", "2025-12-31")
    assert (d.where, d.kind, d.end, d.what) == ("专栏1", "by", "2025-12-31", "重庆教育事业“十四五”规划主要指标")
