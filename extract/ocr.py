"""Text on page images: OCR for scanned (image-only) PDF pages.

Each page is rendered with pypdfium2 and read with rapidocr (PP-OCR's detection and recognition
models on onnxruntime). The models are the ones rapidocr's wheel ships, loaded by path: nothing is
downloaded at run time. A page comes back as its text lines in reading order, each placed on the
page in points from its top edge, as the text layer's lines are (extract.pdf.PlacedLine), so the
caller can treat both alike.

Reading a page costs ~8 s of one core (benchmarks/bench_ocr.py), nearly all of it in the recogniser,
which reads each detected line scaled to 48 px high, so pages are spread over worker processes, one
OCR engine each. The calling script needs the ``if __name__ == "__main__":`` guard (spawned workers).
"""

from __future__ import annotations

import importlib.util
import itertools
import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from gazettekg.extract.errors import InputError

# Rendering resolution. Body text (10.5 pt) is ~29 px high at 200 dpi. On six pages of the sample
# issue the character error rate was 0.56% at 150 dpi, 0.54% at 200, 0.49% at 300, all of it
# punctuation (ASCII forms, dropped —— dashes): 200 keeps a margin for small print (notes, tables)
# without 300's memory.
DPI = 200
# The detector sees the page scaled so that its longer side is this many pixels (10.5 pt lines
# ~16 px high). At 200 dpi: 0.5 s a page and 0.54% errors; the full 2339 px, 2.7 s and 0.43% (it
# also finds the odd page-number footer this misses); 960 px, 0.3 s and 0.54%, less margin for
# small print.
DETECT_SIDE = 1280
# Two boxes on one line further apart than this many line heights are columns or fields set apart;
# they are joined by three spaces, as extract.pdf writes wide gaps, else by one.
WIDE_GAP = 1.4

Line = tuple[str, float, float, float, float]  # text, top, bottom, left, right (points from the top)

INSTALL_HINT = "OCR needs the ocr extra: pip install 'gazettekg[ocr]'"


class OcrUnavailable(Exception):
    """rapidocr or onnxruntime is not installed (or ships no usable models)."""


def ocr_pdf_pages(
    data: bytes,
    name: str,
    page_indexes: list[int],
    workers: int | None = None,
    on_page: Callable[[int], object] | None = None,
) -> dict[int, list[Line]]:
    """The text lines of the given 0-based pages of a PDF, recognised on the rendered page images,
    by page index: (text, top, bottom, left, right) in points from the page's top edge, top to bottom.

    Pages run in ``workers`` processes (default: one per core). ``on_page(index)`` is called in the
    calling process as each page finishes, in the order they finish (``lambda _: bar.update(1)``
    drives a progress bar). A page pdfium cannot render raises InputError naming ``name``.
    """
    models = _packaged_models()
    if not page_indexes:
        return {}
    workers = max(1, min(workers or os.cpu_count() or 1, len(page_indexes)))
    # The cores are shared out: onnxruntime would otherwise start a thread per core in every worker.
    threads = max(1, (os.cpu_count() or 1) // workers)
    results: dict[int, list[Line]] = {}
    # spawn, not fork: a forked child inherits the caller's threads' locks (the CLI, a notebook) and
    # can hang on them. Each worker gets the PDF once, through the initializer, not once per page.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_worker, initargs=(data, name, models, threads)) as pool:
        futures = {pool.submit(_ocr_page, index): index for index in page_indexes}
        try:
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if on_page is not None:
                    on_page(futures[future])
        except BaseException:
            pool.shutdown(cancel_futures=True)  # no point reading the other pages
            raise
    return {index: results[index] for index in page_indexes}


def _packaged_models() -> dict[str, str]:
    """The detection and recognition models inside the installed rapidocr package, by config key.
    Given paths, rapidocr loads them as they are instead of resolving its default models (and
    downloading one it finds missing); the recogniser carries its character list in its metadata."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None or importlib.util.find_spec("onnxruntime") is None:
        raise OcrUnavailable(INSTALL_HINT)
    models = Path(spec.origin).parent / "models"
    paths = {}
    for key, task in (("Det.model_path", "det"), ("Rec.model_path", "rec")):
        found = sorted(models.glob(f"*_{task}_*.onnx"))
        if len(found) != 1:
            raise OcrUnavailable(f"rapidocr's package holds {len(found)} {task} models, not one; {INSTALL_HINT}")
        paths[key] = str(found[0])
    return paths


# --- in the worker processes ---

_engine = None
_document = None
_name = ""


def _start_worker(data: bytes, name: str, models: dict[str, str], threads: int) -> None:
    global _engine, _document, _name
    import pypdfium2 as pdfium
    from rapidocr import RapidOCR

    _engine = RapidOCR(params={
        **models,
        "Global.log_level": "error",
        # Gazette lines are upright: the 180° line classifier could only turn one the wrong way.
        "Global.use_cls": False,
        # rapidocr shrinks images to 2000 px by default: keep the rendering's resolution for recognition.
        "Global.max_side_len": 20000,
        "Det.limit_type": "max",
        "Det.limit_side_len": DETECT_SIDE,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        # rapidocr turns onnxruntime's memory arena off; on, reusing buffers across lines reads ~8% faster.
        "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
    })
    _document = pdfium.PdfDocument(data)
    _name = name


def _ocr_page(index: int) -> list[Line]:
    import pypdfium2 as pdfium

    scale = DPI / 72
    try:
        page = _document[index]
        try:
            image = page.render(scale=scale).to_numpy()
        finally:
            page.close()
    except (pdfium.PdfiumError, IndexError) as error:
        raise InputError(_name, f"page {index + 1} cannot be rendered for OCR ({error})") from None
    result = _engine(image)
    boxes = []
    for text, quad in zip(result.txts or (), result.boxes if result.boxes is not None else (), strict=True):
        xs, ys = [float(x) / scale for x, _ in quad], [float(y) / scale for _, y in quad]
        boxes.append((text, min(ys), max(ys), min(xs), max(xs)))
    return merge_lines(boxes)


# --- boxes to lines ---

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
# The recogniser writes the full-width brackets of Chinese text as ASCII ones; text layers (and
# gazettes) have full-width brackets around Chinese, as （2021—2025年） or （一）.
_BRACKETS = str.maketrans("()", "（）")


def merge_lines(boxes: list[Line]) -> list[Line]:
    """Detected boxes (text, top, bottom, left, right) as lines: boxes whose vertical centres lie
    within half a line height of each other make one line, left to right; lines top to bottom."""
    rows: list[list[Line]] = []
    for box in sorted(boxes, key=lambda b: (b[1] + b[2]) / 2):
        centre, height = (box[1] + box[2]) / 2, box[2] - box[1]
        if rows:
            last = rows[-1]
            top, bottom = min(b[1] for b in last), max(b[2] for b in last)
            if abs(centre - (top + bottom) / 2) < min(height, bottom - top) / 2:
                last.append(box)
                continue
        rows.append([box])
    lines = []
    for row in rows:
        row.sort(key=lambda b: b[3])
        top, bottom = min(b[1] for b in row), max(b[2] for b in row)
        text = row[0][0]
        for previous, box in itertools.pairwise(row):
            text += "   " if box[3] - previous[4] > WIDE_GAP * (bottom - top) else " "
            text += box[0]
        if _HAN.search(text):
            text = text.translate(_BRACKETS)
        lines.append((text.strip(), top, bottom, row[0][3], row[-1][4]))
    return lines
