"""Responsibility clauses in the styles provinces and cities write them, end to end."""

from __future__ import annotations

from collections import defaultdict

from gazettekg.extract.pipeline import extract_pages
from gazettekg.records import Page

PLAN = """某某市人民政府办公室关于印发某某市优化营商环境行动方案的通知
某政办发〔2023〕12号
各区县人民政府，市政府各部门：
《某某市优化营商环境行动方案》已经市政府同意，现印发给你们，请认真贯彻执行。
某某市人民政府办公室
2023年3月1日
某某市优化营商环境行动方案
一、重点任务
（一）优化开办企业服务。推行企业开办一网通办。（牵头单位：市市场监管局；配合单位：市税务局、市人社局）
（二）压缩审批时限。全面推行承诺制审批。（牵头单位：市行政审批局 责任单位：各区县政府）
（三）降低用电成本。落实电价优惠政策。（市发展改革委牵头，市财政局、各区县政府按职责分工负责）
（四）提升办税便利度。推行非接触式办税。（责任单位：市税务局（牵头）、市财政局）
（五）加强信用监管。建立信用承诺制度。（牵头领导：张三；牵头单位：市发改委；责任单位：市财政局；完成时限：2023年6月底前）
（六）推进政务公开。完善政务公开平台。（完成时限：2023年底；责任单位：市政务服务管理局）
（七）强化要素保障。加大土地供应。
牵头单位：市自然资源局
责任单位：各区县政府
完成时限：2023年12月底前
（八）优化口岸服务。压缩通关时间。【责任单位：某某海关、市商务局】
（九）落实惠企政策。(责任单位:市工信局、市财政局)
（十）加强督查考核。将优化营商环境纳入考核。（由市政府督查室牵头负责）
"""


def tasks(text: str) -> dict[str, list[tuple[str, str]]]:
    x = extract_pages([Page(1, text)], "plan.txt", "test")
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a in x.assignments:
        out[a.task_title].append((a.surface, a.role))
    return dict(out)


def test_every_clause_style_names_its_lead_and_supports():
    assert tasks(PLAN) == {
        "优化开办企业服务": [("市市场监管局", "lead"), ("市税务局", "support"), ("市人社局", "support")],
        "压缩审批时限": [("市行政审批局", "lead"), ("各区县政府", "support")],
        "降低用电成本": [("市发展改革委", "lead"), ("市财政局", "support"), ("各区县政府", "support")],
        "提升办税便利度": [("市税务局", "lead"), ("市财政局", "support")],
        "加强信用监管": [("市发改委", "lead"), ("市财政局", "support")],  # people and time limits are no units
        "推进政务公开": [("市政务服务管理局", "lead")],
        "强化要素保障": [("市自然资源局", "lead"), ("各区县政府", "support")],  # label lines make one clause
        "优化口岸服务": [("某某海关", "lead"), ("市商务局", "support")],
        "落实惠企政策": [("市工信局", "lead"), ("市财政局", "support")],
        "加强督查考核": [("市政府督查室", "lead")],
    }


def test_a_deadline_inside_a_clause_takes_the_documents_year():
    x = extract_pages([Page(1, PLAN)], "plan.txt", "test")
    assert ("by", "2023-06-30", "一.（五）") in [(d.kind, d.end, d.where) for d in x.deadlines]


def test_a_bracket_spelling_out_what_words_cover_names_no_one_responsible():
    found = tasks(PLAN + "（十一）奖励先进。奖励超额完成指标的区（即罗湖区、福田区、南山区）。\n"
                         "（十二）保障重点行业用地（包括市教委、市卫生健康委所属单位）。\n")
    assert found == tasks(PLAN)
