"""Damaged PDFs (extract/pdfcheck.py): read with a warning naming the pages, refused with --strict."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from gazettekg.cli import main
from gazettekg.extract.errors import InputError, InputWarning
from gazettekg.extract.pages import read_pages
from gazettekg.extract.pdfcheck import check_pdf

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "gazette-2022-01.pdf"


def _flipped_content(page_number: int) -> bytes:
    """The sample PDF with one bit flipped in the middle of a page's compressed content stream."""
    data = SAMPLE.read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        contents = pdf.pages[page_number - 1].obj["/Contents"]
        stream = contents[0] if isinstance(contents, pikepdf.Array) else contents
        raw = stream.read_raw_bytes()
    at = data.index(raw) + len(raw) // 2
    damaged = bytearray(data)
    damaged[at] = damaged[at] ^ 0x02 if chr(damaged[at] ^ 0x02).isalnum() else damaged[at] ^ 0x01
    return bytes(damaged)


def test_a_whole_pdf_is_not_damaged():
    damage = check_pdf(SAMPLE.read_bytes())
    assert damage is not None and not damage.damaged


@pytest.mark.parametrize("page", [2, 17])
def test_a_flipped_byte_is_reported_with_its_page(tmp_path, page):
    path = tmp_path / "flipped.pdf"
    path.write_bytes(_flipped_content(page))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        read_pages(path, ocr="never")
    said = [str(w.message) for w in caught if isinstance(w.message, InputWarning)]
    assert len(said) == 1 and "damaged" in said[0] and f"page(s) {page}" in said[0], said
    with pytest.raises(InputError, match="--strict"):
        read_pages(path, ocr="never", strict=True)


def test_a_broken_cross_reference_table_is_reported(tmp_path):
    data = SAMPLE.read_bytes()
    at = data.rindex(b"startxref") + len(b"startxref\n")
    path = tmp_path / "xref.pdf"
    path.write_bytes(data[:at] + b"9" + data[at + 1:])  # the table's offset points elsewhere
    damage = check_pdf(path.read_bytes())
    assert damage is not None and damage.repairs


def test_the_command_line_warns_and_strict_refuses(tmp_path):
    path = tmp_path / "flipped.pdf"
    path.write_bytes(_flipped_content(5))
    runner = CliRunner()
    warned = runner.invoke(main, ["extract", str(path), "--ocr", "never", "--out", str(tmp_path / "a")])
    assert warned.exit_code == 0
    assert "warning:" in warned.output and "flipped.pdf" in warned.output and "page(s) 5" in warned.output
    refused = runner.invoke(main, ["extract", str(path), "--ocr", "never", "--strict", "--out", str(tmp_path / "b")])
    assert refused.exit_code == 1 and "--strict" in refused.output and "Traceback" not in refused.output
