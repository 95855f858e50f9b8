"""Hostile and unlucky inputs: whatever the bytes, extraction ends in facts or in one InputError.

Hypothesis mutates real inputs — the sample issue's text, a development document, a small PDF of
the sample — by truncation, byte flips, inserted control characters, deep bracket nesting, long
lines and other encodings. Every outcome must be a result or an ``InputError`` whose message is one
line naming the file: never another exception. Inputs that once broke the pipeline are kept in
tests/data/regressions/ and run every time. The figures over a thousand inputs (time, memory,
outcomes per class) come from benchmarks/fuzz_inputs.py, not from here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazettekg.extract.errors import InputError
from gazettekg.extract.pipeline import extract_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TEXT = (ROOT / "corpus" / "gazette-2022-01.txt").read_bytes()
DEV_TEXT = sorted((ROOT / "tests" / "data" / "eval" / "dev" / "raw").glob("*.txt"))[2].read_bytes()
REGRESSIONS = ROOT / "tests" / "data" / "regressions"
pytestmark = pytest.mark.filterwarnings("ignore::gazettekg.extract.errors.InputWarning")
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def outcome(path: Path) -> str:
    """"ok" or the error line; anything else raised fails the test that calls it."""
    try:
        extract_file(path)
    except InputError as error:
        message = str(error)
        assert "\n" not in message and message.startswith(str(path))
        return message
    return "ok"


@st.composite
def mutated(draw, base: bytes) -> bytes:
    data = bytearray(base[: draw(st.integers(min_value=0, max_value=min(len(base), 60_000)))])
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        kind = draw(st.sampled_from(["flip", "control", "delete", "insert"]))
        if not data:
            break
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif kind == "control":
            data[at:at] = bytes([draw(st.sampled_from([0, 7, 8, 11, 12, 27, 127]))])
        elif kind == "delete":
            del data[at: at + draw(st.integers(min_value=1, max_value=200))]
        else:
            piece = draw(st.sampled_from(["（" * 50, "）" * 50, "〔", "《", "\r", "\n" * 30, "\u3000" * 40]))
            data[at:at] = piece.encode()
    return bytes(data)


@FUZZ
@given(data=mutated(SAMPLE_TEXT))
def test_a_mutated_sample_text_is_read_or_refused_in_one_line(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "issue.txt"
    path.write_bytes(data)
    outcome(path)


@FUZZ
@given(data=mutated(DEV_TEXT), encoding=st.sampled_from(["utf-8", "utf-16", "gb18030", "big5"]))
def test_a_mutated_document_in_any_encoding_is_read_or_refused(tmp_path_factory, data, encoding):
    text = data.decode("utf-8", errors="ignore")
    path = tmp_path_factory.mktemp("fuzz") / "doc.txt"
    path.write_bytes(text.encode(encoding, errors="ignore"))
    outcome(path)


@FUZZ
@given(depth=st.integers(min_value=1, max_value=20_000), one_line=st.booleans())
def test_nesting_and_long_lines_finish(tmp_path_factory, depth, one_line):
    body = "（" * depth + "市应急局负责安全生产" + "）" * depth + "。"
    text = "重庆市人民政府关于印发方案的通知\n渝府发〔2022〕1号\n" + body
    if one_line:
        text = text.replace("\n", "")
    path = tmp_path_factory.mktemp("fuzz") / "deep.txt"
    path.write_text(text, encoding="utf-8")
    outcome(path)


@pytest.fixture(scope="module")
def small_pdf(tmp_path_factory) -> bytes:
    import pypdfium2 as pdfium

    sample = pdfium.PdfDocument((ROOT / "corpus" / "gazette-2022-01.pdf").read_bytes())
    small = pdfium.PdfDocument.new()
    small.import_pages(sample, [0, 1])
    path = tmp_path_factory.mktemp("pdf") / "small.pdf"
    small.save(path)
    return path.read_bytes()


@FUZZ
@given(cut=st.integers(min_value=0, max_value=100_000), flips=st.lists(st.integers(min_value=0), max_size=6))
def test_a_damaged_pdf_is_read_or_refused_in_one_line(tmp_path_factory, small_pdf, cut, flips):
    data = bytearray(small_pdf[: max(8, len(small_pdf) - cut % len(small_pdf))])
    for at in flips:
        data[at % len(data)] ^= 0x5A
    path = tmp_path_factory.mktemp("fuzz") / "damaged.pdf"
    path.write_bytes(bytes(data))
    outcome(path)


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*")), ids=lambda p: p.name)
def test_every_input_that_once_failed(path):
    if path.name == "README.md":
        pytest.skip("the folder's notes")
    outcome(path)
