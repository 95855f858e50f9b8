"""Numbers, units and comparators as gazettes print them (examples + property-based)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazettekg.extract.numbers import (
    comparator_around,
    find_quantities,
    half_width,
    hedge_in,
    parse_chinese_numeral,
    parse_number,
)

FULL = {str(i): chr(0xFF10 + i) for i in range(10)}
CN_DIGITS = "零一二三四五六七八九"


def to_full_width(s: str) -> str:
    return "".join(FULL.get(c, c) for c in s)


def to_chinese(n: int) -> str:
    """Reference writer for 1..99999 in the ordinary form (十五, 一百零五, 三万五千)."""
    units = [(10000, "万"), (1000, "千"), (100, "百"), (10, "十")]
    out, zero = "", False
    for value, name in units:
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
            out += CN_DIGITS[d] + name
            zero = False
        elif out:
            zero = True
    if n:
        if zero:
            out += "零"
        out += CN_DIGITS[n]
    return out[1:] if out.startswith("一十") else out


@pytest.mark.parametrize(("text", "value", "value_max", "unit"), [
    ("新增公办幼儿园在园幼儿学位数 5.4 万个，", "5.4", None, "万个"),
    ("发起设立 100 亿元规模的乡村振兴股权投资基金", "100", None, "亿元"),
    ("力争新增2—3所博士学位授予单位", "2", "3", "所"),
    ("获得国家级科技奖励 15—20 项", "15", "20", "项"),
    ("农业保险密度达到 500 元 /人以上", "500", None, "元/人"),
    ("全省建成５G基站１２０００个", "12000", None, "个"),
    ("森林覆盖率达到６５％以上", "65", None, "%"),
    ("单位生产总值能耗降低 13.5 个百分点", "13.5", None, "个百分点"),
])
def test_finds_quantities_as_printed(text, value, value_max, unit):
    (q,) = find_quantities(text)
    assert (q.value, q.value_max, q.unit) == (value, value_max, unit)
    # the span covers the number and unit in the original text (full-width included)
    assert half_width(text[q.start:q.end]).replace(" ", "").startswith(value)


@pytest.mark.parametrize(("text", "expected"), [
    ("毛入园率 ＞93%", ">"),
    ("普惠性幼儿园覆盖率巩固在85% 以上", ">="),
    ("投放涉农贷款不低于 2000 亿元", ">="),
    ("总量不少于 300 亿元", ">="),
    ("涉农贷款余额突破 1200 亿元", ">"),
    ("累计奖补额度最高不超过 600 万元", "<="),
    ("评选市级职业教育改革成效明显的区县 15 个左右", "approx"),
    ("公办幼儿园在园幼儿占比达 55%", "="),
    ("城镇调查失业率控制在5.5%以内", "<="),
    ("培养高层次人才 2000 名以上", ">="),
])
def test_comparators(text, expected):
    q = find_quantities(text)[-1]
    assert comparator_around(text, q.start, q.end) == expected


def test_time_quantities_are_marked_as_durations():
    assert find_quantities("并留存 3 年备查")[0].is_time
    assert find_quantities("不少于 360 学时")[0].is_time
    assert not find_quantities("建设 50 所学校")[0].is_time


def test_hedges():
    assert hedge_in("力争到 2025 年涉农贷款余额突破 1200 亿元") == "力争"
    assert hedge_in("争取高校牵头的 27 个高水平科研机构落户") == "争取"
    assert hedge_in("建设 50 所学校") is None


@pytest.mark.parametrize(("text", "value"), [("十五", 15), ("二十三", 23), ("一百零五", 105), ("两", 2),
                                             ("二○三五", 2035), ("三万五千", 35000), ("十", 10)])
def test_chinese_numerals(text, value):
    assert parse_chinese_numeral(text) == value


def test_not_numbers_are_refused():
    with pytest.raises(ValueError):
        parse_number("若干")
    with pytest.raises(ValueError):
        parse_chinese_numeral("一批x")


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_full_width_and_half_width_parse_alike(whole, frac):
    s = f"{whole}.{frac:02d}"
    assert parse_number(to_full_width(s)) == parse_number(s) == Decimal(s)


@given(st.text(alphabet=st.sampled_from("０１２３４５６７８９．％＞＜年月日万亿元个所项 ，。建设达到")))
def test_half_width_keeps_length(text):
    # offsets computed on the normalised text must hold in the original
    assert len(half_width(text)) == len(text)


@given(st.integers(min_value=1, max_value=99999))
def test_chinese_numerals_round_trip(n):
    assert parse_chinese_numeral(to_chinese(n)) == n


@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["个", "所", "万人", "亿元", "%", "项"]),
       st.sampled_from(["", " ", "  "]), st.booleans())
def test_number_unit_with_any_spacing_and_width(n, unit, space, full):
    digits = to_full_width(str(n)) if full else str(n)
    text = f"建设{digits}{space}{unit}。"
    (q,) = find_quantities(text)
    assert (q.value, q.unit) == (str(n), unit)


@given(st.integers(min_value=1, max_value=500), st.integers(min_value=1, max_value=500),
       st.sampled_from(["—", "-", "～", "至"]))
def test_ranges(a, b, dash):
    lo, hi = sorted((a, b))
    (q,) = find_quantities(f"新增{lo}{dash}{hi}所学校")
    assert (q.value, q.value_max, q.unit) == (str(lo), str(hi), "所")


@given(st.integers(min_value=10, max_value=9999).filter(lambda n: len(to_chinese(n)) > 1),
       st.sampled_from(["个", "家", "名", "所", "项"]))
def test_counts_written_in_characters(n, unit):
    (q,) = find_quantities(f"到年底，建成{to_chinese(n)}{unit}示范单位。", chinese=True)
    assert (q.value, q.unit) == (str(n), unit)


@given(st.integers(min_value=1, max_value=99))
def test_wan_and_yi_stay_with_the_unit_as_after_digits(n):
    (q,) = find_quantities(f"集聚{to_chinese(n)}万名人才", chinese=True)
    assert (q.value, q.unit) == (str(n), "万名")
    (q,) = find_quantities("集聚万名人才", chinese=True)
    assert (q.value, q.unit) == ("1", "万名")


@pytest.mark.parametrize("text", [
    "惠及千家万户", "统一个人信息", "落实“五个一”要求", "建立一户一档", "建设一个平台", "推进千兆光网建设",
    "累计数（万户）",
])
def test_numerals_inside_words_and_set_phrases_are_not_counts(text):
    assert find_quantities(text, chinese=True) == []


def test_digits_with_a_magnitude_are_read_once():
    assert [(q.value, q.unit) for q in find_quantities("学位数 5.4 万个", chinese=True)] == [("5.4", "万个")]


def test_a_count_in_characters_governed_by_a_comparator():
    (q,) = find_quantities("各单位全年不少于一场", chinese=True)
    assert (q.value, q.unit) == ("1", "场")


def test_more_than_the_number_printed():
    (q,) = find_quantities("配置湿垃圾车辆80余辆")
    assert (q.value, q.unit, q.over) == ("80", "辆", True)
