"""The input edge on real layouts: PDFs made with reportlab, texts in several provinces' styles."""

from __future__ import annotations

from pathlib import Path

import pytest

from gazettekg.corpus.make_pdf import make_pdf
from gazettekg.extract.errors import InputError
from gazettekg.extract.pages import ENGINES, read_pages, split_text_pages, text_pages
from gazettekg.records import Page

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SAMPLE_TXT = CORPUS / "gazette-2022-01.txt"
SAMPLE_PDF = CORPUS / "gazette-2022-01.pdf"

JIANGSU_PAGE_1 = [
    "江苏省人民政府办公厅关于印发江苏省",
    "数字经济加速行动实施方案的通知",
    "苏政办发〔2023〕12号",
    "各市、县（市、区）人民政府，省各委办厅局，省各直属单位：",
    "《江苏省数字经济加速行动实施方案》已经省人民政府同意，现印发给你们，",
    "请认真组织实施。",
]
JIANGSU_PAGE_2 = [
    "（一）加快数字基础设施建设。到 2025 年，建成 5G 基站 25 万个。（省通信管理局牵头，",
    "省工业和信息化厅、省发展改革委按职责分工负责）",
    "江苏省人民政府办公厅",
    "2023 年 3 月 15 日",
]


def lines_of(pages: list[Page]) -> list[str]:
    return [line for page in pages for line in page.text.split("\n")]


# ---- PDF ----


@pytest.mark.parametrize("engine", ENGINES)
def test_pdf_pages_lose_running_header_and_page_numbers(write_pdf, engine):
    path = write_pdf([JIANGSU_PAGE_1, JIANGSU_PAGE_2], header="江苏省人民政府公报 2023 年第 5 期", first_number=15)

    pages = read_pages(path, engine=engine)

    assert [page.number for page in pages] == [1, 2]
    assert pages[0].text == "\n".join(JIANGSU_PAGE_1)
    assert pages[1].text == "\n".join(JIANGSU_PAGE_2)
    assert "公报" not in pages[0].text + pages[1].text
    assert "- 15 -" not in pages[0].text and "16" not in pages[1].text


def test_pdf_header_is_cut_by_position_even_when_it_matches_no_pattern(write_pdf):
    # Two pages are too few for the recurring-line rule: only the position can remove it.
    path = write_pdf([JIANGSU_PAGE_1, JIANGSU_PAGE_2], header="浙江政报")
    assert all("浙江政报" not in page.text for page in read_pages(path))


def test_both_engines_read_the_same_pages(write_pdf):
    path = write_pdf([JIANGSU_PAGE_1, JIANGSU_PAGE_2, JIANGSU_PAGE_1], header="国务院公报 2021 年第 12 号")
    assert read_pages(path, engine="pdfium") == read_pages(path, engine="pdfplumber")


@pytest.mark.parametrize("engine", ENGINES)
def test_pdf_without_text_layer_asks_for_ocr(write_drawing_pdf, engine):
    with pytest.raises(InputError) as caught:
        read_pages(write_drawing_pdf(), engine=engine)
    assert "OCR" in str(caught.value)
    assert str(caught.value).startswith(str(caught.value.path))


@pytest.mark.parametrize("engine", ENGINES)
def test_truncated_pdf_is_an_input_error(write_pdf, tmp_path, engine):
    whole = write_pdf([JIANGSU_PAGE_1, JIANGSU_PAGE_2]).read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError) as caught:
        read_pages(truncated, engine=engine)
    assert caught.value.path == str(truncated)
    assert "truncated" in caught.value.reason


@pytest.mark.parametrize("engine", ENGINES)
def test_garbage_after_pdf_magic_is_an_input_error(tmp_path, engine):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    with pytest.raises(InputError, match="not a readable PDF"):
        read_pages(path, engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_password_protected_pdf_is_an_input_error(write_pdf, engine):
    path = write_pdf([JIANGSU_PAGE_1], password="secret")
    with pytest.raises(InputError, match="encrypted"):
        read_pages(path, engine=engine)


def test_unknown_engine_is_refused(write_pdf):
    with pytest.raises(ValueError, match="pdfium"):
        read_pages(write_pdf([JIANGSU_PAGE_1]), engine="ocr")


# ---- plain text ----


def test_centred_page_numbers_end_pages_and_give_their_numbers():
    text = (
        "湖北省人民政府关于加强安全生产工作的意见\n\n"
        "鄂政发〔2022〕8号\n"
        "—  7  —\n"
        "湖北省人民政府公报 2022年第3期\n"
        "一、总体要求\n"
        "- 8 -\n"
        "湖北省人民政府公报 2022年第3期\n"
        "二、主要任务\n"
    )
    pages = text_pages(text)
    assert pages == [
        Page(7, "湖北省人民政府关于加强安全生产工作的意见\n鄂政发〔2022〕8号"),
        Page(8, "一、总体要求"),
        Page(9, "二、主要任务"),
    ]


def test_form_feeds_split_pages_and_a_bare_last_number_is_a_footer():
    text = (
        "广东省人民政府令\n第 300 号\n\n1\n"
        "\f第一条 为了规范行政行为，制定本规定。\n2\n"
        "\f\f第二条 本规定自公布之日起施行。"
    )
    pages = text_pages(text)
    assert pages == [
        Page(1, "广东省人民政府令\n第 300 号"),
        Page(2, "第一条为了规范行政行为，制定本规定。"),
        Page(4, "第二条本规定自公布之日起施行。"),  # page 3 is blank
    ]


def test_issue_headers_of_other_gazettes_are_dropped_but_citations_kept():
    text = (
        "国务院公报 2021 年第 12 号\n"
        "有关内容刊登在国务院公报2021年第12号上。\n"
        "2023年第5期 四川省人民政府公报\n"
        "各市（州）人民政府：\n"
    )
    assert text_pages(text)[0].text == "有关内容刊登在国务院公报2021年第12号上。\n各市（州）人民政府："


def test_short_line_recurring_at_page_tops_is_a_running_header():
    pages = [f"浙江政报\n第{n}段正文内容，阐述有关要求。\n— {n} —\n" for n in range(1, 5)]
    result = text_pages("".join(pages))
    assert [page.text for page in result] == [f"第{n}段正文内容，阐述有关要求。" for n in range(1, 5)]


def test_signature_opening_two_of_many_pages_is_kept():
    body = [f"正文第{n}页的内容。\n" for n in range(1, 9)]
    body[2] = "市人民政府办公厅\n" + body[2]
    body[5] = "市人民政府办公厅\n" + body[5]
    text = "".join(f"{page}— {n} —\n" for n, page in enumerate(body, start=1))
    assert lines_of(text_pages(text)).count("市人民政府办公厅") == 2


def test_lines_are_stripped_and_whitespace_collapsed():
    signature = " " * 40 + "重庆市人民政府"
    text = f"\u3000\u3000一、总体要求\n\n{signature}\n2021 年\u300011  月 10 日  \n"
    assert text_pages(text)[0].text == "一、总体要求\n重庆市人民政府\n2021 年 11 月 10 日"


def test_split_text_pages_keeps_indentation_for_the_pdf_renderer():
    [(number, lines)] = split_text_pages("正文。\n                    重庆市人民政府\n")
    assert number == 1
    assert lines == ["正文。", "                    重庆市人民政府"]


def test_gb18030_text_is_decoded(tmp_path):
    path = tmp_path / "gazette.txt"
    path.write_bytes("四川省人民政府办公厅关于印发实施方案的通知\n川办发〔2023〕5号\n".encode("gb18030"))
    assert read_pages(path) == [Page(1, "四川省人民政府办公厅关于印发实施方案的通知\n川办发〔2023〕5号")]


def test_utf8_with_bom_is_decoded(tmp_path):
    path = tmp_path / "gazette.txt"
    path.write_bytes("\ufeff国务院关于印发方案的通知\r\n国发〔2021〕4号\r\n".encode())
    assert read_pages(path)[0].text == "国务院关于印发方案的通知\n国发〔2021〕4号"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_text_with_a_byte_order_mark_is_decoded_by_it(tmp_path, encoding):
    path = tmp_path / "gazette.txt"
    text = "国务院关于印发方案的通知\n国发〔2021〕4号\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    assert read_pages(path)[0].text == "国务院关于印发方案的通知\n国发〔2021〕4号"


def test_big5_text_is_read_as_big5_not_as_gb18030_garbage(tmp_path):
    path = tmp_path / "taiwan.txt"
    text = "臺北市政府關於加強環境保護工作的通知\n各區公所：\n請於年底前完成污染源調查，並由環境保護局負責統籌協調。\n"
    path.write_bytes(text.encode("big5"))
    assert read_pages(path)[0].text.startswith("臺北市政府關於加強環境保護工作的通知")


def test_stray_control_characters_are_dropped_with_a_warning(tmp_path):
    from gazettekg.extract.errors import InputWarning

    path = tmp_path / "gazette.txt"
    path.write_bytes("国务院关于印发方案的通知\x1b\n国发〔2021〕4号\x0b\x00\n".encode())
    with pytest.warns(InputWarning, match="3 control character"):
        pages = read_pages(path)
    assert pages[0].text == "国务院关于印发方案的通知\n国发〔2021〕4号"


@pytest.mark.parametrize("data", [b"\xff\xfe\x00\x00\x80\x81\xfe", bytes(range(256)) * 4,
                                  b"\x00\x01\x02" * 100 + "通知".encode()])
def test_bytes_that_are_no_text_are_an_input_error(tmp_path, data):
    path = tmp_path / "mystery.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"not valid UTF-32|binary data|not text"):
        read_pages(path)


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t \n"])
def test_empty_file_is_an_input_error(tmp_path, data):
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_pages(path)
    assert str(caught.value) == f"{path}: empty file"


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_pages(tmp_path / "absent.txt")


def test_input_error_message_is_one_line():
    error = InputError("scan.pdf", "the PDF has no text layer\n(a scanned document?) — run with --ocr auto")
    assert str(error) == "scan.pdf: the PDF has no text layer (a scanned document?) — run with --ocr auto"
    assert (error.path, error.reason.count("\n")) == ("scan.pdf", 1)


# ---- the sample issue ----


def test_sample_text_pages_are_numbered_by_their_footers():
    pages = read_pages(SAMPLE_TXT)
    assert [page.number for page in pages][:4] == [7, 12, 19, 38]
    assert not any("公报" in line and "期" in line for line in lines_of(pages))
    assert "重庆市人民政府办公厅" in lines_of(pages)  # signatures survive


def test_sample_pdf_gives_the_lines_of_the_sample_text():
    # make_pdf sets one space where the text had a run of them (the table header "分  类 指    标"),
    # so the lines are the same but for whitespace.
    def without_spaces(pages):
        return ["".join(line.split()) for line in lines_of(pages)]

    assert without_spaces(read_pages(SAMPLE_PDF)) == without_spaces(read_pages(SAMPLE_TXT))


def test_sample_pdf_reads_the_same_with_both_engines():
    assert read_pages(SAMPLE_PDF, engine="pdfplumber") == read_pages(SAMPLE_PDF, engine="pdfium")


def test_committed_sample_pdf_is_what_make_pdf_renders(tmp_path):
    assert make_pdf(SAMPLE_TXT, tmp_path / "again.pdf") == len(read_pages(SAMPLE_PDF))
    assert (tmp_path / "again.pdf").read_bytes() == SAMPLE_PDF.read_bytes()
