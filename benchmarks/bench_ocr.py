"""How fast and how well the OCR engines read scanned pages of the sample issue.

    python benchmarks/bench_ocr.py [--pages N] [--workers N]

The first N pages of corpus/gazette-2022-01.pdf are rendered to 300 dpi greyscale images (a
scanner's usual resolution) and read back by each engine: rapidocr through extract.ocr (given the
images as an image-only PDF, as a scanned gazette comes), and tesseract (``tesseract -l chi_sim``,
when installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim). The PDF's text layer is the
reference. Prints pages, seconds (wall clock, start-up included), pages/s and the character error
rate: Levenshtein distance / reference length, over each page's text with all whitespace removed.
CPU s/page is the processor time the engine's processes spent a page, which other work on the
machine does not inflate as it does the wall clock. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium

from gazettekg.extract.ocr import ocr_pdf_pages

SAMPLE_PDF = Path(__file__).resolve().parent.parent / "corpus" / "gazette-2022-01.pdf"
SCAN_DPI = 300


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions), one row of the table at a time."""
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


def cer(references: list[str], hypotheses: list[str]) -> float:
    """Character error rate over pages: their edit distances summed over their reference lengths summed."""
    distance = sum(levenshtein(squeeze(r), squeeze(h)) for r, h in zip(references, hypotheses, strict=True))
    return distance / max(1, sum(len(squeeze(r)) for r in references))


def scan(data: bytes, pages: int) -> tuple[list[str], list]:
    """The text layer and a greyscale page image at SCAN_DPI of each of the first ``pages`` pages."""
    document = pdfium.PdfDocument(data)
    texts, images = [], []
    for index in range(min(pages, len(document))):
        page = document[index]
        textpage = page.get_textpage()
        texts.append(textpage.get_text_range())
        images.append(page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil())
        textpage.close()
        page.close()
    document.close()
    return texts, images


def image_pdf(images: list) -> bytes:
    """The images as the pages of a PDF with no text layer, each its own size at SCAN_DPI."""
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    return out.getvalue()


def run_rapidocr(images: list, workers: int) -> list[str]:
    lines = ocr_pdf_pages(image_pdf(images), "scan.pdf", list(range(len(images))), workers=workers)
    return ["\n".join(line[0] for line in lines[index]) for index in range(len(images))]


def run_tesseract(images: list, workers: int) -> list[str]:
    def read(image) -> str:
        png = io.BytesIO()
        image.save(png, format="PNG")
        # One thread per tesseract: the pages themselves run side by side, as many as workers.
        result = subprocess.run(["tesseract", "stdin", "stdout", "-l", "chi_sim", "--dpi", str(SCAN_DPI)],
                                input=png.getvalue(), capture_output=True, check=True,
                                env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        return result.stdout.decode()

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(read, images))


def children_cpu() -> float:
    """User and system seconds of the finished child processes (OCR workers, tesseract runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tesseract_missing() -> str | None:
    """Why tesseract cannot run here, or None."""
    if shutil.which("tesseract") is None:
        return "not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
    languages = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
    if "chi_sim" not in languages:
        return "no chi_sim language data (apt-get install tesseract-ocr-chi-sim)"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=6, help="how many pages, from the first (default 6)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="pages read side by side (default: one per core)")
    args = parser.parse_args()

    references, images = scan(SAMPLE_PDF.read_bytes(), args.pages)
    print(f"OCR of {SAMPLE_PDF.name}: {len(images)} pages scanned at {SCAN_DPI} dpi, "
          f"{args.workers} workers on {os.cpu_count()} cores")
    engines = {"rapidocr": run_rapidocr, "tesseract": run_tesseract}
    for name, run in engines.items():
        if name == "tesseract" and (reason := tesseract_missing()):
            print(f"  {name:<10} {reason}")
            continue
        start, cpu = time.perf_counter(), children_cpu()
        texts = run(images, args.workers)
        seconds, cpu = time.perf_counter() - start, children_cpu() - cpu
        print(f"  {name:<10} {len(texts):3d} pages  {seconds:7.1f} s  {len(texts) / seconds:6.3f} pages/s"
              f"  {cpu / len(texts):5.1f} CPU s/page  CER {cer(references, texts):.4f}")


if __name__ == "__main__":
    main()
