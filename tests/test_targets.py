"""Targets and rules on real excerpts of the sample and on small documents in other styles."""

from gazettekg.extract.indicators import parse_row
from gazettekg.extract.targets import find_targets

from .test_deadlines import make_doc

EDU_TITLE = "重庆市教育事业发展“十四五”规划（2021—2025年）"


def rows(targets):
    return [(t.indicator, t.value, t.value_max, t.unit, t.comparator, t.target_year) for t in targets]


TABLE = """专栏 1 重庆教育事业“十四五”规划主要指标
分 类 指 标 2020年 2025年 属性
学前教育
在园幼儿数（万人） 100.8 110 预期性
毛入园率（%） 90.3 ＞93 预期性
义务教育
在校学生数（万人） 317.4 328 预期性
其中：普通小学 202.5 210 预期性
普通初中 115.0 118 预期性
九年义务教育巩固率（%） 95.5 ＞96 约束性
"""


def test_indicator_table_rows_are_structured():
    source, doc = make_doc(TABLE, date="2021-11-10", title=EDU_TITLE)
    targets, rules = find_targets(source, doc)
    assert rules == []
    assert rows(targets) == [
        ("在园幼儿数", "110", None, "万人", "=", 2025),
        ("毛入园率", "93", None, "%", ">", 2025),
        ("在校学生数", "328", None, "万人", "=", 2025),
        ("在校学生数（普通小学）", "210", None, "万人", "=", 2025),
        ("在校学生数（普通初中）", "118", None, "万人", "=", 2025),
        ("九年义务教育巩固率", "96", None, "%", ">", 2025),
    ]
    first = targets[0]
    assert (first.baseline, first.baseline_year, first.attribute, first.where) == ("100.8", 2020, "预期性", "专栏1")
    assert first.provenance.quote == "在园幼儿数（万人） 100.8 110 预期性"


def test_table_with_a_unit_column():
    row = parse_row("地区生产总值 亿元 11000 16000 预期性")
    assert (row.label, row.unit, row.cells[-1], row.attribute) == ("地区生产总值", "亿元", ("16000", "="), "预期性")
    row = parse_row("城镇调查失业率（%） 5.2 ＜5.5 预期性")
    assert (row.unit, row.cells[-1]) == ("%", ("5.5", "<"))


BOX = """专栏 3 基础教育公平优质发展重点计划
1．实施学前教育普惠优质发展计划。新增公办幼儿园在园幼儿学位数 5.4 万个，\
公办幼儿园在园幼儿占比达 55%，普惠性幼儿园覆盖率巩固在85% 以上。
3．实施普通高中发展促进计划。建设 50 个课程创新基地、100 门精品选修课程。
4．实施民族地区教育质量提升计划。建设民族教育特色学校 50 所，民族地区高水平职业院校 5 所。
5．新增 10 所特殊教育幼儿园、3 所高中阶段特殊教育学校，20 万人口以上的区县特殊教育学校（中心）全覆盖。
"""


def test_box_goals_with_lists_sharing_a_verb_and_conditions_left_out():
    source, doc = make_doc(BOX, date="2021-11-10", title=EDU_TITLE)
    targets, _ = find_targets(source, doc)
    assert rows(targets) == [
        ("公办幼儿园在园幼儿学位数", "5.4", None, "万个", "=", 2025),
        ("公办幼儿园在园幼儿占比", "55", None, "%", "=", 2025),
        ("普惠性幼儿园覆盖率", "85", None, "%", ">=", 2025),
        ("课程创新基地", "50", None, "个", "=", 2025),
        ("精品选修课程", "100", None, "门", "=", 2025),
        ("民族教育特色学校", "50", None, "所", "=", 2025),
        ("民族地区高水平职业院校", "5", None, "所", "=", 2025),
        ("特殊教育幼儿园", "10", None, "所", "=", 2025),
        ("高中阶段特殊教育学校", "3", None, "所", "=", 2025),
    ]  # "20 万人口以上的区县" is a condition, not a goal
    assert targets[-1].provenance.quote == "3 所高中阶段特殊教育学校"


FINANCE = """（二）发挥好政策性金融机构作用。支持农发行市分行建立 3000 亿元规模项目库，\
力争“十四五”期间投放涉农贷款不低于 2000 亿元。
（八）支持构建现代乡村产业体系。对符合条件的项目提供贷款贴息支持，贴息率不高于同期贷款市场报价利率（LPR）50%。
（十六）支持涉农企业上市融资。审核通过后给予 100 万元奖励。\
对重点培育企业 3 年培育期实施奖补，累计奖补额度最高不超过 600 万元。
（二十）推进信用体系建设。力争到 2025 年涉农贷款余额突破 1200 亿元，获得国家级科技奖励 15—20 项。
"""


def test_goals_apart_from_subsidies_and_limits():
    source, doc = make_doc(FINANCE, date="2021-12-26")
    targets, rules = find_targets(source, doc)
    assert [(t.value, t.value_max, t.unit, t.comparator, t.target_year, t.hedge) for t in targets] == [
        ("3000", None, "亿元", "=", None, None),
        ("2000", None, "亿元", ">=", 2025, "力争"),
        ("1200", None, "亿元", ">", 2025, "力争"),
        ("15", "20", "项", "=", 2025, "力争"),
    ]
    assert [(r.value, r.unit, r.comparator) for r in rules] == [
        ("50", "%", "="), ("100", "万元", "="), ("3", "年", "="), ("600", "万元", "<=")]


PROVINCE = """一、发展基础
“十三五”时期，全省累计建成5G基站3万个，森林覆盖率达到62%。
二、主要目标
2020年，全省建成省级示范区 12 个。
到2025年，全省森林覆盖率达到65%以上，新建５G基站１２０００个，城镇调查失业率控制在5.5%以内。
三、重点任务
（一）燃气安全。各设区市燃气经营企业100%完成安全评估，建筑高度大于100米的建筑全部安装报警装置，建立24小时值守制度。
"""


def test_province_goals_without_history_conditions_or_durations():
    source, doc = make_doc(PROVINCE, date="2021-06-01", title="浙江省应急管理“十四五”规划")
    targets, _ = find_targets(source, doc)
    assert [(t.value, t.unit, t.comparator, t.target_year) for t in targets] == [
        ("65", "%", ">=", 2025), ("12000", "个", "=", 2025), ("5.5", "%", "<=", 2025), ("100", "%", "=", 2025)]
    last = targets[-1]
    assert (last.subject, last.indicator) == ("各设区市燃气经营企业", "完成安全评估")



NOTICE = """某省人民政府办公厅关于印发某省社区建设行动方案的通知
某政办发〔2026〕3号
各市人民政府，省政府各部门：
现将《某省社区建设行动方案》印发给你们，请认真贯彻执行。
某省人民政府办公厅
2026年3月1日
某省社区建设行动方案
一、总体目标
到2028年，建成百个特色社区，培育千家标杆企业，集聚万名创新创业人才。2026年，先行培育10个示范社区。
全省货物贸易、对外投资和实际利用外资分别占比达30%、20%和10%以上。
二、重点任务
（一）社区建设。本方案所称微型团队是指成员一般不超过10人的创业团队。每年发放不超过5000万元服务券，\
同一企业每年兑付金额不超过100万元。（责任单位：省商务厅）
（二）设施配置。每户配置1组投放桶，每村配置1辆专用收集车，完成规范的收运车辆配置80余辆。（责任单位：省住房城乡建设厅）
附件
2026年街镇目标任务分解表
甲镇
绿色账户推进100%全覆盖，创建达标小区累计61个。服务点累计79个。分类量29.53吨/日。
"""


def extracted(text: str):
    from gazettekg.extract.pipeline import extract_source
    from gazettekg.records import SourceText

    return extract_source(SourceText("notice.txt", text), "test")


def test_goals_in_characters_lists_and_not_definitions_or_money_caps():
    result = extracted(NOTICE)
    targets = [t for t in result.targets if not t.where.startswith("附件")]
    assert [(t.value, t.unit, t.comparator, t.target_year) for t in targets] == [
        ("100", "个", "=", 2028), ("1000", "家", "=", 2028), ("1", "万名", "=", 2028), ("10", "个", "=", 2026),
        ("30", "%", ">=", 2028), ("20", "%", ">=", 2028), ("10", "%", ">=", 2028),
        ("1", "组", "=", 2028), ("1", "辆", "=", 2028), ("80", "辆", ">", 2028),
    ]
    shares = targets[4:7]
    assert {t.provenance.quote for t in shares} == {"全省货物贸易、对外投资和实际利用外资分别占比达30%、20%和10%以上"}
    assert [(r.value, r.unit, r.comparator) for r in result.rules] == [("5000", "万元", "<="), ("100", "万元", "<=")]


def test_every_number_of_a_goal_table_is_a_goal():
    result = extracted(NOTICE)
    table = [t for t in result.targets if t.where.startswith("附件")]
    assert [(t.value, t.unit) for t in table] == [("100", "%"), ("61", "个"), ("79", "个"), ("29.53", "吨/日")]


FLAT_TABLE = """某区绿化“十五五”规划
第一部分：发展基础
“十四五”期间，全区新建绿地90.87万平方米。
第二部分：发展目标和主要指标
表1 主要指标表
板块
序号
指标名称
属性
单位
“十四五”现状
“十五五”目标
绿化
1
新建绿地
约束性
万平方米
90.87
35
其中公园绿地
58.46
17.5
2
绿化覆盖率
约束性
%
31.46
31.5
环卫
3
新能源环卫车辆占比
预期性
%
/
70以上
第三部分：主要任务
"""


def test_an_indicator_table_flattened_one_cell_a_line():
    source, doc = make_doc(FLAT_TABLE, date="2026-01-10", title="某区绿化“十五五”规划")
    targets, _ = find_targets(source, doc)
    assert [(t.indicator, t.value, t.unit, t.comparator, t.baseline, t.baseline_year, t.target_year, t.attribute)
            for t in targets] == [
        ("新建绿地", "35", "万平方米", "=", "90.87", 2025, 2030, "约束性"),
        ("新建绿地（公园绿地）", "17.5", "万平方米", "=", "58.46", 2025, 2030, "约束性"),
        ("绿化覆盖率", "31.5", "%", "=", "31.46", 2025, 2030, "约束性"),
        ("新能源环卫车辆占比", "70", "%", ">=", None, None, 2030, "预期性"),
    ]
    assert targets[0].provenance.quote.split() == ["1", "新建绿地", "约束性", "万平方米", "90.87", "35"]


def test_flattened_table_rows_match_the_same_table_one_row_a_line():
    lines = FLAT_TABLE.splitlines()
    header = lines.index("板块")
    one_row = "\n".join([*lines[:header], "序号 指标名称 属性 单位 “十四五”现状 “十五五”目标",
                          "1 新建绿地 约束性 万平方米 90.87 35", "其中：公园绿地 58.46 17.5",
                          "2 绿化覆盖率 约束性 % 31.46 31.5", "3 新能源环卫车辆占比 预期性 % / 70以上",
                          "第三部分：主要任务"])
    flat, _ = find_targets(*make_doc(FLAT_TABLE, date="2026-01-10", title="某区绿化“十五五”规划"))
    rows, _ = find_targets(*make_doc(one_row, date="2026-01-10", title="某区绿化“十五五”规划"))
    facts = [[(t.value, t.unit, t.comparator, t.baseline, t.target_year) for t in ts] for ts in (flat, rows)]
    assert facts[0] == facts[1]
