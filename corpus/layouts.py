"""The same document in other layouts: the variants the layout-invariance tests extract.

A document's paragraphs (its clean text, one paragraph a line) are laid out again the ways real
inputs come: indented with 　　 or with spaces, hard-wrapped at another width, not wrapped at all,
with CRLF line ends, inside web-page furniture, and as PDFs with other margins, type size,
indentation and running header/footer. Extraction must give the same facts for every variant.
"""

from __future__ import annotations

import re
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


# ---- web page and Word ------------------------------------------------------------------------

_META_ROWS = (("索 引 号", "000000000/2022-00001", "主题分类", "综合政务"),
              ("发文机关", "{issuer}", "成文日期", "{date}"),
              ("标　　题", "{title}", "", ""),
              ("发文字号", "{number}", "发布日期", "{published}"))


def to_html(paragraphs: list[str], metadata: dict[str, str] | None = None) -> str:
    """Paragraphs as a saved government web page: site navigation, a gov.cn metadata table, the
    article (TAB lines as a table), share and print links, a footer."""
    import html as escape

    metadata = {"issuer": "", "date": "", "title": "", "number": "", "published": "2022-01-20", **(metadata or {})}
    cells = "".join(
        "<tr>" + "".join(f"<td><b>{escape.escape(k)}：</b></td><td>{escape.escape(v.format(**metadata))}</td>"
                         for k, v in ((a, b), (c, d)) if k) + "</tr>"
        for a, b, c, d in _META_ROWS)
    body: list[str] = []
    table: list[str] = []
    for paragraph in [*paragraphs, ""]:
        if "\t" in paragraph:
            table.append("<tr>" + "".join(f"<td><p>{escape.escape(c)}</p></td>" for c in paragraph.split("\t"))
                         + "</tr>")
            continue
        if table:
            body.append("<table border=\"1\">" + "".join(table) + "</table>")
            table = []
        if paragraph:
            body.append(f"<p style=\"text-indent:2em\">{escape.escape(paragraph)}</p>")
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>政策文件</title>"
        "<script>var x = '<p>不是正文</p>';</script><style>p{margin:0}</style></head><body>"
        "<div class=\"header\"><div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/zc\">政策</a> "
        "<a href=\"/hd\">互动</a></div></div>"
        "<div class=\"crumb\">当前位置：首页 &gt; 政务公开 &gt; 政策文件</div>"
        f"<div class=\"wrap\"><table class=\"xxgk\">{cells}</table>"
        "<div class=\"pages-date\">2022-01-20 10:30 来源：市政府办公厅</div>"
        "<div class=\"font\">【字体：<a>大</a> <a>中</a> <a>小</a>】</div>"
        f"<div class=\"pages_content\" id=\"UCAP-CONTENT\">{''.join(body)}</div>"
        "<div class=\"share\">分享到：微信 微博</div><div>扫一扫在手机打开当前页</div>"
        "<div class=\"print\">【打印本页】 【关闭窗口】</div></div>"
        "<div class=\"footer\">版权所有：某某市人民政府办公厅 ICP备05000000号</div></body></html>"
    )


_LEVEL_FORMATS = {  # heading level -> (number format, label pattern) of a Word list
    "chapter": ("chineseCounting", "%1、"),
    "section": ("chineseCounting", "（%1）"),
    "item": ("decimal", "%1．"),
    "subitem": ("decimal", "（%1）"),
    "article": ("chineseCounting", "第%1条 "),
}


def write_docx(paragraphs: list[str], dest: Path) -> None:
    """Paragraphs as a Word file whose headings (一、 （一） 1． （1） 第X条) are automatic numbering,
    as Word writes them: the number lives in numbering.xml, not in the text. TAB lines make a table."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from gazettekg.extract.headings import match_heading
    from gazettekg.extract.numbers import parse_chinese_numeral

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract_ids: dict[str, int] = {}
    for k, (level, (fmt, text)) in enumerate(_LEVEL_FORMATS.items()):
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(100 + k))
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), "0")
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            lvl.append(element)
        abstract.append(lvl)
        numbering.insert(k, abstract)
        abstract_ids[level] = 100 + k
    counters: dict[str, int] = {}
    instances: dict[str, int] = {}
    next_num = [500]

    def num_for(level: str, number: int) -> int:
        if counters.get(level, 0) + 1 != number or level not in instances:
            num = OxmlElement("w:num")
            num.set(qn("w:numId"), str(next_num[0]))
            abstract = OxmlElement("w:abstractNumId")
            abstract.set(qn("w:val"), str(abstract_ids[level]))
            num.append(abstract)
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), "0")
            start = OxmlElement("w:startOverride")
            start.set(qn("w:val"), str(number))
            override.append(start)
            num.append(override)
            numbering.append(num)
            instances[level] = next_num[0]
            next_num[0] += 1
        counters[level] = number
        return instances[level]

    rows: list[list[str]] = []
    for paragraph in [*paragraphs, ""]:
        if "\t" in paragraph:
            rows.append(paragraph.split("\t"))
            continue
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            rows = []
        if not paragraph:
            continue
        found = match_heading(paragraph)
        label = paragraph[: found[2]] if found else ""
        digits = "".join(ch for ch in label if ch.isdigit())
        core = re.sub(r"[（）()、．.第条\s]", "", label)
        if found and found[0] in _LEVEL_FORMATS and (digits or core):
            number = int(digits) if digits else parse_chinese_numeral(core)
            p = document.add_paragraph(paragraph[found[2]:])
            num_pr = OxmlElement("w:numPr")
            ilvl = OxmlElement("w:ilvl")
            ilvl.set(qn("w:val"), "0")
            num_id = OxmlElement("w:numId")
            num_id.set(qn("w:val"), str(num_for(found[0], number)))
            num_pr.append(ilvl)
            num_pr.append(num_id)
            p._p.get_or_add_pPr().append(num_pr)
        else:
            document.add_paragraph(paragraph)
    document.save(str(dest))


def write_format_variants(clean_text: str, folder: Path, stem: str,
                          metadata: dict[str, str] | None = None) -> dict[str, Path]:
    """The document as a saved web page, as a Word file with automatic numbering and as an OFD."""
    from gazettekg.corpus.make_ofd import write_ofd

    folder.mkdir(parents=True, exist_ok=True)
    paragraphs = paragraphs_of(clean_text)
    html_path = folder / f"{stem}.html"
    html_path.write_text(to_html(paragraphs, metadata), encoding="utf-8")
    docx_path = folder / f"{stem}.docx"
    write_docx(paragraphs, docx_path)
    ofd_path = folder / f"{stem}.ofd"
    write_ofd(paragraphs, ofd_path)
    return {"html": html_path, "docx": docx_path, "ofd": ofd_path}
