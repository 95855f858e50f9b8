"""OCR of image-only pages (extract.ocr): the sample issue's pages, rendered to pictures and read
back, against their own text layer. The OCR tests skip where the ocr extra is not installed."""

from __future__ import annotations

import importlib.util
import io
import re
from pathlib import Path

import pytest

from gazettekg.extract.ocr import OcrUnavailable, merge_lines, ocr_pdf_pages

SAMPLE_PDF = Path(__file__).resolve().parents[1] / "corpus" / "gazette-2022-01.pdf"
PAGES = [0, 1]  # the opening (title, number, signature) and a page of running text
SCAN_DPI = 300
# Measured on these pages: 0.0023 and 0 with rapidocr 3.10 (PP-OCRv6 models), 0.0015 and 0.0026 with
# 3.4.3 (PP-OCRv4); at most 0.012 on the first six pages. The errors are punctuation: ASCII
# for full-width forms, a dropped —— dash.
MAX_CER = 0.02


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        diagonal, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (ca != cb))
    return row[-1]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def placed_lines(page) -> list[tuple[str, float, float]]:
    """(text, vertical centre, left) of each text-layer line of a pdfium page, in points from the
    page's top edge, placed by the box of its first character."""
    textpage = page.get_textpage()
    lines, start = [], 0
    for piece in textpage.get_text_range().split("\r\n"):
        if piece.strip():
            left, bottom, _, top = textpage.get_charbox(start + len(piece) - len(piece.lstrip()))
            lines.append((piece, page.get_height() - (bottom + top) / 2, left))
        start += len(piece) + 2
    return lines


@pytest.fixture(scope="module")
def scanned() -> tuple[bytes, list[list[tuple[str, float, float]]]]:
    """PAGES of the sample as a PDF of page pictures (no text layer), with their text-layer lines."""
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(SAMPLE_PDF.read_bytes())
    layers, images = [], []
    for index in PAGES:
        page = document[index]
        layers.append(placed_lines(page))
        images.append(page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil())
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    data = out.getvalue()
    assert all(pdfium.PdfDocument(data)[k].get_textpage().get_text_range().strip() == "" for k in range(len(PAGES)))
    return data, layers


@pytest.fixture(scope="module")
def read_one_worker(scanned):
    pytest.importorskip("rapidocr")
    pytest.importorskip("onnxruntime")
    finished = []
    lines = ocr_pdf_pages(scanned[0], "scan.pdf", list(range(len(PAGES))), workers=1, on_page=finished.append)
    return lines, finished


def test_ocr_reads_the_pages_text(scanned, read_one_worker):
    lines, _ = read_one_worker
    for index, layer in enumerate(scanned[1]):
        reference = squeeze("".join(text for text, _, _ in layer))
        recognised = squeeze("".join(line[0] for line in lines[index]))
        assert levenshtein(reference, recognised) / len(reference) <= MAX_CER


def test_ocr_lines_run_top_to_bottom_where_the_text_layer_has_them(scanned, read_one_worker):
    lines, _ = read_one_worker
    for index, layer in enumerate(scanned[1]):
        found = lines[index]
        assert [line[1] for line in found] == sorted(line[1] for line in found)
        assert all(top < bottom and left < right for _, top, bottom, left, right in found)
        assert len(found) == len(layer)  # one OCR line for each text-layer line, none merged or split
        for (_, top, bottom, left, _), (_, centre, layer_left) in zip(found, layer, strict=True):
            assert (top + bottom) / 2 == pytest.approx(centre, abs=6)  # the line pitch is 16 pt
            assert left == pytest.approx(layer_left, abs=5)  # half a character


def test_ocr_reports_each_page_as_it_finishes(read_one_worker):
    assert sorted(read_one_worker[1]) == list(range(len(PAGES)))


def test_two_workers_read_as_one_does(scanned, read_one_worker):
    lines = ocr_pdf_pages(scanned[0], "scan.pdf", list(range(len(PAGES))), workers=2)
    expected = read_one_worker[0]
    assert list(lines) == list(expected)
    for index in expected:
        assert [line[0] for line in lines[index]] == [line[0] for line in expected[index]]
        for got, want in zip(lines[index], expected[index], strict=True):
            assert got[1:] == pytest.approx(want[1:], abs=1)


def test_no_pages_no_work(scanned):
    pytest.importorskip("rapidocr")
    assert ocr_pdf_pages(scanned[0], "scan.pdf", []) == {}


def test_without_the_ocr_extra_the_error_says_what_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "rapidocr" else real(name, *a))
    with pytest.raises(OcrUnavailable, match=re.escape("pip install 'gazettekg[ocr]'")):
        ocr_pdf_pages(b"%PDF-1.4", "scan.pdf", [0])


def test_boxes_on_one_line_join_left_to_right_and_lines_run_top_to_bottom():
    boxes = [  # (text, top, bottom, left, right), in no order
        ("第二行", 40.0, 50.0, 60.0, 90.0),
        ("市人民政府", 20.5, 30.0, 120.0, 170.0),
        ("(一)重庆", 20.0, 30.5, 60.0, 110.0),
        ("2021年", 39.0, 49.0, 300.0, 330.0),
    ]
    assert merge_lines(boxes) == [
        ("（一）重庆 市人民政府", 20.0, 30.5, 60.0, 170.0),  # a narrow gap: one space; brackets of Chinese full-width
        ("第二行   2021年", 39.0, 50.0, 60.0, 330.0),  # a wide gap: three spaces, as text layers write it
    ]
    assert merge_lines([("(a)", 0.0, 10.0, 0.0, 20.0)]) == [("(a)", 0.0, 10.0, 0.0, 20.0)]
    assert merge_lines([]) == []


# ---- scanned inputs through the pipeline (read_pages / extract_file with ocr=) ----------------


def _needs_ocr():
    pytest.importorskip("rapidocr")
    pytest.importorskip("onnxruntime")


def _mixed_pdf(tmp_path: Path) -> Path:
    """Page 3 of the sample with its text layer, then page 4 as a picture only."""
    import pypdfium2 as pdfium

    from gazettekg.corpus.scan import scan_pdf

    scan = tmp_path / "scan.pdf"
    scan_pdf(SAMPLE_PDF, scan, 200, [3])
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(SAMPLE_PDF.read_bytes()), [2])
    mixed.import_pages(pdfium.PdfDocument(scan.read_bytes()), [0])
    path = tmp_path / "mixed.pdf"
    mixed.save(path)
    return path


def test_only_the_pages_without_a_text_layer_are_recognised(tmp_path):
    _needs_ocr()
    from gazettekg.extract.pages import read_pages

    path = _mixed_pdf(tmp_path)
    calls = []
    pages = read_pages(path, ocr="auto", on_ocr_page=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 1)]
    assert len(pages) == 2 and all(len(squeeze(p.text)) > 500 for p in pages)
    assert len(read_pages(path, ocr="never")) == 1  # the picture page is left out


def test_without_the_ocr_extra_a_mixed_pdf_warns_and_a_scan_is_an_error(tmp_path, monkeypatch):
    from gazettekg.corpus.scan import scan_pdf
    from gazettekg.extract.errors import InputError, InputWarning
    from gazettekg.extract.pages import read_pages

    path = _mixed_pdf(tmp_path)
    scan = tmp_path / "all-scan.pdf"
    scan_pdf(SAMPLE_PDF, scan, 100, [0])
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "rapidocr" else real(name, *a))
    with pytest.warns(InputWarning, match=r"1 page\(s\) without a text layer were left out \(pages 2\)"):
        assert len(read_pages(path)) == 1
    with pytest.raises(InputError, match=re.escape("no text layer (a scanned document?); OCR needs the ocr extra")):
        read_pages(scan)
    with pytest.raises(InputError, match=re.escape("run with --ocr auto")):
        read_pages(scan, ocr="never")


def test_a_scanned_document_gives_its_tasks(tmp_path):
    """渝府办发〔2021〕151号 (the sample's pages 32–36) as a scan: its tasks against the sample gold."""
    _needs_ocr()
    import json
    import sys

    from gazettekg.corpus.scan import scan_pdf
    from gazettekg.extract.jsonl import write_jsonl
    from gazettekg.extract.pipeline import extract_file

    scan = tmp_path / "scan.pdf"
    scan_pdf(SAMPLE_PDF, scan, 200, list(range(31, 36)))
    x = extract_file(scan, ocr="auto")
    assert "渝府办发〔2021〕151号" in [d.doc_id for d in x.documents]
    write_jsonl([x], tmp_path / "out")
    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("eval_extraction", root / "benchmarks" / "eval_extraction.py")
    evaluation = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = evaluation
    spec.loader.exec_module(evaluation)
    scorer = evaluation.scorer()
    gold_dir = evaluation.eval_sets()["sample"].gold
    gold = [g for g in scorer.load_jsonl(gold_dir / "assignments.jsonl") if g["doc"] == "渝府办发〔2021〕151号"]
    rows = (tmp_path / "out" / "assignments.jsonl").read_text(encoding="utf-8").splitlines()
    pred = [p for p in map(json.loads, rows) if p["doc"] == "渝府办发〔2021〕151号"]
    report = scorer.score_assignments(gold, pred, scorer.load_aliases(gold_dir))
    assert report["pairs"]["f1"] >= 0.9
