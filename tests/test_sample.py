"""The bundled sample issue, end to end: text and PDF rendering, scored by the shared scorer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gazettekg.extract.jsonl import write_jsonl
from gazettekg.extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_TXT = ROOT / "corpus" / "gazette-2022-01.txt"
SAMPLE_PDF = ROOT / "corpus" / "gazette-2022-01.pdf"
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="module")
def from_text():
    return extract_file(SAMPLE_TXT)


@pytest.fixture(scope="module")
def from_pdf():
    return extract_file(SAMPLE_PDF)


def score(extraction, tmp_path: Path) -> dict:
    if not (EVAL / "score.py").exists():
        pytest.skip("../shared/eval is not beside this checkout")
    write_jsonl([extraction], tmp_path)
    out = subprocess.run([sys.executable, str(EVAL / "score.py"), "--gold", str(EVAL / "gold"), "--pred",
                          str(tmp_path), "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_documents_of_the_issue(from_text):
    docs = {d.doc_id: d for d in from_text.documents}
    assert list(docs) == [
        "渝府发〔2021〕37号", "渝府办发〔2021〕156号", "渝府办发〔2021〕154号", "渝府办发〔2021〕151号"]
    gas = docs["渝府办发〔2021〕156号"]
    assert gas.title == "重庆市深化燃气安全专项整治实施方案"
    assert gas.issuer == "重庆市人民政府办公厅" and gas.date == "2021-12-31"
    assert gas.attachments[0] == "重庆市推进管道天然气用户安装使用燃气安全装置实施方案"
    assert len(gas.attachments) == 3
    assert docs["渝府办发〔2021〕154号"].supersedes == ["渝办发〔2006〕14号"]
    assert from_text.issue == "重庆市人民政府公报2022年第1期"


def test_heading_tree(from_text):
    gas = next(d for d in from_text.documents if d.doc_id == "渝府办发〔2021〕156号")
    paths = {s.path: s for s in gas.walk()}
    assert paths["三.（一）.1"].title == "加强公众宣传教育"
    assert paths["三.（三）.4"].title == "深化燃气管道设施安全风险隐患排查整治"
    assert "附件1" in paths and paths["附件2"].level == "annex"
    rules = next(d for d in from_text.documents if d.doc_id == "渝府办发〔2021〕154号")
    assert [s.path for s in rules.sections][:3] == ["第一条", "第二条", "第三条"]
    assert [c.path for c in rules.sections[4].children][:2] == ["第五条.（一）", "第五条.（二）"]


def test_provenance_quotes_are_exact_spans(from_text):
    text = from_text.source.text
    for a in from_text.assignments:
        p = a.provenance
        assert text[p.start:p.end] == p.quote and p.pages


def test_clean_text_rejoins_wrapped_lines(from_text):
    text = from_text.source.text
    assert "坚决落实党中央、国务院近期对城镇燃气安全有关部署" in text  # wrapped across a page in the PDF text
    assert "\n三、工作任务\n（一）进一步深化宣传教育。\n1．加强公众宣传教育。" in text
    assert "—  7  —" not in text and "公报 2022 年第 1 期" not in text


def test_scores_from_text(from_text, tmp_path):
    report = score(from_text, tmp_path)
    assert report["documents"]["field_accuracy"] >= 0.95
    pairs = report["assignments"]
    assert pairs["pairs"]["f1"] >= 0.98
    assert pairs["lead_accuracy"] >= 0.98
    assert pairs["implicit_recall"] >= 0.9


def test_pdf_gives_the_same_facts_as_text(from_text, from_pdf):
    def facts(x):
        return ([(d.doc_id, d.title, d.issuer, d.date) for d in x.documents],
                [(a.doc_id, a.task_path, a.task_title, a.agency_id, a.role, a.basis, a.provenance.quote)
                 for a in x.assignments])

    assert facts(from_pdf) == facts(from_text)
    assert from_pdf.source.text == from_text.source.text
    assert from_pdf.issue == from_text.issue
