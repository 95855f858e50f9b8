"""Duties stated in prose: excerpts of the sample and small documents in other styles."""

# ruff: noqa: E501  (the documents below are printed paragraphs, one line each, as in the gazettes)

from __future__ import annotations

from gazettekg.extract.agencies import Resolver, default_registry, jurisdiction_of
from gazettekg.extract.assignments import find_assignments
from gazettekg.extract.documents import split_documents
from gazettekg.extract.duties import find_duties
from gazettekg.extract.headings import build_sections
from gazettekg.records import Duty, SourceText


def duties_of(text: str) -> list[Duty]:
    source = SourceText("test.txt", text)
    out: list[Duty] = []
    for doc in split_documents(source):
        doc.sections = build_sections(source, doc)
        resolver = Resolver(default_registry(), jurisdiction_of(doc.issuer))
        find_assignments(source, doc, resolver)  # as the pipeline does: the document's aliases first
        out.extend(find_duties(source, doc, resolver))
    return out


def rows(duties: list[Duty]) -> list[tuple[str, str]]:
    return [(d.surface, d.role) for d in duties]


def find(duties: list[Duty], surface: str, role: str) -> Duty:
    hits = [d for d in duties if d.surface == surface and d.role == role]
    assert hits, (surface, role, rows(duties))
    return hits[0]


CQ_NOTICE = """重庆市人民政府办公厅关于
印发重庆市深化燃气安全专项整治实施方案的通知
渝府办发〔2021〕156号
各区县（自治县）人民政府，市政府有关部门，有关单位：
《重庆市深化燃气安全专项整治实施方案》已经市政府同意，现印发给你们，请认真贯彻实施。
重庆市人民政府办公厅
2021 年 12 月 31 日
重庆市深化燃气安全专项整治实施方案
"""

CQ_GROUP = CQ_NOTICE + """五、工作要求
（一）加强组织领导。将重庆市燃气油气行业安全专项整治工作组调整为重庆市深化燃气安全专项整治工作专班（以下简称工作专班），市政府分管副市长为召集人，市政府联系燃气安全工作的副秘书长及市经济信息委、市应急局主要负责同志任副召集人，市教委、市公安局、市消防救援总队等市级部门，各区县分管负责人为成员。工作专班每季度召开会议，听取工作汇报、研究解决重大问题、协调推进整治工作。
工作专班办公室设在市安委会办公室，负责专项整治日常协调调度等工作，市经济信息委、市应急局分管负责人任办公室主任。
（三）明确工作职责。市安委会办公室要加强综合协调，及时总结专项整治经验，组织市经济信息委、市司法局等部门建立完善燃气安全管理责任清单。市经济信息委落实燃气行业监督责任，牵头建立安全会商研判、信息共享、联合执法等工作机制。住房城乡建设、规划自然资源、市场监管等部门按照职责分工强化燃气工程建设及充装、运输、使用等环节安全监管。各区县政府负责具体落实专项整治工作任务，市级有关部门加强指导、督促。
"""


def test_working_group_membership_from_the_sample():
    duties = duties_of(CQ_GROUP)
    convener = find(duties, "市政府分管副市长", "convener")
    assert convener.duty == "为工作专班召集人"
    assert convener.where == "五.（一）"
    deputies = [d.surface for d in duties if d.role == "deputy_convener"]
    assert deputies == ["市政府联系燃气安全工作的副秘书长", "市经济信息委", "市应急局"]
    assert find(duties, "市应急局", "deputy_convener").duty == "主要负责同志任工作专班副召集人"
    members = [d.surface for d in duties if d.role == "member"]
    assert members == ["市教委", "市公安局", "市消防救援总队", "各区县"]
    assert find(duties, "工作专班", "responsible").duty.startswith("每季度召开会议")
    host = find(duties, "市安委会办公室", "office_host")
    assert host.duty == "工作专班办公室设在市安委会办公室"
    assert find(duties, "工作专班办公室", "responsible").duty == "负责专项整治日常协调调度等工作"
    directors = [d.surface for d in duties if d.role == "office_director"]
    assert directors == ["市经济信息委", "市应急局"]


def test_subject_sentences_split_into_responsible_and_lead_duties():
    duties = duties_of(CQ_GROUP)
    office = [d for d in duties if d.surface == "市安委会办公室" and d.where == "五.（三）"]
    assert [d.role for d in office] == ["responsible", "lead"]
    assert office[0].duty == "加强综合协调，及时总结专项整治经验"
    lead = office[1]
    assert lead.duty.startswith("组织市经济信息委、市司法局等部门建立")
    assert len(lead.with_agencies) == 2
    assert lead.provenance.quote.startswith("市安委会办公室要加强综合协调")
    assert find(duties, "市经济信息委", "lead").duty.startswith("牵头建立安全会商研判")
    assert find(duties, "市经济信息委", "responsible").duty == "落实燃气行业监督责任"
    # "A、B、C等部门" names one department per field
    fields = [d.surface for d in duties if d.surface.endswith("部门") and d.where == "五.（三）"]
    assert fields[:3] == ["住房城乡建设部门", "规划自然资源部门", "市场监管部门"]
    assert find(duties, "各区县政府", "responsible").duty == "负责具体落实专项整治工作任务"
    assert find(duties, "市级有关部门", "responsible").duty == "加强指导、督促"


CQ_RULES = """重庆市人民政府办公厅关于
印发重庆市烟花爆竹专营管理办法的通知
渝府办发〔2021〕154号
各区县（自治县）人民政府，市政府有关部门，有关单位：
《重庆市烟花爆竹专营管理办法》已经市政府同意，现印发给你们，请认真贯彻执行。
重庆市人民政府办公厅
2021 年 12 月 29 日
重庆市烟花爆竹专营管理办法
第五条 市供销合作社主要职责 ：
（一）确定、组建市烟花爆竹集团公司（以下简称集团公司）；
（二）负责选定向本市销售烟花爆竹的合法生产企业 ；
（三）配合应急管理部门制定和实施烟花爆竹零售网点布点方案 ；
（四）核发《重庆市烟花爆竹专营委托书》及烟花爆竹专营零售点标识。
第六条 有关部门主要职责 ：
公安部门（或有关部门）负责烟花爆竹道路运输许可证的审核发放 ；负责燃放烟花爆竹的安全管理。
第九条 集团公司会同烟花爆竹行业协会按照烟花爆竹安全质量标准，初选在本市经营、燃放的烟花爆竹种类，并配合市公安局、市应急局确定可以在本市经营、燃放烟花爆竹的种类。
第十四条 集团公司不得向零售经营者销售专业燃放类烟花爆竹产品。
第二十七条 本市范围内举办焰火燃放活动，由市供销合作社委托集团公司按照公安部门明确的燃放许可范围组织有燃放资质的企业进行燃放。
"""


def test_duty_list_gives_one_duty_per_item():
    duties = [d for d in duties_of(CQ_RULES) if d.where.startswith("第五条")]
    assert [(d.surface, d.role) for d in duties] == [("市供销合作社", "responsible")] * 2 + [
        ("市供销合作社", "cooperate"), ("市供销合作社", "responsible")]
    assert duties[2].duty == "配合应急管理部门制定和实施烟花爆竹零售网点布点方案"
    assert duties[2].with_agencies == ("应急管理部门",)
    assert duties[1].where == "第五条.（二）"


def test_clauses_after_a_semicolon_keep_their_subject():
    duties = [d for d in duties_of(CQ_RULES) if d.where == "第六条"]
    assert [(d.surface, d.duty) for d in duties] == [
        ("公安部门", "负责烟花爆竹道路运输许可证的审核发放"),
        ("公安部门", "负责燃放烟花爆竹的安全管理"),
    ]


def test_huitong_peizhe_and_weituo():
    duties = duties_of(CQ_RULES)
    lead = find(duties, "集团公司", "lead")
    assert lead.where == "第九条"
    assert lead.duty.startswith("按照烟花爆竹安全质量标准，初选")
    assert find(duties, "集团公司", "cooperate").duty.startswith("配合市公安局、市应急局确定")
    entrusting = [d for d in duties if d.where == "第二十七条"]
    assert [(d.surface, d.role) for d in entrusting] == [("市供销合作社", "responsible"), ("集团公司", "responsible")]
    assert entrusting[1].duty.startswith("按照公安部门明确的燃放许可范围")
    # a prohibition is not a duty
    assert not [d for d in duties if d.where == "第十四条"]


CQ_FINANCE = CQ_NOTICE.replace("156号", "151号") + """（二）发挥好政策性金融机构作用。支持农发行市分行聚焦国家粮食安全等领域，建立 3000 亿元规模项目库。鼓励银行业金融机构开发授信模型。（责任单位 ：农发行市分行、市金融监管局）
（十九）创新农村数字普惠金融服务。重庆农商行要为农村居民提供移动银行、方言银行等特色服务。农行市分行、重庆银行加快搭建农村金融服务线上渠道。
"""


def test_supported_bodies_are_responsible_but_classes_are_not():
    duties = duties_of(CQ_FINANCE)
    assert rows(duties) == [("农发行市分行", "responsible"), ("重庆农商行", "responsible"),
                            ("农行市分行", "responsible"), ("重庆银行", "responsible")]
    assert duties[0].duty.startswith("聚焦国家粮食安全等领域")
    assert duties[0].provenance.quote.startswith("支持农发行市分行")
    # the bracketed note is an assignment, never quoted as a duty
    assert all("责任单位" not in d.provenance.quote for d in duties)


STATE_COUNCIL = """国务院关于加快发展现代职业教育的决定
国发〔2014〕19号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
现就加快发展现代职业教育作出如下决定。
国务院
2014年5月2日
关于加快发展现代职业教育的决定
一、总体要求
职业教育是国民教育体系的重要组成部分。近年来，国务院高度重视职业教育。
二、重点任务
（一）完善职业教育体系。教育部要会同人力资源社会保障部制定职业教育专业目录，国家发展改革委负责将职业教育纳入国民经济和社会发展规划。财政部配合教育部完善职业院校生均拨款制度。
（二）加大政策支持。由工业和信息化部牵头，科技部、商务部配合，建立产教融合信息服务平台。
（三）落实地方责任。各省、自治区、直辖市人民政府要统筹本地区职业教育发展，各省级人民政府主要负责同志为本地区职业教育工作第一责任人。
三、组织实施
建立职业教育工作部际联席会议制度，国务院分管副总理为召集人，教育部、人力资源社会保障部主要负责同志任副召集人，国家发展改革委、财政部、工业和信息化部等部门为成员单位。联席会议办公室设在教育部，承担联席会议日常工作。
"""


def test_state_council_roles():
    duties = duties_of(STATE_COUNCIL)
    lead = find(duties, "教育部", "lead")
    assert lead.duty == "制定职业教育专业目录"
    assert lead.with_agencies == (Resolver(default_registry()).resolve("人力资源社会保障部"),)
    assert find(duties, "国家发展改革委", "responsible").duty.startswith("负责将职业教育纳入")
    assert find(duties, "财政部", "cooperate").duty.startswith("配合教育部")
    assert find(duties, "工业和信息化部", "lead").duty == "建立产教融合信息服务平台"
    assert {d.surface for d in duties if d.role == "cooperate" and d.where == "二.（二）"} == {"科技部", "商务部"}
    assert find(duties, "各省、自治区、直辖市人民政府", "responsible").duty == "统筹本地区职业教育发展"
    first = find(duties, "各省级人民政府", "first_responsible")
    assert first.duty == "主要负责同志为本地区职业教育工作第一责任人"
    assert find(duties, "国务院分管副总理", "convener").where == "三"
    assert [d.surface for d in duties if d.role == "member"] == ["国家发展改革委", "财政部", "工业和信息化部"]
    assert find(duties, "教育部", "office_host").duty == "联席会议办公室设在教育部"
    # background sentences only mention the State Council
    assert not [d for d in duties if d.where == "一"]


PROVINCE = """四川省人民政府办公厅关于印发四川省促进中小企业发展若干措施的通知
川办发〔2022〕12号
各市（州）人民政府，省政府各部门、各直属机构：
《四川省促进中小企业发展若干措施》已经省政府同意，现印发给你们，请认真组织实施。
四川省人民政府办公厅
2022年3月1日
四川省促进中小企业发展若干措施
一、强化财政支持
（一）加大资金投入。省财政厅要会同省经济和信息化厅设立中小企业发展专项资金。省科技厅配合省经济和信息化厅开展科技型中小企业评价。（牵头单位：省财政厅；配合单位：省经济和信息化厅）
（二）优化融资服务。人民银行成都分行、四川银保监局要引导金融机构加大信贷投放。支持四川银行设立小微企业专营机构。
二、保障措施
（一）加强组织领导。成立省促进中小企业发展工作领导小组（以下简称领导小组），由省政府分管副省长任组长，省经济和信息化厅主要负责同志任副组长，省发展改革委、省科技厅等部门分管负责同志为成员。领导小组办公室设在省经济和信息化厅，负责日常工作。
（二）压实工作责任。各市（州）人民政府是本地区中小企业发展工作的责任主体，主要负责同志是第一责任人。建立省经济和信息化厅牵头、省级有关部门参与的协调推进机制。
（三）强化督导考核。省住房城乡建设厅负责牵头推进城市更新，省自然资源厅、省财政厅配合。根据《国务院办公厅关于促进中小企业发展的通知》要求，报省政府审定后实施。
"""


def test_province_bodies_no_registry_lists():
    duties = duties_of(PROVINCE)
    lead = find(duties, "省财政厅", "lead")
    assert lead.agency_id == "四川省财政厅"
    assert lead.with_agencies == ("四川省经济和信息化厅",)
    assert lead.duty == "设立中小企业发展专项资金"
    assert find(duties, "省科技厅", "cooperate").with_agencies == ("四川省经济和信息化厅",)
    assert [d.surface for d in duties if d.where == "一.（二）"] == ["人民银行成都分行", "四川银保监局", "四川银行"]
    assert find(duties, "省政府分管副省长", "convener").duty == "任领导小组组长"
    assert find(duties, "省经济和信息化厅", "deputy_convener").duty == "主要负责同志任领导小组副组长"
    assert find(duties, "省科技厅", "member").duty == "分管负责同志为领导小组成员"
    assert find(duties, "领导小组办公室", "responsible").duty == "负责日常工作"
    assert find(duties, "各市（州）人民政府", "responsible").duty == "是本地区中小企业发展工作的责任主体"
    assert find(duties, "各市（州）人民政府", "first_responsible").duty == "主要负责同志是第一责任人"
    mechanism = find(duties, "省级有关部门", "cooperate")
    assert mechanism.duty == "参与协调推进机制"
    assert find(duties, "省经济和信息化厅", "lead").with_agencies == (mechanism.agency_id,)


def test_cooperating_bodies_named_after_the_duty():
    duties = [d for d in duties_of(PROVINCE) if d.where == "二.（三）"]
    assert rows(duties) == [("省住房城乡建设厅", "lead"), ("省自然资源厅", "cooperate"), ("省财政厅", "cooperate")]
    assert duties[1].duty == "负责牵头推进城市更新"
    assert duties[1].with_agencies == ("四川省住房城乡建设厅",)


def test_bodies_only_mentioned_are_not_made_responsible():
    text = CQ_NOTICE + """一、工作目标
2021年，市城市管理局共组织专项整治行动30次。市统计局核定的数据作为考核依据。根据《国务院办公厅关于加强城市管理的通知》要求，方案报市政府审定后实施，评估报告抄送市经济信息委、市应急局。推动更多区县实现义务教育优质均衡发展，支持高水平职业技术师范学院建设。
"""
    assert duties_of(text) == []


HUBEI = """湖北省人民政府办公厅关于进一步加强安全生产工作的通知
鄂政办发〔2023〕8号
各市、州、县人民政府，省政府各部门：
为深入贯彻落实安全生产决策部署，经省人民政府同意，现就有关事项通知如下。
一、压实安全生产责任
各级人民政府主要负责人是本地区安全生产第一责任人。省应急厅负责全省安全生产综合监督管理，会同省公安厅、省交通运输厅建立联合执法机制。
二、健全工作机制
成立省安全生产专项整治工作领导小组，省应急厅主要负责同志任副组长，省发展改革委、省财政厅等部门为成员单位。领导小组办公室设在省应急厅，省应急厅厅长兼任办公室主任。
湖北省人民政府办公厅
2023年3月1日
"""


def test_a_provincial_working_group_with_a_person_title_after_the_body():
    from gazettekg.extract.pipeline import extract_pages
    from gazettekg.records import Page

    x = extract_pages([Page(1, HUBEI.strip())], "hb.txt", "test")
    got = {(d.agency_id, d.role) for d in x.duties}
    assert ("湖北省应急厅", "office_director") in got
    assert ("湖北省应急厅", "office_host") in got
    assert ("湖北省应急厅", "lead") in got
    assert ("湖北省·各级政府", "first_responsible") in got
    assert {"湖北省发展改革委", "湖北省财政厅"} <= {d.agency_id for d in x.duties if d.role == "member"}
    assert not any(d.agency_id.endswith("厅厅") for d in x.duties)
