"""What surrounds a document: web furniture, metadata blocks, Markdown marks and look-alike characters."""

from __future__ import annotations

import pytest

from gazettekg.extract.charfold import fold_characters
from gazettekg.extract.cleantext import clean_pages
from gazettekg.extract.furniture import is_furniture, metadata_pairs, split_furniture
from gazettekg.extract.markdown import looks_like_markdown, markdown_to_text
from gazettekg.extract.pages import text_pages

# ---- gov.cn metadata table ---------------------------------------------------------------------

GOV_CN_TABLE = [
    "索 引 号：\t000014349/2018-00207\t主题分类：\t商贸",
    "发文机关：\t国务院\t成文日期：\t2018年11月07日",
    "标 题：\t国务院关于支持自由贸易试验区深化改革创新若干措施的通知",
    "发文字号：\t国发〔2018〕38号\t发布日期：\t2018年11月23日",
]
NOTICE_TITLE = "国务院关于支持自由贸易试验区深化改革创新若干措施的通知"


def test_gov_cn_table_lines_are_read_pair_by_pair():
    assert metadata_pairs(GOV_CN_TABLE[0]) == [(None, "000014349/2018-00207"), (None, "商贸")]
    assert metadata_pairs(GOV_CN_TABLE[1]) == [("issuer", "国务院"), ("date", "2018年11月07日")]
    assert metadata_pairs(GOV_CN_TABLE[2]) == [("title", NOTICE_TITLE)]
    assert metadata_pairs(GOV_CN_TABLE[3]) == [("number", "国发〔2018〕38号"), ("published", "2018年11月23日")]


def test_gov_cn_table_fills_metadata_and_is_dropped():
    metadata, kept = split_furniture([*GOV_CN_TABLE, NOTICE_TITLE, "国发〔2018〕38号"])
    assert metadata == {
        "issuer": "国务院",
        "date": "2018年11月07日",
        "title": NOTICE_TITLE,
        "number": "国发〔2018〕38号",
        "published": "2018年11月23日",
    }
    assert kept == [4, 5]


def test_gov_cn_table_through_clean_pages_leaves_only_the_document():
    text = "\n".join([*GOV_CN_TABLE, NOTICE_TITLE, "国发〔2018〕38号",
                      "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：", "现将有关事项通知如下。",
                      "国务院", "2018年11月7日", "打印本页", "扫一扫在手机打开当前页"])
    source = clean_pages(text_pages(text), "t.txt")
    assert source.metadata["number"] == "国发〔2018〕38号"
    assert source.metadata["date"] == "2018年11月07日"
    assert source.text.split("\n")[0] == NOTICE_TITLE
    assert source.text.split("\n")[-1] == "2018年11月7日"
    assert "索引号" not in source.text and "扫一扫" not in source.text


def test_pdf_text_layer_that_runs_cells_together():
    assert metadata_pairs("发文机关： 国务院成文日期： 2016年07月02日") == [("issuer", "国务院"),
                                                                             ("date", "2016年07月02日")]


def test_pdf_text_layer_title_run_into_the_document_number():
    line = "标 题： 国务院关于统筹推进县域内城乡义务教育一体化改革发展的若干意见发文字号： 国发〔2016〕40号"
    assert metadata_pairs(line) == [("title", "国务院关于统筹推进县域内城乡义务教育一体化改革发展的若干意见"),
                                    ("number", "国发〔2016〕40号")]


def test_value_on_the_line_after_its_key():
    metadata, kept = split_furniture(["发文字号：", "国发〔2018〕38号", NOTICE_TITLE])
    assert metadata == {"number": "国发〔2018〕38号"}
    assert kept == [2]


def test_first_value_of_a_field_wins():
    metadata, _ = split_furniture(["成文日期：2018年11月07日", "发布日期：2018年11月23日", "成文日期：2019年01月01日"])
    assert metadata == {"date": "2018年11月07日", "published": "2018年11月23日"}


def test_body_sentences_are_no_metadata():
    assert metadata_pairs("各级政府要加强组织领导，落实属地责任。") is None
    assert metadata_pairs("来源于基层的改革经验要及时总结推广。") is None


# ---- 北大法宝 and front matter -------------------------------------------------------------------


def test_pkulaw_lines_fill_metadata_and_are_dropped():
    lines = [
        "【法宝引证码】CLI.2.252516",
        "原文链接：https://www.pkulaw.com/chl/1a2b3c4d5e.html",
        "【发布文号】国办发〔2015〕44号",
        "【发布部门】国务院办公厅",
        "【发布日期】2015.06.04",
        "全国精神卫生工作规划（2015—2020年）",
    ]
    metadata, kept = split_furniture(lines)
    assert metadata == {"number": "国办发〔2015〕44号", "issuer": "国务院办公厅", "published": "2015.06.04"}
    assert kept == [5]


def test_front_matter_block_fills_metadata_and_is_dropped():
    lines = [
        "---",
        "标题: 上海市宝山区人民政府办公室关于印发推进全程分类体系建设实施方案的通知",
        "文号: 宝府办〔2019〕26号",
        "发布单位: 上海市宝山区人民政府办公室",
        "发布日期: 2019-05-05",
        "官方链接: https://www.shanghai.gov.cn/zhengce/detail/0078",
        "---",
        "各镇人民政府，各街道办事处，区政府各委、办、局：",
    ]
    metadata, kept = split_furniture(lines)
    assert metadata == {
        "title": "上海市宝山区人民政府办公室关于印发推进全程分类体系建设实施方案的通知",
        "number": "宝府办〔2019〕26号",
        "issuer": "上海市宝山区人民政府办公室",
        "published": "2019-05-05",
    }
    assert kept == [7]


def test_front_matter_with_english_keys():
    lines = ["---", "title: 关于印发实施方案的通知", "doc_number: 宝府办〔2019〕26号", "url: https://example.org/x",
             "---", "正文。"]
    metadata, kept = split_furniture(lines)
    assert metadata == {"title": "关于印发实施方案的通知", "number": "宝府办〔2019〕26号"}
    assert kept == [5]


# ---- web furniture --------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "打印本页",
    "【打印】【关闭】",
    "扫一扫在手机打开当前页",
    "← 上一篇 下一篇 →",
    "上一篇：关于印发2025年工作要点的通知",
    "来源：公众号OPC创业汇",
    "返回政策原文列表",
    "2026-03-12",
    "2026-03-12 09:30",
    "【字体：大 中 小】",
    "当前位置：首页 > 政策文件",
    "版权所有：北京市人民政府 京ICP备05060933号",
    "京ICP备05060933号",
    "京公网安备11010502035345号",
    "https://www.gov.cn/zhengce/content/2018-11/23/content_5342665.htm",
])
def test_web_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "来源于基层的改革经验要及时总结推广，各地区要结合实际认真研究借鉴，形成可复制可推广的制度成果。",
    "打印机、复印机等办公设备纳入政府采购目录。",
    "分享经济、平台经济等新业态要加强监管。",
    "返回家乡创业的人员，按规定享受创业扶持政策。",
    "2019年5月5日",
    "一、总体要求",
])
def test_body_lines_that_start_like_furniture_are_kept(line):
    assert not is_furniture(line)


def test_a_long_line_is_never_furniture():
    assert not is_furniture("打印" + "，".join(["加强组织领导"] * 20))


def test_split_furniture_drops_furniture_and_keeps_the_body():
    lines = ["打印本页", "国务院关于加强精神卫生工作的意见", "【字体：大 中 小】", "一、总体要求",
             "来源于基层的改革经验要及时总结推广。", "← 上一篇 下一篇 →", "版权所有：中国政府网"]
    metadata, kept = split_furniture(lines)
    assert metadata == {}
    assert kept == [1, 3, 4]


# ---- Markdown -------------------------------------------------------------------------------------

MARKDOWN = """---
标题: 关于印发推进全程分类体系建设实施方案的通知
文号: 宝府办〔2019〕26号
---

> 本文正文由脚本自上海市官方公开页面提取，以[官方链接](https://www.shanghai.gov.cn/x)发布版本为准。

# 上海市宝山区人民政府办公室关于印发实施方案的通知

## 一、**总体要求**

1. 加强组织领导。建立联席会议制度。
- 推进源头减量

| 序号 | 任务名称 | 牵头部门 |
|:---:|---|---|
| 1 | 加强**组织**领导 | 区政府办公室 |
"""


def test_looks_like_markdown():
    assert looks_like_markdown(MARKDOWN)
    assert looks_like_markdown("# 标题\n正文")
    assert looks_like_markdown("| 序号 | 任务 |\n|---|---|\n| 1 | 加强 |")
    assert looks_like_markdown("---\n标题: 关于某某的通知\n---\n正文")


def test_plain_text_does_not_look_like_markdown():
    assert not looks_like_markdown("国务院关于加强精神卫生工作的意见\n一、主要措施\n（一）加强患者登记报告。")
    assert not looks_like_markdown("1. 加强组织领导\n2. 推进基层建设")
    assert not looks_like_markdown("序号\t任务\t牵头单位\n1\t加强组织领导\t区政府办公室")


def test_heading_marks_are_removed():
    lines = markdown_to_text(MARKDOWN).split("\n")
    assert "上海市宝山区人民政府办公室关于印发实施方案的通知" in lines
    assert not any(line.startswith("#") for line in lines)


def test_bold_is_unwrapped():
    assert "一、总体要求" in markdown_to_text(MARKDOWN).split("\n")
    assert markdown_to_text("**加强组织领导**。建立__联席会议__制度。") == "加强组织领导。建立联席会议制度。"


def test_pipe_rows_become_tab_separated_cells_and_rules_are_dropped():
    lines = markdown_to_text(MARKDOWN).split("\n")
    assert "序号\t任务名称\t牵头部门" in lines
    assert "1\t加强组织领导\t区政府办公室" in lines
    assert not any("---|" in line or ":---:" in line for line in lines)


def test_numbered_items_keep_their_number_and_bullets_lose_theirs():
    lines = markdown_to_text(MARKDOWN).split("\n")
    assert "1. 加强组织领导。建立联席会议制度。" in lines
    assert "推进源头减量" in lines


def test_quotes_and_links_show_their_text():
    lines = markdown_to_text(MARKDOWN).split("\n")
    assert "本文正文由脚本自上海市官方公开页面提取，以官方链接发布版本为准。" in lines


def test_front_matter_is_kept_for_the_metadata_reader():
    lines = markdown_to_text(MARKDOWN).split("\n")
    assert lines[:4] == ["---", "标题: 关于印发推进全程分类体系建设实施方案的通知", "文号: 宝府办〔2019〕26号", "---"]


def test_markdown_keeps_line_for_line():
    assert len(markdown_to_text(MARKDOWN).split("\n")) == len(MARKDOWN.rstrip("\n").split("\n")) - 1  # one rule row


# ---- look-alike characters ------------------------------------------------------------------------


def test_kangxi_radicals_fold_to_ideographs():
    assert fold_characters("\u2f00\u2f08\u2f24\u2f8f") == "一人大行"  # ⼀ ⼈ ⼤ ⾏
    assert fold_characters("统筹推进县域内城乡义务教育⼀体化改⾰发展") == "统筹推进县域内城乡义务教育一体化改革发展"


def test_radicals_supplement_folds_to_ideographs():
    assert fold_characters("\u2ea0\u2ec5\u2eda\u2edd\u2ed3") == "民见页食长"  # ⺠ ⻅ ⻚ ⻝ ⻓
    assert fold_characters("县级⼈⺠政府、⺠政部门") == "县级人民政府、民政部门"


def test_components_that_never_stand_alone_are_kept():
    assert fold_characters("\u2e85\u2ea1") == "\u2e85\u2ea1"  # ⺅ ⺡


def test_compatibility_ideographs_fold_to_unified_ideographs():
    assert fold_characters("\uf900") == "\u8c48"  # 豈
    assert fold_characters("\uf92c") == "\u90ce"  # 郎


def test_zero_width_characters_vanish():
    assert fold_characters("民政\u200b部门\u200c\u200d要\ufeff加强\u2060领导") == "民政部门要加强领导"


def test_middle_dot_lookalikes_become_one_dot():
    assert fold_characters("数字乡村\u30fb智慧农业") == "数字乡村\u00b7智慧农业"


def test_ordinary_text_is_unchanged():
    text = "国务院关于加强精神卫生工作的意见（国办发〔2015〕44号）"
    assert fold_characters(text) == text
