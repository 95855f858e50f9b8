"""Responsibility written in prose: State Council opinions and decrees without bracketed clauses."""

from __future__ import annotations

from gazettekg.extract.pipeline import extract_pages
from gazettekg.records import Page

HEAD = ("国务院办公厅关于加强精神卫生工作的意见\n"
        "国办发〔2015〕44号\n"
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n")
TAIL = "国务院办公厅\n2015年6月4日\n"


def extract(text: str):
    return extract_pages([Page(1, text)], "t.txt", "test")


def opinion(body: str):
    """The assignments of a State Council opinion whose body is ``body``."""
    return extract(HEAD + body + TAIL).assignments


def item(sentences: str):
    """The assignments of one run-in item （一）加强患者登记报告。<sentences>."""
    return opinion("一、主要措施\n（一）加强患者登记报告。" + sentences + "\n")


def units(assignments) -> list[tuple[str, str, str]]:
    return [(a.surface, a.role, a.lead_basis) for a in assignments]


def test_the_test_document_is_recognised_as_one_opinion():
    [doc] = extract(HEAD + "一、主要措施\n（一）加强患者登记报告。民政部门要加强管理。\n" + TAIL).documents
    assert doc.doc_id == "国办发〔2015〕44号"
    assert doc.title == "国务院办公厅关于加强精神卫生工作的意见"


def test_huitong_subject_leads_and_its_partners_support():
    got = item("民政部门要会同残联、发展改革、卫生计生、财政等单位，研究制定康复服务政策。")
    assert units(got) == [
        ("民政部门", "lead", "marked"),
        ("残联", "support", ""),
        ("发展改革", "support", ""),
        ("卫生计生", "support", ""),
        ("财政", "support", ""),
    ]


def test_huitong_list_drops_its_trailing_deng_danwei():
    surfaces = [a.surface for a in item("民政部门要会同残联、发展改革、卫生计生、财政等单位，研究制定康复服务政策。")]
    assert not any(s.endswith(("等", "单位")) for s in surfaces)


def test_you_fuze_with_a_place_phrase_names_the_department():
    # 由镇街的人力资源部门负责受理: where the department sits is no part of its name.
    assert units(item("由镇街的人力资源部门负责受理入户申请。")) == [("人力资源部门", "lead", "first_listed")]


def test_you_fuze_names_the_unit_after_you():
    assert units(item("由市人力资源局负责受理入户申请。")) == [("市人力资源局", "lead", "first_listed")]


def test_subject_followed_by_zi_and_a_time_limit():
    got = item("公安部门自受理户籍迁入申请之日起15个工作日内完成审核。")
    assert units(got) == [("公安部门", "lead", "first_listed")]


def test_qing_names_a_ministry():
    assert units(item("请财政部研究完善相关经费保障政策。")) == [("财政部", "lead", "first_listed")]


def test_qing_with_huitong_a_named_partner():
    assert units(item("请财政部会同教育部研究制定配套政策。")) == [
        ("财政部", "lead", "marked"),
        ("教育部", "support", ""),
    ]


def test_luoshi_zeren_keeps_levels_of_one_government_whole():
    assert units(item("落实县、乡人民政府属地责任，保障学校正常运转。")) == [("县、乡人民政府", "lead", "first_listed")]


def test_qianghua_zeren_names_the_government():
    assert units(item("强化流入地政府责任，保障随迁子女平等接受义务教育。")) == [("流入地政府", "lead", "first_listed")]


def test_qualifier_shared_by_a_list_is_dropped():
    assert units(item("各级卫生计生、综治、公安等单位要加强患者排查。")) == [
        ("卫生计生", "lead", "first_listed"),
        ("综治", "support", ""),
        ("公安", "support", ""),
    ]


def test_qualifier_on_a_single_government_is_kept():
    assert units(item("各级政府要加大精神卫生工作投入。")) == [("各级政府", "lead", "first_listed")]


def test_co_subjects_without_a_marker_the_first_leads():
    assert units(item("民政部门、残联要加强康复服务。")) == [
        ("民政部门", "lead", "first_listed"),
        ("残联", "support", ""),
    ]


def test_he_between_two_departments_splits_them():
    assert units(item("人力资源社会保障部门和教育部门要加强指导。")) == [
        ("人力资源社会保障部门", "lead", "first_listed"),
        ("教育部门", "support", ""),
    ]


def test_regions_and_unspecified_bodies_are_never_units():
    assert item("各地要高度重视精神卫生工作。有关部门要加强协作。各有关部门要密切配合。") == []


def test_huitong_unspecified_bodies_adds_no_partner():
    assert [a.surface for a in item("卫生计生委要会同有关部门制定工作规范。")] == ["卫生计生委"]


def test_actors_outside_government_are_never_units():
    got = item("学校要加强心理健康教育。医疗机构要及时报告患者信息。监护人应当履行看护职责。村委会要协助做好随访工作。")
    assert got == []


def test_outside_actors_are_skipped_and_the_body_beside_them_kept():
    got = item("医疗机构要及时报告患者信息，公安部门要加强肇事肇祸患者的排查。")
    assert units(got) == [("公安部门", "lead", "first_listed")]


def test_budget_lines_are_no_units():
    assert item("中央财政要加大对困难患者救治的投入。") == []


def test_heading_with_one_paragraph_is_one_task_titled_by_the_heading():
    got = opinion("一、主要措施\n（一）加强患者救治救助。\n民政部门要会同残联等单位，加强康复服务。\n")
    assert {(a.task_path, a.task_title) for a in got} == {("一.（一）", "加强患者救治救助")}
    assert units(got) == [("民政部门", "lead", "marked"), ("残联", "support", "")]


def test_run_in_heading_is_the_title_of_its_item():
    got = item("民政部门要加强康复服务。")
    assert [(a.task_path, a.task_title) for a in got] == [("一.（一）", "加强患者登记报告")]


def test_top_level_heading_with_one_paragraph():
    got = opinion("五、督导与评估\n卫生计生委要会同有关部门制订规划实施分工方案。各级政府要对规划实施进行督导。\n")
    assert {(a.task_path, a.task_title) for a in got} == {("五", "督导与评估")}
    assert [a.surface for a in got] == ["卫生计生委", "各级政府"]


def test_heading_with_several_paragraphs_gives_one_task_each():
    got = opinion("一、主要措施\n（一）加强患者救治救助。\n"
                  "加强患者登记报告。卫生计生部门要建立患者登记制度。\n"
                  "做好患者服务管理。公安部门要加强肇事肇祸患者的排查。\n"
                  "落实救治救助政策。民政部门要会同卫生计生、财政等部门做好救助衔接。\n")
    assert [(a.task_path, a.task_title, a.surface, a.role) for a in got] == [
        ("一.（一）.p2", "加强患者登记报告", "卫生计生部门", "lead"),
        ("一.（一）.p3", "做好患者服务管理", "公安部门", "lead"),
        ("一.（一）.p4", "落实救治救助政策", "民政部门", "lead"),
        ("一.（一）.p4", "落实救治救助政策", "卫生计生", "support"),
        ("一.（一）.p4", "落实救治救助政策", "财政", "support"),
    ]


def test_paragraph_tasks_are_titled_by_their_first_sentence():
    got = opinion("一、主要措施\n（一）加强患者救治救助。卫生计生部门要建立患者登记制度。\n"
                  "公安部门要加强肇事肇祸患者的排查，及时处置。\n")
    assert [(a.task_path, a.task_title) for a in got] == [
        ("一.（一）.p1", "加强患者救治救助"),
        ("一.（一）.p2", "公安部门要加强肇事肇祸患者的排查，及时处置"),
    ]


def test_paragraph_units_in_order_of_first_mention_each_once():
    got = item("各级综治组织要牵头做好患者排查。综治组织要定期召开会议，民政部门要做好救助。")
    assert [a.surface for a in got] == ["各级综治组织", "民政部门"]


def test_background_chapter_has_no_tasks():
    got = opinion("一、发展现状\n民政部门要会同残联等单位加强康复服务。\n"
                  "二、主要措施\n（一）加强患者登记报告。公安部门要加强排查。\n")
    assert [(a.task_path, a.surface) for a in got] == [("二.（一）", "公安部门")]


# ---- decrees: articles ---------------------------------------------------------------------------

DECREE = """东莞市人民政府关于印发《东莞市人才入户管理办法》的通知
东府〔2015〕111号
各镇人民政府（街道办事处），市府直属各单位：
现将《东莞市人才入户管理办法》印发给你们，请认真贯彻执行。
东莞市人民政府
2015年12月18日
东莞市人才入户管理办法
第一章 总则
第一条 为优化我市人才结构，根据有关规定，结合本市实际，制定本办法。
第二条 人力资源部门负责受理人才入户的资格申请，建立统一的资格审核信息平台。
第三条 公安部门自受理户籍迁入申请之日起15个工作日内完成对申请材料的审核。符合条件的，予以办理入户手续。
第四条 市政府统筹全市人才入户管理工作。各有关部门按照职责分工，做好以下工作：
卫生和计生部门负责审核拟入户人员的计划生育情况。
公安部门负责办理迁户手续，审查守法情况。
第五条 本办法由市人力资源局负责解释。
第六条 本办法自2016年1月1日起施行。
"""


def decree():
    return extract(DECREE).assignments


def test_decree_articles_are_titled_by_their_first_sentence():
    by_path = {a.task_path: a.task_title for a in decree()}
    assert by_path["第一章.第二条"] == "人力资源部门负责受理人才入户的资格申请，建立统一的资格审核信息平台"
    assert by_path["第一章.第三条"] == "公安部门自受理户籍迁入申请之日起15个工作日内完成对申请材料的审核"


def test_decree_article_with_several_paragraphs_gives_one_task_each():
    got = [(a.task_path, a.task_title, a.surface) for a in decree() if "第四条" in a.task_path]
    assert got == [
        ("第一章.第四条.p1", "市政府统筹全市人才入户管理工作", "市政府"),
        ("第一章.第四条.p2", "卫生和计生部门负责审核拟入户人员的计划生育情况", "卫生和计生部门"),
        ("第一章.第四条.p3", "公安部门负责办理迁户手续，审查守法情况", "公安部门"),
    ]


def test_authority_to_interpret_is_no_task():
    got = decree()
    assert not any("第五条" in a.task_path for a in got)
    assert "市人力资源局" not in {a.surface for a in got}


def test_articles_without_a_responsible_body_are_no_tasks():
    paths = {a.task_path for a in decree()}
    assert not paths & {"第一章.第一条", "第一章.第六条"}


def test_decree_assignments_carry_the_document_number():
    assert {a.doc_id for a in decree()} == {"东府〔2015〕111号"}
