"""Every format a gazette arrives in: saved web pages and Word files (PDF and text elsewhere).

The format is read from the content, not the file's name; each reader hands the rest of the
pipeline the same lines, tables as TAB-separated rows.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from gazettekg.corpus.layouts import to_html, write_docx
from gazettekg.extract.errors import InputError
from gazettekg.extract.pages import read_pages
from gazettekg.extract.pipeline import extract_file
from gazettekg.extract.word import chinese_number, docx_lines

NOTICE = [
    "某某市人民政府办公室关于印发某某市数字政府建设工作方案的通知",
    "某政办发〔2023〕8号",
    "各区县人民政府，市政府各部门：",
    "《某某市数字政府建设工作方案》已经市政府同意，现印发给你们，请认真贯彻执行。",
    "某某市人民政府办公室",
    "2023年4月10日",
    "某某市数字政府建设工作方案",
    "一、工作目标",
    "到2025年，全市政务服务事项全程网办率达到90%以上。",
    "二、重点任务",
]
TABLE = [
    "序号\t重点任务\t牵头单位\t责任单位\t完成时限",
    "1\t建设一体化政务服务平台。整合各部门业务系统。\t市大数据局\t市发展改革委、市财政局\t2023年12月底前",
    "2\t推进电子证照共享应用。\t市大数据局\t市公安局、市市场监管局\t2024年6月底前",
    "3\t完善政务数据共享机制。\t市政府办公室\t各区县政府\t长期坚持",
]


def tasks_of(path: Path) -> list[tuple[str, str, str]]:
    x = extract_file(path)
    return [(a.task_title, a.surface, a.role) for a in x.assignments]


EXPECTED_ROWS = [
    ("建设一体化政务服务平台", "市大数据局", "lead"),
    ("建设一体化政务服务平台", "市发展改革委", "support"),
    ("建设一体化政务服务平台", "市财政局", "support"),
    ("推进电子证照共享应用", "市大数据局", "lead"),
    ("推进电子证照共享应用", "市公安局", "support"),
    ("推进电子证照共享应用", "市市场监管局", "support"),
    ("完善政务数据共享机制", "市政府办公室", "lead"),
    ("完善政务数据共享机制", "各区县政府", "support"),
]


def test_a_web_page_table_gives_one_task_per_row(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(to_html([*NOTICE, *TABLE]), encoding="utf-8")
    assert tasks_of(page) == EXPECTED_ROWS


def test_a_word_table_gives_one_task_per_row(tmp_path):
    path = tmp_path / "plan.docx"
    write_docx([*NOTICE, *TABLE], path)
    assert tasks_of(path) == EXPECTED_ROWS


def test_the_metadata_table_of_a_web_page_fills_the_documents_fields(tmp_path):
    body = ["某某市数字政府建设工作方案", "一、重点任务",
            "（一）建设政务服务平台。整合业务系统。（责任单位：市大数据局）"]
    page = tmp_path / "page.html"
    page.write_text(to_html(body, {"number": "某政办发〔2023〕8号", "date": "2023年04月10日",
                                   "issuer": "某某市人民政府办公室", "title": "某某市数字政府建设工作方案"}),
                    encoding="utf-8")
    [doc] = extract_file(page).documents
    assert (doc.doc_id, doc.date, doc.issuer) == ("某政办发〔2023〕8号", "2023-04-10", "某某市人民政府办公室")


def test_a_web_page_loses_its_navigation_scripts_and_share_links(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(to_html(NOTICE), encoding="utf-8")
    text = "\n".join(p.text for p in read_pages(page))
    for chrome in ("首页", "不是正文", "分享到", "扫一扫", "打印本页", "版权所有", "字体"):
        assert chrome not in text
    assert "某某市数字政府建设工作方案" in text


def test_word_numbering_is_rendered_as_printed(tmp_path):
    path = tmp_path / "numbered.docx"
    write_docx(["一、总体要求", "（一）指导思想。坚持系统观念。", "（二）工作目标。", "1．建成平台。", "2．完善制度。",
                "二、重点任务", "（一）加强建设。", "1．推进共享。"], path)
    lines = [line for line in docx_lines(path.read_bytes(), "numbered.docx") if line]
    assert lines == ["一、总体要求", "（一）指导思想。坚持系统观念。", "（二）工作目标。", "1．建成平台。",
                     "2．完善制度。", "二、重点任务", "（一）加强建设。", "1．推进共享。"]


@pytest.mark.parametrize(("n", "printed"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"),
                                            (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_counting_numbers(n, printed):
    assert chinese_number(n) == printed


def test_the_format_is_read_from_the_content_not_the_name(tmp_path):
    disguised = tmp_path / "plan.txt"
    write_docx([*NOTICE, *TABLE], disguised)
    assert tasks_of(disguised) == EXPECTED_ROWS


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04" + b"\x00" * 64, "corrupt zip"),
    (b"<html><body><div class=\"nav\"><a>\xe9\xa6\x96\xe9\xa1\xb5</a></div></body></html>", "shows no text"),
])
def test_a_bad_file_of_each_kind_gets_a_one_line_error(tmp_path, data, message):
    path = tmp_path / "bad.bin"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as raised:
        read_pages(path)
    assert "\n" not in str(raised.value)


def test_a_zip_that_is_neither_word_nor_ofd_is_refused(tmp_path):
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "不是公文")
    with pytest.raises(InputError, match="neither a Word file"):
        read_pages(path)


def test_a_word_file_without_text_is_refused(tmp_path):
    path = tmp_path / "empty.docx"
    write_docx([], path)
    with pytest.raises(InputError, match="holds no text"):
        read_pages(path)


@pytest.mark.skipif(shutil.which("soffice") is not None, reason="LibreOffice is installed here")
def test_a_legacy_word_file_asks_for_libreoffice(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(InputError, match="LibreOffice"):
        read_pages(path)
