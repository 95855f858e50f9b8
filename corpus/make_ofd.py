"""Render a gazette's paragraphs as an OFD (GB/T 33190), to exercise the OFD side of the input edge.

    python -m gazettekg.corpus.make_ofd [SRC] [DEST]

reads SRC (default corpus/gazette-2022-01.txt) the way the pipeline does, into paragraphs, and
writes them to DEST (default: SRC with the suffix .ofd) as an A4 gazette: 25 mm margins, 5.6 mm
(16 pt, 三号) type, every paragraph's first line indented two characters, lines wrapped to the
measure with closing punctuation never starting a line (it hangs into the margin instead), as many
pages as it takes.

The package is the minimal valid one: ``OFD.xml`` (DocInfo, DocRoot) -> ``Doc_0/Document.xml``
(CommonData with MaxUnitID, PageArea and PublicRes; Pages) -> ``Doc_0/PublicRes.xml`` (two fonts,
named and not embedded: the reader's own 宋体 and Times New Roman stand in) and
``Doc_0/Pages/Page_N/Content.xml``. Each line is written as several TextObjects, the way producers
write them: one per run of CJK or Latin text (a font each), a space ending a run and left as a
gap, not a glyph. A TextObject's Boundary is the run's box on the page (millimetres, origin at
the page's top-left corner, Y down); its TextCode sits at X=0 and Y=the baseline inside that box,
and DeltaX gives the advances in the ``g N ADVANCE`` repeat form. Output is byte-for-byte
deterministic (fixed zip timestamps, a DocID hashed from the text).
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

PAGE_WIDTH = 210.0  # A4, millimetres
PAGE_HEIGHT = 297.0
LINE_PITCH = 1.6  # baseline to baseline, in type sizes
ASCENT = 0.88  # baseline below the top of the em box, in type sizes
INDENT = 2  # first-line indent, in characters
NS = "http://www.ofdspec.org/2016"
ZIP_DATE = (2022, 1, 1, 0, 0, 0)
CJK_FONT, LATIN_FONT = 1, 2  # resource IDs in PublicRes.xml
# Never at the start of a line (they hang into the margin instead): closing marks.
NO_LINE_START = set("，。、；：？！）》」』”’〕】〗〉…—·%,.;:?!)]")


def advance(ch: str) -> float:
    """A character's advance in ems: 1 for CJK and other full-width (or ambiguous-width, as Chinese
    fonts set “”—·) characters, ½ for Latin letters, digits and spaces."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5


def wrap(paragraph: str, measure: float) -> list[tuple[str, float]]:
    """A paragraph's lines as (text, indent in ems), the first indented, each at most ``measure``
    ems wide except for hanging closing punctuation."""
    text = " ".join(paragraph.split())
    lines: list[tuple[str, float]] = []
    start, indent = 0, float(INDENT)
    while start < len(text):
        width, end = indent, start
        while end < len(text) and width + advance(text[end]) <= measure + 1e-9:
            width += advance(text[end])
            end += 1
        while end < len(text) and text[end] in NO_LINE_START:
            end += 1  # hang it
        end = max(end, start + 1)
        lines.append((text[start:end].rstrip(" "), indent))
        start, indent = end, 0.0
        while start < len(text) and text[start] == " ":
            start += 1
    return lines


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    font: int
    left: float  # ems from the line's start


def runs(line: str, indent: float) -> list[Run]:
    """A line cut into runs of one font each, a space ending a run (and left as a gap)."""
    out: list[Run] = []
    x, start, out_font = indent, indent, CJK_FONT
    current = ""
    for ch in line + " ":
        font = CJK_FONT if advance(ch) == 1.0 else LATIN_FONT
        if current and (ch == " " or font != out_font):
            out.append(Run(current, out_font, start))
            current = ""
        if ch != " ":
            if not current:
                start, out_font = x, font
            current += ch
        x += advance(ch)
    return out


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


class _Ids:
    def __init__(self, first: int) -> None:
        self.last = first - 1

    def next(self) -> int:
        self.last += 1
        return self.last


def _page_xml(lines: list[tuple[str, float]], size: float, margin: float, ids: _Ids) -> str:
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}">',
           "<ofd:Content>", f'<ofd:Layer ID="{ids.next()}">']
    for row, (line, indent) in enumerate(lines):
        top = margin + row * size * LINE_PITCH
        for run in runs(line, indent):
            steps = [advance(ch) * size for ch in run.text]
            width = sum(steps)
            delta = ""
            if len(run.text) > 1:
                uniform = len(set(steps[:-1])) == 1
                delta = (f' DeltaX="g {len(steps) - 1} {_num(steps[0])}"' if uniform
                         else f' DeltaX="{" ".join(_num(s) for s in steps[:-1])}"')
            boundary = f"{_num(margin + run.left * size)} {_num(top)} {_num(width)} {_num(size)}"
            out.append(f'<ofd:TextObject ID="{ids.next()}" Boundary="{boundary}" Font="{run.font}" '
                       f'Size="{_num(size)}"><ofd:FillColor Value="0 0 0"/>'
                       f'<ofd:TextCode X="0" Y="{_num(ASCENT * size)}"{delta}>{escape(run.text)}</ofd:TextCode>'
                       "</ofd:TextObject>")
    out += ["</ofd:Layer>", "</ofd:Content>", "</ofd:Page>", ""]
    return "\n".join(out)


def layout(paragraphs: list[str], font_size_mm: float, margin_mm: float) -> list[list[tuple[str, float]]]:
    """The pages' lines as (text, indent in ems)."""
    measure = (PAGE_WIDTH - 2 * margin_mm) / font_size_mm
    per_page = int((PAGE_HEIGHT - 2 * margin_mm - font_size_mm) / (font_size_mm * LINE_PITCH)) + 1
    if measure < INDENT + 2 or per_page < 1:
        raise ValueError(f"a {font_size_mm} mm type size does not fit within {margin_mm} mm margins on A4")
    lines = [line for paragraph in paragraphs if paragraph.strip() for line in wrap(paragraph, int(measure + 1e-9))]
    return [lines[k:k + per_page] for k in range(0, len(lines), per_page)] or [[]]


def write_ofd(paragraphs: list[str], dest: Path, *, font_size_mm: float = 5.6, margin_mm: float = 25.0) -> int:
    """Write ``paragraphs`` to ``dest`` as an A4 OFD laid out like a gazette; return its page count.

    Empty paragraphs are skipped; no paragraphs give one empty page.
    """
    pages = layout(paragraphs, font_size_mm, margin_mm)
    ids = _Ids(CJK_FONT + 2)  # 1 and 2 are the fonts
    page_ids = [ids.next() for _ in pages]
    contents = [_page_xml(lines, font_size_mm, margin_mm, ids) for lines in pages]
    doc_id = hashlib.md5("\n".join(paragraphs).encode("utf-8")).hexdigest()
    title = next((p.strip() for p in paragraphs if p.strip()), "")[:60]
    ofd_xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">\n'
               "<ofd:DocBody>\n<ofd:DocInfo>\n"
               f"<ofd:DocID>{doc_id}</ofd:DocID>\n<ofd:Title>{escape(title)}</ofd:Title>\n"
               "<ofd:Creator>gazettekg</ofd:Creator>\n<ofd:CreationDate>2022-01-01</ofd:CreationDate>\n"
               "</ofd:DocInfo>\n<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>\n</ofd:DocBody>\n</ofd:OFD>\n")
    page_list = "\n".join(f'<ofd:Page ID="{pid}" BaseLoc="Pages/Page_{k}/Content.xml"/>'
                          for k, pid in enumerate(page_ids))
    document_xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NS}">\n<ofd:CommonData>\n'
                    f"<ofd:MaxUnitID>{ids.last}</ofd:MaxUnitID>\n"
                    f"<ofd:PageArea><ofd:PhysicalBox>0 0 {_num(PAGE_WIDTH)} {_num(PAGE_HEIGHT)}</ofd:PhysicalBox>"
                    "</ofd:PageArea>\n<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>\n</ofd:CommonData>\n"
                    f"<ofd:Pages>\n{page_list}\n</ofd:Pages>\n</ofd:Document>\n")
    fonts = [(CJK_FONT, "宋体"), (LATIN_FONT, "Times New Roman")]
    public_res = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">\n<ofd:Fonts>\n'
                  + "".join(f"<ofd:Font ID=\"{fid}\" FontName={quoteattr(fname)} FamilyName={quoteattr(fname)}/>\n"
                            for fid, fname in fonts)
                  + "</ofd:Fonts>\n</ofd:Res>\n")
    members = [("OFD.xml", ofd_xml), ("Doc_0/Document.xml", document_xml), ("Doc_0/PublicRes.xml", public_res)]
    members += [(f"Doc_0/Pages/Page_{k}/Content.xml", xml) for k, xml in enumerate(contents)]
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w") as archive:
        for member, xml in members:
            info = zipfile.ZipInfo(member, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform, so that the bytes never differ
            info.external_attr = 0o644 << 16
            archive.writestr(info, xml.encode("utf-8"))
    return len(pages)


def main(argv: list[str]) -> int:
    from gazettekg.extract.cleantext import clean_pages
    from gazettekg.extract.pages import read_pages

    src = Path(argv[0]) if argv else Path(__file__).resolve().parent / "gazette-2022-01.txt"
    dest = Path(argv[1]) if len(argv) > 1 else src.with_suffix(".ofd")
    paragraphs = clean_pages(read_pages(src), src.name).text.split("\n")
    pages = write_ofd(paragraphs, dest)
    print(f"{dest}: {pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
