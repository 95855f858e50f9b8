"""The same document in other layouts: the variants the layout-invariance tests extract.

A document's paragraphs (its clean text, one paragraph a line) are laid out again the ways real
inputs come: indented with 　　 or with spaces, hard-wrapped at another width, not wrapped at all,
with CRLF line ends, inside web-page furniture, and as PDFs with other margins, type size,
indentation and running header/footer. Extraction must give the same facts for every variant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from wcwidth import wcswidth


def _wrap(paragraph: str, width: int) -> list[str]:
    """Cut a paragraph into lines of ``width`` display cells (CJK = 2), never before a stop."""
    lines: list[str] = []
    current, used = "", 0
    for ch in paragraph:
        w = max(wcswidth(ch), 1)
        if used + w > width and current and ch not in "，。、；：！？”）》】":
            lines.append(current)
            current, used = "", 0
        current += ch
        used += w
    if current:
        lines.append(current)
    return lines


def relayout(paragraphs: Iterable[str], *, width: int | None = None, indent: str = "",
             gap: bool = False, newline: str = "\n") -> str:
    """Paragraphs as text: first lines indented by ``indent``, wrapped at ``width`` characters
    (None: one line a paragraph), an empty line between paragraphs when ``gap``."""
    out: list[str] = []
    for paragraph in paragraphs:
        lines = _wrap(paragraph, width * 2) if width else [paragraph]
        if width and indent:
            # The indent takes room on the first line: wrap that one shorter.
            first_room = width * 2 - wcswidth(indent)
            head = _wrap(paragraph, first_room)[0]
            lines = [head, *_wrap(paragraph[len(head):], width * 2)] if paragraph[len(head):] else [head]
        out.append(indent + lines[0])
        out.extend(lines[1:])
        if gap:
            out.append("")
    return newline.join(out) + newline


WEB_HEADER = [
    "首页 > 政务公开 > 政策文件",
    "【字体：大 中 小】 打印本页 关闭窗口",
    "来源：市政府办公厅",
    "发布时间：2022-01-20 10:30",
]
WEB_FOOTER = ["扫一扫在手机打开当前页", "【打印本页】 【关闭窗口】", "← 上一篇 下一篇 →"]


def with_web_furniture(paragraphs: Iterable[str]) -> str:
    """Paragraphs one a line, between a site's navigation header and its sharing footer."""
    return "\n".join([*WEB_HEADER, *paragraphs, *WEB_FOOTER]) + "\n"


TEXT_LAYOUTS: dict[str, Callable[[list[str]], str]] = {
    "indent-fullwidth-30": lambda p: relayout(p, width=30, indent="\u3000\u3000"),
    "indent-spaces-33": lambda p: relayout(p, width=33, indent="    "),
    "wrap-20": lambda p: relayout(p, width=20),
    "wrap-45-gaps": lambda p: relayout(p, width=45, gap=True),
    "wrap-80-indent": lambda p: relayout(p, width=80, indent="\u3000\u3000"),
    "one-line-crlf": lambda p: relayout(p, newline="\r\n"),
    "one-line-indented-gaps": lambda p: relayout(p, indent="\u3000\u3000", gap=True),
    "web-page": with_web_furniture,
}


def paragraphs_of(clean_text: str) -> list[str]:
    return [line for line in clean_text.split("\n") if line.strip()]


def write_text_variants(clean_text: str, folder: Path, stem: str) -> dict[str, Path]:
    """Every text layout of a document's clean text, written as ``folder/stem.LAYOUT.txt``."""
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = paragraphs_of(clean_text)
    out = {}
    for name, layout in TEXT_LAYOUTS.items():
        path = folder / f"{stem}.{name}.txt"
        path.write_bytes(layout(paragraphs).encode("utf-8"))
        out[name] = path
    return out


# ---- PDF layouts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PdfLayout:
    """How a re-laid-out PDF sets its paragraphs (points; A4 unless landscape)."""

    margin: float = 72.0
    size: float = 12.0
    leading: float = 1.6  # line pitch as a multiple of the size
    indent: int = 2  # first-line indent in characters
    header: str = ""  # running header text ("" for none)
    footer: str = "- {n} -"  # page-number footer ("" for none); {n} page, {m} pages
    paragraph_gap: float = 0.0  # extra space between paragraphs, in lines


PDF_LAYOUTS: dict[str, PdfLayout] = {
    "pdf-wide-margins-12pt": PdfLayout(margin=90.0, size=12.0, indent=2, header="政府公报", footer="第{n}页 共{m}页"),
    "pdf-narrow-9pt-spaced": PdfLayout(margin=40.0, size=9.0, leading=1.9, indent=0, header="",
                                       footer="— {n} —", paragraph_gap=0.6),
}


def render_paragraphs_pdf(paragraphs: list[str], dest: Path, layout: PdfLayout) -> int:
    """Set ``paragraphs`` as a PDF in ``layout`` (text wrapped to the measure); returns its pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    measure = width - 2 * layout.margin
    pitch = layout.size * layout.leading
    top, bottom = height - layout.margin, layout.margin
    lines: list[tuple[float, str] | None] = []  # (x offset, text); None: a paragraph gap
    for paragraph in paragraphs:
        text = paragraph.replace("\t", "   ")
        first = True
        while text:
            room = measure - (layout.indent * layout.size if first else 0)
            cut = 1
            while cut < len(text) and pdfmetrics.stringWidth(text[: cut + 1], font, layout.size) <= room:
                cut += 1
            while cut < len(text) and text[cut] in "，。、；：！？”）》】":
                cut += 1  # a stop never opens a line
            lines.append((layout.indent * layout.size if first else 0.0, text[:cut]))
            text, first = text[cut:], False
        if layout.paragraph_gap:
            lines.append(None)
    pages: list[list[tuple[float, str] | None]] = [[]]
    used = 0.0
    for line in lines:
        step = pitch * layout.paragraph_gap if line is None else pitch
        if used + step > top - bottom and pages[-1]:
            pages.append([])
            used = 0.0
        pages[-1].append(line)
        used += step
    pdf = canvas.Canvas(str(dest), pagesize=A4, invariant=1, pageCompression=1)
    for n, page in enumerate(pages, start=1):
        if layout.header:
            pdf.setFont(font, 9)
            pdf.drawCentredString(width / 2, height - layout.margin / 2, layout.header)
        if layout.footer:
            pdf.setFont(font, 9)
            pdf.drawCentredString(width / 2, layout.margin / 2, layout.footer.format(n=n, m=len(pages)))
        pdf.setFont(font, layout.size)
        y = top
        for line in page:
            if line is None:
                y -= pitch * layout.paragraph_gap
                continue
            x, text = line
            pdf.drawString(layout.margin + x, y, text)
            y -= pitch
        pdf.showPage()
    pdf.save()
    return len(pages)


def write_pdf_variants(clean_text: str, folder: Path, stem: str) -> dict[str, Path]:
    """Every PDF layout of a document's clean text, written as ``folder/stem.LAYOUT.pdf``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, layout in PDF_LAYOUTS.items():
        path = folder / f"{stem}.{name}.pdf"
        render_paragraphs_pdf(paragraphs_of(clean_text), path, layout)
        out[name] = path
    return out
