"""The spaCy component: agencies as entities, one token each, resolved to canonical ids."""

from __future__ import annotations

from gazettekg.extract.nlp import make_nlp


def test_agencies_become_entities_with_canonical_ids():
    nlp = make_nlp(jurisdiction="重庆市")
    doc = nlp("市应急局会同市经济信息委、市住房城乡建委负责燃气安全隐患排查整治。")
    assert [(e.text, e.label_, e._.agency_id) for e in doc.ents] == [
        ("市应急局", "AGENCY", "重庆市应急管理局"),
        ("市经济信息委", "AGENCY", "重庆市经济和信息化委员会"),
        ("市住房城乡建委", "AGENCY", "重庆市住房和城乡建设委员会"),
    ]
    assert all(len(e) == 1 for e in doc.ents)  # jieba keeps registry names whole


def test_unlisted_agency_of_another_province_is_recognised_by_structure():
    nlp = make_nlp(jurisdiction="四川省")
    doc = nlp("省经济和信息化厅要会同省大数据中心建设工业互联网平台。")
    assert [(e.text, e._.agency_id) for e in doc.ents] == [
        ("省经济和信息化厅", "四川省经济和信息化厅"),
        ("省大数据中心", "四川省大数据中心"),
    ]
