"""Chinese time expressions to ISO dates (examples + property-based)."""

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazettekg.extract.timeexpr import PlanPeriod, find_time_exprs, five_year_plan, plan_period

PLAN_14 = PlanPeriod(2021, 2025)
FULL = {str(i): chr(0xFF10 + i) for i in range(10)}


def one(text, doc_date="2021-12-31", plan=None):
    (t,) = find_time_exprs(text, doc_date, plan)
    return t.kind, t.date_start, t.date_end, t.recurrence


@pytest.mark.parametrize(("text", "expected"), [
    ("在2022 年 3 月底前完成评估", ("by", None, "2022-03-31", None)),
    ("到 2022 年底，全市燃气运营和使用秩序进一步规范", ("by", None, "2022-12-31", None)),
    ("（一） 动员部署（即日起至 2021 年 12 月底）", ("period", "2021-12-31", "2021-12-31", None)),
    ("（三）整治攻坚（2022 年 4 月至 10 月底）", ("period", "2022-04-01", "2022-10-31", None)),
    ("请各区县政府于 2022 年 1 月 10 日前将实施方案报送", ("by", None, "2022-01-10", None)),
    ("到 2025 年，基本实现教育现代化", ("by", None, "2025-12-31", None)),
    ("力争“十四五”期间投放涉农贷款", ("period", "2021-01-01", "2025-12-31", None)),
    ("“十四五”时期主要目标", ("period", "2021-01-01", "2025-12-31", None)),
    ("工作专班每季度召开会议", ("recurring", None, None, "quarterly")),
    ("每月排名、通报", ("recurring", None, None, "monthly")),
    ("市供销合作社每年对集团公司进行检查", ("recurring", None, None, "yearly")),
    ("各地每半年报送一次进展情况", ("recurring", None, None, "semiannually")),
    ("建立月统计通报机制", ("recurring", None, None, "monthly")),
    ("并留存 3 年备查", ("duration", None, None, None)),
    ("对重点培育企业 3 年培育期实施奖补", ("duration", None, None, None)),
    ("2023年6月底前，完成全省普查", ("by", None, "2023-06-30", None)),
    ("二○三五年远景目标", ("by", None, "2035-12-31", None)),
    ("2022年上半年完成试点", ("by", None, "2022-06-30", None)),  # a deadline: done within the half
    ("2022年第三季度末前完成验收", ("by", None, "2022-09-30", None)),
    ("２０２２年６月３０日前", ("by", None, "2022-06-30", None)),
])
def test_examples(text, expected):
    assert one(text) == expected


def test_list_sharing_one_year_gives_one_deadline_each():
    text = "并分别于 2022 年 2 月 20 日、5 月 20 日、8 月 20 日、11 月 20 日之前将工作进展报送"
    found = find_time_exprs(text, "2021-12-31")
    assert [(t.kind, t.date_end) for t in found] == [
        ("by", "2022-02-20"), ("by", "2022-05-20"), ("by", "2022-08-20"), ("by", "2022-11-20")]


def test_five_years_within_a_five_year_plan_ends_with_it():
    (t,) = find_time_exprs("五年内选派 100 人参加海外研修", "2021-11-10", PLAN_14)
    assert (t.kind, t.date_end) == ("duration", "2025-12-31")


def test_month_only_dates_in_a_one_year_plan_take_the_plans_year():
    plan = plan_period("广东省2023年深化改革工作要点")
    (t,) = find_time_exprs("9月底前出台实施细则", "2023-02-15", plan)
    assert (t.kind, t.date_end) == ("by", "2023-09-30")


def test_month_only_dates_already_past_mean_next_year():
    (t,) = find_time_exprs("3月底前完成摸底", "2021-12-20")
    assert t.date_end == "2022-03-31"


def test_not_deadlines():
    assert find_time_exprs("重庆市人民政府公报 2022 年第 1 期") == []
    assert find_time_exprs("开展年度评估") == []


def test_a_rule_takes_effect_from_a_date_with_or_without_an_end():
    assert one("本办法自 2022 年 1 月 1 日起施行") == ("period", "2022-01-01", None, None)
    assert one("本意见自2026年5月21日起施行，有效期至2028年12月31日") == ("period", "2026-05-21", "2028-12-31", None)
    assert one("本政策自2021年开始执行") == ("period", "2021-01-01", None, None)


def test_plan_periods():
    assert plan_period("重庆市教育事业发展“十四五”规划（2021—2025年）") == PLAN_14
    assert plan_period("浙江省“十四五”生态环境保护规划") == PLAN_14
    assert plan_period("“十三五”规划") == PlanPeriod(2016, 2020)
    assert five_year_plan(15) == PlanPeriod(2026, 2030)
    assert plan_period("关于加强安全生产的通知") is None


def _digits(n: int, full: bool) -> str:
    return "".join(FULL[c] for c in str(n)) if full else str(n)


@given(st.dates(min_value=date(2000, 1, 1),
                max_value=date(2099, 12, 31)),
       st.booleans(), st.sampled_from(["", " "]), st.sampled_from(["前", "之前", "以前"]))
def test_any_full_date_before_is_a_by_deadline_on_that_day(d, full, sp, marker):
    y, m, dd = (_digits(v, full) for v in (d.year, d.month, d.day))
    text = f"于{y}{sp}年{sp}{m}{sp}月{sp}{dd}{sp}日{marker}报送"
    (t,) = find_time_exprs(text, "2000-01-01")
    assert (t.kind, t.date_end) == ("by", d.isoformat())


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=12), st.booleans())
def test_month_end_is_the_last_day_of_the_month(year, month, full):
    text = f"{_digits(year, full)} 年 {_digits(month, full)} 月底前完成"
    (t,) = find_time_exprs(text, "2000-01-01")
    assert t.date_end == f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=12),
       st.integers(min_value=1, max_value=12))
def test_month_ranges_are_periods_in_order(year, m1, m2):
    lo, hi = sorted((m1, m2))
    (t,) = find_time_exprs(f"（{year} 年 {lo} 月至 {hi} 月底）", "2000-01-01")
    assert t.kind == "period"
    assert t.date_start == f"{year}-{lo:02d}-01"
    assert t.date_start <= t.date_end
    assert t.date_end.startswith(f"{year}-{hi:02d}-")
