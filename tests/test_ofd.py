"""OFD input: the text layer of OFD files made by corpus/make_ofd.py and by hand."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from gazettekg.corpus.make_ofd import write_ofd
from gazettekg.extract.cleantext import clean_pages
from gazettekg.extract.errors import InputError
from gazettekg.extract.ofd import POINTS_PER_MM, ofd_pages, read_ofd
from gazettekg.extract.pages import read_pages

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "gazette-2022-01.txt"
NS = "http://www.ofdspec.org/2016"
OFD_XML = (f'<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
           "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def package(pages: list[str], *, document_extra: str = "", extra: dict[str, str] | None = None) -> bytes:
    """An OFD zip of A4 pages, each given as the XML inside its <ofd:Page> element."""
    refs = "".join(f'<ofd:Page ID="{k + 10}" BaseLoc="Pages/Page_{k}/Content.xml"/>' for k in range(len(pages)))
    document = (f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID>'
                "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
                f"{document_extra}</ofd:CommonData><ofd:Pages>{refs}</ofd:Pages></ofd:Document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", OFD_XML)
        archive.writestr("Doc_0/Document.xml", document)
        for k, body in enumerate(pages):
            archive.writestr(f"Doc_0/Pages/Page_{k}/Content.xml", f'<ofd:Page xmlns:ofd="{NS}">{body}</ofd:Page>')
        for member, xml in (extra or {}).items():
            archive.writestr(member, xml)
    return buffer.getvalue()


def text_object(boundary: str, codes: str, *, size: float = 5.0, ctm: str = "") -> str:
    ctm_attr = f' CTM="{ctm}"' if ctm else ""
    return f'<ofd:TextObject ID="1" Boundary="{boundary}" Font="1" Size="{size}"{ctm_attr}>{codes}</ofd:TextObject>'


def content(*objects: str) -> str:
    return f'<ofd:Content><ofd:Layer ID="2">{"".join(objects)}</ofd:Layer></ofd:Content>'


@pytest.fixture(scope="module")
def sample_paragraphs() -> list[str]:
    return clean_pages(read_pages(SAMPLE), SAMPLE.name).text.split("\n")


@pytest.fixture(scope="module")
def sample_ofd(sample_paragraphs, tmp_path_factory) -> tuple[Path, int]:
    dest = tmp_path_factory.mktemp("ofd") / "gazette-2022-01.ofd"
    return dest, write_ofd(sample_paragraphs, dest)


# ---- the sample issue, round trip ----


def test_sample_round_trip_keeps_every_character_in_order(sample_paragraphs, sample_ofd):
    dest, page_count = sample_ofd
    pages = ofd_pages(dest.read_bytes(), dest.name)
    assert page_count > 10
    assert [number for number, _ in pages] == list(range(1, page_count + 1))
    read = squeeze("".join(text for _, lines in pages for text, *_ in lines))
    assert read == squeeze("".join(sample_paragraphs))


def test_sample_lines_are_placed_top_down_in_points(sample_ofd):
    dest, _ = sample_ofd
    pages = read_ofd(dest.read_bytes(), dest.name)
    assert pages[0].width == pytest.approx(210 * POINTS_PER_MM)
    assert pages[0].height == pytest.approx(297 * POINTS_PER_MM)
    margin, size = 25 * POINTS_PER_MM, 5.6 * POINTS_PER_MM
    for page in pages:
        tops = [top for _, top, _, _, _ in page.lines]
        assert tops == sorted(tops)
        for _, top, bottom, left, right in page.lines:
            assert bottom - top == pytest.approx(size)  # the em box of the type
            assert margin - 0.01 <= top and bottom <= page.height - margin + 0.01
            assert margin - 0.01 <= left < right <= page.width - margin + 2 * size  # hanging punctuation
    first, second = pages[0].lines[5], pages[0].lines[6]  # a paragraph's first line, then its next
    assert first[0].startswith("现将《")
    assert first[3] == pytest.approx(margin + 2 * size)  # indented two characters
    assert second[3] == pytest.approx(margin)
    assert pages[0].lines[8][0] == "2021 年 11 月 10 日"  # gaps between runs read as spaces


def test_write_ofd_is_deterministic_and_paginates(tmp_path, sample_paragraphs):
    a, b = tmp_path / "a.ofd", tmp_path / "b.ofd"
    assert write_ofd(sample_paragraphs[:40], a) == write_ofd(sample_paragraphs[:40], b)
    assert a.read_bytes() == b.read_bytes()
    assert write_ofd(["短"], tmp_path / "one.ofd") == 1
    # Larger type needs more pages for the same text.
    assert write_ofd(sample_paragraphs[:40], tmp_path / "big.ofd", font_size_mm=8.0) > write_ofd(
        sample_paragraphs[:40], tmp_path / "small.ofd", font_size_mm=4.0)


# ---- positions: Boundary, CTM, DeltaX ----


def test_boundary_offset_deltax_repeats_and_baseline_merge():
    # Two TextObjects on one baseline, written right one first; the left one's DeltaX uses "g".
    right = text_object("100 50 40 10", '<ofd:TextCode X="0" Y="4">规划</ofd:TextCode>')
    left = text_object("20 46 60 10", '<ofd:TextCode X="2" Y="8" DeltaX="g 2 5 10">重庆市教</ofd:TextCode>')
    below = text_object("20 60 60 10", '<ofd:TextCode X="0" Y="5" DeltaX="5">育事</ofd:TextCode>')
    [(number, lines)] = ofd_pages(package([content(below, right, left)]), "x.ofd")
    assert number == 1
    assert [text for text, *_ in lines] == ["重庆市 教   规划", "育事"]  # letter-spaced, then a column gap
    _, top, bottom, left_x, right_x = lines[0]
    # Baseline y = 46 + 8 = 54 mm; glyphs at x = 22, 27, 32, 42 (the "g 2 5" then 10); 规划 at 100.
    assert top == pytest.approx((54 - 0.88 * 5) * POINTS_PER_MM)
    assert bottom == pytest.approx((54 + 0.12 * 5) * POINTS_PER_MM)
    assert left_x == pytest.approx(22 * POINTS_PER_MM)
    assert right_x == pytest.approx((100 + 5 + 5) * POINTS_PER_MM)  # 规 at 100, 划 a nominal em on


def test_ctm_scales_object_space_into_the_boundary():
    obj = text_object("30 40 100 20", '<ofd:TextCode X="10" Y="20" DeltaX="g 3 10">通知全文</ofd:TextCode>',
                      size=10, ctm="0.5 0 0 0.5 0 0")
    [(_, [(text, top, bottom, left, right)])] = ofd_pages(package([content(obj)]), "x.ofd")
    assert text == "通知全文"
    # Baseline at 40 + 0.5*20 = 50 mm, type 5 mm on the page; glyphs from 30 + 0.5*10 = 35 mm, 5 mm apart.
    assert (top, bottom) == (pytest.approx((50 - 4.4) * POINTS_PER_MM), pytest.approx((50 + 0.6) * POINTS_PER_MM))
    assert (left, right) == (pytest.approx(35 * POINTS_PER_MM), pytest.approx(55 * POINTS_PER_MM))


def test_textcodes_without_position_continue_and_wide_gaps_read_as_columns():
    codes = ('<ofd:TextCode X="0" Y="5" DeltaX="5">指标</ofd:TextCode><ofd:TextCode>类别</ofd:TextCode>'
             '<ofd:TextCode X="60" Y="5">目标值</ofd:TextCode>')
    [(_, [(text, *_)])] = ofd_pages(package([content(text_object("20 20 150 10", codes))]), "x.ofd")
    assert text == "指标类别   目标值"


def test_template_text_and_a_page_without_text_are_kept_in_place():
    header = content(text_object("90 10 40 6", '<ofd:TextCode X="0" Y="5">公报</ofd:TextCode>'))
    template = f'<ofd:Page xmlns:ofd="{NS}">{header}</ofd:Page>'
    body = content(text_object("25 40 40 6", '<ofd:TextCode X="0" Y="5">正文</ofd:TextCode>'))
    pages = ofd_pages(package(['<ofd:Template TemplateID="7"/>' + body, content()],
                              document_extra='<ofd:TemplatePage ID="7" BaseLoc="Tpls/Tpl_0/Content.xml"/>',
                              extra={"Doc_0/Tpls/Tpl_0/Content.xml": template}), "x.ofd")
    assert [(number, [text for text, *_ in lines]) for number, lines in pages] == [(1, ["公报", "正文"]), (2, [])]


# ---- errors ----


def test_a_file_that_is_not_a_zip():
    with pytest.raises(InputError, match=r"^scan\.ofd: corrupt OFD \(not a readable zip\)$"):
        ofd_pages(b"%PDF-1.7 not a zip at all", "scan.ofd")


def test_a_truncated_zip(sample_ofd):
    data = sample_ofd[0].read_bytes()
    with pytest.raises(InputError, match=r"corrupt OFD \(not a readable zip\)"):
        ofd_pages(data[: len(data) // 2], "cut.ofd")


def test_a_zip_with_a_damaged_member():
    data = bytearray(package([content(text_object("25 40 40 6", '<ofd:TextCode X="0" Y="5">正文</ofd:TextCode>'))]))
    start = data.index(b"<ofd:Page xmlns")  # the stored (uncompressed) page body
    data[start + 20:start + 40] = b"#" * 20
    with pytest.raises(InputError, match=r"corrupt OFD \(not a readable zip\)"):
        ofd_pages(bytes(data), "bad.ofd")


def test_a_zip_without_ofd_xml():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InputError, match=r"^x\.ofd: not an OFD \(the zip has no OFD\.xml\)$"):
        ofd_pages(buffer.getvalue(), "x.ofd")


def test_an_ofd_without_pages():
    with pytest.raises(InputError, match=r"^x\.ofd: the OFD has no pages$"):
        ofd_pages(package([]), "x.ofd")


def test_an_ofd_whose_page_is_empty(tmp_path):
    with pytest.raises(InputError, match=r"the OFD has no text layer \(a scanned document\?\)"):
        ofd_pages(package([content()]), "x.ofd")
    write_ofd([], tmp_path / "empty.ofd")  # the writer's empty page, too
    with pytest.raises(InputError, match=r"no text layer"):
        ofd_pages((tmp_path / "empty.ofd").read_bytes(), "empty.ofd")


def test_an_ofd_missing_a_page_part():
    data = package([content()])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            if not info.filename.endswith("Content.xml"):
                archive.writestr(info, source.read(info))
    with pytest.raises(InputError, match=r"corrupt OFD \(page 1, Doc_0/Pages/Page_0/Content\.xml, is missing"):
        ofd_pages(buffer.getvalue(), "x.ofd")


def test_errors_are_one_line():
    with pytest.raises(InputError) as caught:
        ofd_pages(package(["<ofd:Content><unclosed"]), "x.ofd")
    assert "\n" not in str(caught.value) and "not well-formed XML" in str(caught.value)
