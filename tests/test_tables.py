"""Division-of-labour tables (重点任务分工表): one task per row, in every form the table arrives in."""

from __future__ import annotations

import pytest

from gazettekg.extract.cleantext import clean_pages
from gazettekg.extract.documents import paragraphs
from gazettekg.extract.markdown import markdown_to_text
from gazettekg.extract.pages import text_pages
from gazettekg.extract.tables import TableTask, find_tables, table_tasks


def tables_of(text: str):
    src = clean_pages(text_pages(text), "t.txt")
    return find_tables(paragraphs(src))


def tasks_of(text: str) -> list[TableTask]:
    return table_tasks(tables_of(text))


def summary(tasks: list[TableTask]) -> list[tuple[str, str, list[tuple[str, str]], str]]:
    return [(t.path, t.title, [(p.surface, p.role) for p in t.parties], t.deadline) for t in tasks]


# A work-plan table in the style of the 宝山区 waste-sorting plan (tests/data/eval/prov/raw/05_…).
HEADER = ("序号", "工作任务", "牵头单位", "配合单位", "完成时限")
ROWS = (
    ("1", "建立生活垃圾分类联席会议制度。定期召开联席会议，研究解决推进中的重大问题。", "区绿化市容局",
     "区发展改革委、区财政局", "2019年3月"),
    ("2", "完善生活垃圾分类收运体系。按照分类标准配置收运车辆，杜绝混装混运。", "区城管执法局", "各街镇",
     "2019年6月底"),
    ("3", "加强宣传引导。开展垃圾分类进社区、进学校、进机关宣传活动。", "区委宣传部", "区教育局、区民政局",
     "2019年底"),
)
TITLE = "附件\n2019年宝山区生活垃圾分类重点任务分工表\n"

EXPECTED = [
    ("表1.1", "建立生活垃圾分类联席会议制度",
     [("区绿化市容局", "lead"), ("区发展改革委", "support"), ("区财政局", "support")], "2019年3月"),
    ("表1.2", "完善生活垃圾分类收运体系", [("区城管执法局", "lead"), ("各街镇", "support")], "2019年6月底"),
    ("表1.3", "加强宣传引导", [("区委宣传部", "lead"), ("区教育局", "support"), ("区民政局", "support")],
     "2019年底"),
]


def tab_form() -> str:
    return TITLE + "\n".join("\t".join(row) for row in (HEADER, *ROWS)) + "\n"


def markdown_form() -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in ROWS]
    return markdown_to_text("# 2019年宝山区生活垃圾分类重点任务分工表\n\n" + "\n".join(lines) + "\n")


def cell_form() -> str:
    return TITLE + "\n".join([*HEADER, *(cell for row in ROWS for cell in row)]) + "\n"


def spaced_form() -> str:
    return TITLE + "\n".join("   ".join(row) for row in (HEADER, *ROWS)) + "\n"


@pytest.mark.parametrize("make", [tab_form, markdown_form, cell_form, spaced_form],
                         ids=["tab", "markdown", "one-cell-a-line", "spaced"])
def test_every_form_of_the_table_gives_the_same_tasks(make):
    assert summary(tasks_of(make())) == EXPECTED


def test_lead_column_marks_the_lead_and_other_units_support():
    first = tasks_of(tab_form())[0]
    assert [(p.surface, p.role, p.lead_basis) for p in first.parties] == [
        ("区绿化市容局", "lead", "marked"),
        ("区发展改革委", "support", ""),
        ("区财政局", "support", ""),
    ]


def test_header_columns_are_read_by_kind():
    [table] = tables_of(tab_form())
    assert table.columns == ["seq", "name", "lead", "support", "time"]
    assert [row.number for row in table.rows] == ["1", "2", "3"]


def test_a_row_task_spans_its_row_in_the_source():
    text = tab_form()
    src = clean_pages(text_pages(text), "t.txt")
    [task, *_] = table_tasks(find_tables(paragraphs(src)))
    assert src.text[task.start: task.end].startswith("1\t建立生活垃圾分类联席会议制度。")
    assert src.text[task.start: task.end].endswith("2019年3月")


def test_cells_separated_by_one_ideographic_space():
    # Cells set apart by one ideographic space each (text copied out of a PDF table).
    text = "\n".join("\u3000".join(row) for row in (HEADER, *ROWS)) + "\n"
    assert summary(tasks_of(text)) == EXPECTED


def test_no_table_without_a_unit_column():
    text = "序号\t工作任务\t完成时限\n1\t建立生活垃圾分类联席会议制度。\t2019年3月\n"
    assert tables_of(text) == []


def test_prose_with_table_words_is_no_table():
    text = "一、工作任务\n（一）牵头单位要建立联席会议制度，配合单位要积极参与。\n"
    assert tables_of(text) == []


# 任务名称 is written once for a group of rows; 任务内容 is on every row (the 宝山区 成员单位工作任务清单).
MERGED_NAME = """附件1
2019年宝山区生活垃圾分类减量推进工作联席会议成员单位工作任务清单
序号
任务名称
任务内容
牵头部门
配合部门
时间节点
1
加强组织领导
召开全区生活垃圾分类工作动员大会。建立区生活垃圾分类减量联席会议制度、建立联络员网络。
区政府办公室
各联席会议成员单位
2019年3月
2
将生活垃圾管理作为生态文明建设和城市精细化管理的重要内容，纳入专项督查和绩效评价指标体系。
区委组织部
区绿化市容局
2019年
3
推进基层建设
落实街镇联席办及居（村）委每1-2周的垃圾分类工作分析评价制度，发挥居民自治能力。
区民政局
各街镇（园区）
2019年6月
"""


def test_merged_task_name_cell_titles_rows_by_their_content():
    assert [(t.path, t.title) for t in tasks_of(MERGED_NAME)] == [
        ("表1.1", "召开全区生活垃圾分类工作动员大会"),
        ("表1.2", "将生活垃圾管理作为生态文明建设和城市精细化管理的重要内容，纳入专项督查和绩效评价指标体系"),
        ("表1.3", "落实街镇联席办及居（村）委每1-2周的垃圾分类工作分析评价制度，发挥居民自治能力"),
    ]


def test_merged_task_name_cell_is_carried_to_the_rows_below():
    [table] = tables_of(MERGED_NAME)
    assert table.columns == ["seq", "name", "content", "lead", "support", "time"]
    second = table.rows[1]
    assert second.cells[1] == "加强组织领导" and 1 in second.carried
    assert not table.rows[2].carried  # 推进基层建设 opens a new group


def test_merged_task_name_rows_keep_their_own_units():
    second = tasks_of(MERGED_NAME)[1]
    assert [(p.surface, p.role) for p in second.parties] == [("区委组织部", "lead"), ("区绿化市容局", "support")]
    assert second.deadline == "2019年"


def test_merged_task_name_in_a_tab_table():
    text = ("序号\t任务名称\t任务内容\t牵头部门\t配合部门\t时间节点\n"
            "1\t加强组织领导\t召开全区生活垃圾分类工作动员大会。建立联席会议制度。\t区政府办公室\t各联席会议成员单位\t2019年3月\n"
            "2\t将生活垃圾管理纳入专项督查和绩效评价指标体系。\t区委组织部\t区绿化市容局\t2019年\n")
    assert [t.title for t in tasks_of(text)] == ["召开全区生活垃圾分类工作动员大会",
                                                 "将生活垃圾管理纳入专项督查和绩效评价指标体系"]


def test_responsible_column_without_a_lead_column_the_first_listed_leads():
    text = ("序号\t重点任务\t责任单位\t完成时限\n"
            "1\t建立健全知识产权快速保护机制。加大侵权行为惩处力度。\t市市场监管局、市公安局、市中级法院\t2022年底\n"
            "2\t完善科技成果转化激励政策。\t市科技局、市财政局\t长期坚持\n")
    first, second = tasks_of(text)
    assert [(p.surface, p.role, p.lead_basis) for p in first.parties] == [
        ("市市场监管局", "lead", "first_listed"),
        ("市公安局", "support", ""),
        ("市中级法院", "support", ""),
    ]
    assert [(p.surface, p.role) for p in second.parties] == [("市科技局", "lead"), ("市财政局", "support")]


# The 国办发〔2018〕126号 推广清单 (tests/data/eval/tables/raw/01_…), flattened one cell a line.
REFORM_LIST = """附件
第二批支持创新相关改革举措推广清单
序号
改革举措
主 要 内 容
指导部门
推广范围
一、知识产权保护方面（共3项）
1
知识产权民事、刑事、行政案件“三合一”审判
整合分散的审判资源，实行知识产权民事、刑事、行政案件审判“三合一”，实现审判力量集中、审判标准统一，提高审判效率，缩短审判周期。
最高人民法院、最高人民检察院、国家知识产权局
全国
2
以降低侵权损失为核心的专利保险机制
围绕专利应用和维权，开发包括专利代理责任险、专利执行险、专利被侵权损失险等保险产品，降低创新主体的侵权损失。
国家知识产权局、中国银保监会
全国
3
以事前产权激励为核心的职务科技成果权属改革
赋予科研人员一定比例的职务科技成果所有权，将事后科技成果转化收益奖励，前置为事前国有知识产权所有权奖励。
科技部、国家发展改革委、财政部、
国家知识产权局、教育部
8个改革试验区域
二、管理体制创新方面（共2项）
7
允许地方高校自主开展人才引进和职称评审
将职称评审和人才引进自主权下放给地方高校，允许高校因需评聘科研教学人员，自主制定招聘方案、设置岗位条件。
教育部、人力资源社会保障部
8个改革试验区域
8
以地方立法形式建立推动改革创新的决策容错机制
通过制定实施地方性法规，对政府部门、国有企业负责人在推动战略性新兴产业发展和实施创新项目中出现工作过失的，予以免责。
国家发展改革委、国务院国资委、审计署
全国
扫一扫在手机打开当前页
"""


def test_skipped_row_numbers_keep_their_printed_number():
    assert [t.path for t in tasks_of(REFORM_LIST)] == ["表1.1", "表1.2", "表1.3", "表1.7", "表1.8"]


def test_section_rows_are_no_tasks():
    titles = [t.title for t in tasks_of(REFORM_LIST)]
    assert not any("方面" in title for title in titles)
    assert titles[0] == "知识产权民事、刑事、行政案件“三合一”审判"


def test_name_column_written_on_every_row_titles_the_task():
    # 改革举措 (a name column on every row) wins over the 主要内容 description.
    assert tasks_of(REFORM_LIST)[3].title == "允许地方高校自主开展人才引进和职称评审"


def test_unit_list_wrapped_over_two_lines_is_one_cell():
    third = tasks_of(REFORM_LIST)[2]
    assert [p.surface for p in third.parties] == ["科技部", "国家发展改革委", "财政部", "国家知识产权局", "教育部"]
    assert third.parties[0].role == "lead" and third.parties[0].lead_basis == "first_listed"


def test_scope_column_is_neither_unit_nor_deadline():
    for task in tasks_of(REFORM_LIST):
        assert task.deadline == ""
        assert not {p.surface for p in task.parties} & {"全国", "8个改革试验区域"}


def test_skipped_row_numbers_in_a_tab_table():
    text = ("序号\t工作任务\t牵头单位\t完成时限\n"
            "1\t制定全市数字政府建设总体方案。\t市大数据局\t2022年6月\n"
            "2\t推进政务数据共享开放。\t市政务服务办\t2022年底\n"
            "3\t建设一体化政务服务平台。\t市大数据局\t2023年\n"
            "7\t完善网络安全保障体系。\t市委网信办\t长期\n"
            "8\t开展数字政府建设评估。\t市政府办公室\t每年\n")
    assert [t.path for t in tasks_of(text)] == ["表1.1", "表1.2", "表1.3", "表1.7", "表1.8"]


def test_time_column_gives_the_deadline_as_written():
    text = ("序号\t工作任务\t牵头单位\t完成时限\n"
            "1\t制定全市数字政府建设总体方案。\t市大数据局\t2022年6月底前\n"
            "2\t推进政务数据共享开放。\t市政务服务办\t2023年12月\n")
    assert [t.deadline for t in tasks_of(text)] == ["2022年6月底前", "2023年12月"]


def test_no_time_column_leaves_the_deadline_empty():
    text = "序号\t工作任务\t牵头单位\t配合单位\n1\t推进政务数据共享开放。\t市政务服务办\t市大数据局\n"
    [task] = tasks_of(text)
    assert task.deadline == ""


def test_two_tables_are_numbered_in_document_order():
    text = ("附件1\n"
            "序号\t工作任务\t牵头单位\t完成时限\n"
            "1\t制定全市数字政府建设总体方案。\t市大数据局\t2022年6月\n"
            "附件2\n"
            "序号\t工作任务\t责任单位\t完成时限\n"
            "1\t推进政务数据共享开放。\t市政务服务办\t2022年底\n")
    assert [(t.path, t.parties[0].surface) for t in tasks_of(text)] == [("表1.1", "市大数据局"),
                                                                     ("表2.1", "市政务服务办")]
