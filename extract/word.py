"""A Word file -> its lines as printed: automatic numbering rendered, tables as TAB-separated rows.

Word keeps a heading's number (一、 （一） 1．) out of the text: the paragraph refers to a numbering
definition (numbering.xml: per level a format such as chineseCounting or decimal, and a pattern
such as "（%2）"), and Word counts. The reader counts the same way, so that the heading tree sees
the numbers a reader of the printed page sees. Table rows become one line each, their cells
joined by TABs, as a web table copied out of a browser reads. .doc and .wps files are converted
to .docx with LibreOffice (``soffice``) when it is installed.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from gazettekg.extract.errors import InputError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五 (as Word's chineseCounting prints them)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + chinese_number(rest) if rest < 10 else
                                 ("一" + chinese_number(rest) if rest < 20 else chinese_number(rest)))
    return _DIGITS[n // 100] + "百" + tail


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "taiwaneseCounting",
               "ideographDigital"):
        return chinese_number(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


class _Numbering:
    """Word's list counters: the label each numbered paragraph shows."""

    def __init__(self, numbering_xml) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId -> ilvl -> (fmt, text, start)
        self.instances: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        if numbering_xml is None:
            return
        for abstract in numbering_xml.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                    int(start.get(f"{W}val", "1")) if start is not None else 1,
                )
            self.levels[abstract.get(f"{W}abstractNumId")] = levels
        for num in numbering_xml.iter(f"{W}num"):
            abstract = num.find(f"{W}abstractNumId")
            overrides = {}
            for override in num.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                if start is not None:
                    overrides[int(override.get(f"{W}ilvl", "0"))] = int(start.get(f"{W}val", "1"))
            if abstract is not None:
                self.instances[num.get(f"{W}numId")] = (abstract.get(f"{W}val"), overrides)

    def label(self, num_id: str, ilvl: int) -> str:
        if num_id not in self.instances:
            return ""
        abstract, overrides = self.instances[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, overrides.get(ilvl, start) - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a higher level moving on restarts the levels below it
        if fmt in ("bullet", "none"):
            return ""

        def number(m: re.Match) -> str:
            level = int(m.group(1)) - 1
            lfmt, _, lstart = levels.get(level, ("decimal", "", 1))
            return _format(counters.get(level, overrides.get(level, lstart)), lfmt)

        return re.sub(r"%(\d)", number, text)


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _num_pr(p, styles: dict[str, tuple[str, int]]) -> tuple[str, int] | None:
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        return None
    num = ppr.find(f"{W}numPr")
    if num is not None:
        num_id = num.find(f"{W}numId")
        ilvl = num.find(f"{W}ilvl")
        if num_id is not None and num_id.get(f"{W}val") != "0":
            return num_id.get(f"{W}val"), int(ilvl.get(f"{W}val", "0")) if ilvl is not None else 0
    style = ppr.find(f"{W}pStyle")
    return styles.get(style.get(f"{W}val")) if style is not None else None


def _style_numbering(styles_xml) -> dict[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs (a 标题1 style tied to a list)."""
    out: dict[str, tuple[str, int]] = {}
    if styles_xml is None:
        return out
    for style in styles_xml.iter(f"{W}style"):
        num = style.find(f"{W}pPr/{W}numPr")
        if num is not None and (num_id := num.find(f"{W}numId")) is not None:
            ilvl = num.find(f"{W}ilvl")
            out[style.get(f"{W}styleId")] = (num_id.get(f"{W}val"), int(ilvl.get(f"{W}val", "0")) if ilvl is not None
                                              else 0)
    return out


def _table_rows(tbl) -> list[str]:
    rows = []
    for tr in tbl.iterchildren(f"{W}tr"):
        cells = []
        for tc in tr.iterchildren(f"{W}tc"):
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            if merge is not None and merge.get(f"{W}val", "continue") == "continue":
                cells.append("")  # the cell above spans this row too
                continue
            cells.append("".join(_paragraph_text(p).replace("\t", " ").replace("\n", "")
                                 for p in tc.iter(f"{W}p")).strip())
        rows.append("\t".join(cells))
    return rows


def docx_lines(data: bytes, name: str) -> list[str]:
    """The lines of a .docx as printed: numbered paragraphs with their labels, tables as TAB rows."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as error:
        raise InputError(name, f"not a readable Word file ({error})") from error
    part = document.part
    try:
        numbering_xml = part.numbering_part.element
    except (KeyError, NotImplementedError):
        numbering_xml = None
    numbering = _Numbering(numbering_xml)
    styles = _style_numbering(part.styles.element if part.styles is not None else None)
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            text = _paragraph_text(child)
            numbered = _num_pr(child, styles)
            label = numbering.label(*numbered) if numbered else ""
            lines.extend((label + text).split("\n") if text.strip() else [""])
        elif child.tag == f"{W}tbl":
            lines.extend(_table_rows(child))
            lines.append("")
    if not any(line.strip() for line in lines):
        raise InputError(name, "the Word file holds no text")
    return lines


def convert_with_libreoffice(data: bytes, name: str, suffix: str) -> bytes:
    """A .doc or .wps file converted to .docx by LibreOffice, or a clear error when it is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError(name, f"a {suffix} file needs LibreOffice to read (install it: apt install "
                               f"libreoffice-writer), or save it as .docx")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        try:
            subprocess.run([soffice, "--headless", "--convert-to", "docx", "--outdir", tmp, str(source)],
                           check=True, capture_output=True, timeout=180)
        except (subprocess.SubprocessError, OSError) as error:
            raise InputError(name, f"LibreOffice could not convert the {suffix} file ({error})") from error
        converted = Path(tmp) / "input.docx"
        if not converted.exists():
            raise InputError(name, f"LibreOffice could not convert the {suffix} file")
        return converted.read_bytes()
