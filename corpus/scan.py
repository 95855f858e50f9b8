"""Image-only ("scanned") PDFs made from PDFs with a text layer, for OCR tests and benchmarks.

    python -m gazettekg.corpus.scan corpus/gazette-2022-01.pdf out/scan.pdf [--dpi 200] [--pages 31-36]

Each page is rendered to a greyscale picture and the pictures are wrapped as a PDF: what a
scanner gives, without a text layer.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path


def scan_pdf(source: Path, dest: Path, dpi: int = 200, pages: list[int] | None = None) -> int:
    """Write ``dest``, the (0-based) ``pages`` of ``source`` (default all) as page pictures; return
    the page count."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(Path(source).read_bytes())
    indexes = pages if pages is not None else list(range(len(document)))
    images = []
    for index in indexes:
        page = document[index]
        images.append(page.render(scale=dpi / 72, grayscale=True).to_pil())
        page.close()
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    Path(dest).parent.mkdir(parents=True, exist_ok=True)
    Path(dest).write_bytes(buffer.getvalue())
    return len(images)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--pages", help="1-based, inclusive: 31-36")
    args = parser.parse_args(argv)
    pages = None
    if args.pages:
        first, _, last = args.pages.partition("-")
        pages = list(range(int(first) - 1, int(last or first)))
    print(f"{args.dest}: {scan_pdf(args.source, args.dest, args.dpi, pages)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
