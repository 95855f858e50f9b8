"""A saved web page -> the lines of the document it shows, tables as TAB-separated rows.

Government sites print a document inside navigation, share buttons and footers, and beside a
metadata table (索引号 / 发文机关 / 成文日期 / 标题 / 发文字号 / 发布日期). The page is parsed with lxml;
scripts, styles, forms and the site's navigation blocks go; the metadata table becomes
"key：\\tvalue" lines (extract.furniture reads them into the document's fields); the article body
is the block holding most of the page's Chinese text; every block element ends a line and every
table row becomes one line with its cells separated by TABs, as a browser copy gives it.
"""

from __future__ import annotations

import re

from gazettekg.extract.errors import InputError

_DROP_TAGS = ("script", "style", "noscript", "head", "nav", "form", "button", "iframe", "select", "input",
              "textarea", "svg", "canvas", "object", "embed", "template")
# Class or id of a site's chrome: navigation, menus, share bars, breadcrumbs, footers.
_CHROME = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|breadcrumb|crumb|share|sidebar|toolbar|topbar|"
                     r"copyright|bottom|links|friendlink|search|login)(?:$|[\s_-]|\d)", re.IGNORECASE)
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
          "footer", "main", "blockquote", "pre", "table", "tr", "dl", "dt", "dd", "center", "hr", "figure",
          "figcaption", "address", "caption", "tbody", "thead", "tfoot"}
_META_KEY = re.compile(r"索\s*引\s*号|发文机关|成文日期|发文字号|发布日期|主题分类|标\s*题|文\s*号|发布机构")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def looks_like_html(text: str) -> bool:
    head = text[:4096].lower()
    return bool(re.search(r"<!doctype html|<html[\s>]|<body[\s>]|<meta\s|<div[\s>]|<p[\s>]", head))


def html_lines(text: str, name: str) -> list[str]:
    """The lines a browser shows of a saved page's document (metadata table first)."""
    from lxml import etree, html

    try:
        root = html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise InputError(name, f"not a readable web page ({error})") from error
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        if _CHROME.search(marks) and len(_HAN.findall(element.text_content())) < 400:
            element.drop_tree()
    lines: list[str] = []
    metadata_tables = [t for t in root.iter("table") if len(_META_KEY.findall(t.text_content())) >= 3]
    for table in metadata_tables:
        lines.extend(_render(table))
        table.drop_tree()
    body = _article(root)
    lines.extend(_render(body))
    out = [line for line in (re.sub(r"[ \t\u3000]+$", "", line) for line in lines) if line.strip()]
    if not out:
        raise InputError(name, "the web page shows no text")
    return out


def _article(root):
    """The block holding the document: the deepest element with most of the page's Chinese text."""
    total = len(_HAN.findall(root.text_content())) or 1
    best = root
    for element in root.iter("div", "article", "section", "td", "main"):
        count = len(_HAN.findall(element.text_content()))
        if count >= 0.6 * total and _depth(element) > _depth(best):
            best = element
    return best


def _depth(element) -> int:
    depth = 0
    while element.getparent() is not None:
        element = element.getparent()
        depth += 1
    return depth


def _render(element) -> list[str]:
    """An element as text lines: block ends break lines, table rows are TAB-separated cells."""
    lines: list[str] = [""]

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "tr":
            cells = [_cell_text(cell) for cell in node if isinstance(cell.tag, str) and cell.tag in ("td", "th")]
            lines.append("\t".join(cells))
            lines.append("")
            if node.tail and node.tail.strip():
                lines[-1] += _collapse(node.tail)
            return
        if tag in _BLOCK:
            lines.append("")
        if tag != "br" and node.text:
            lines[-1] += _collapse(node.text)
        for child in node:
            walk(child)
        if tag in _BLOCK:
            lines.append("")
        if node.tail:
            lines[-1] += _collapse(node.tail)

    walk(element)
    return lines


def _collapse(text: str) -> str:
    """Source whitespace as a browser shows it: one space (non-breaking and ideographic spaces stay)."""
    return re.sub(r"[ \t\r\n\f]+", " ", text)


def _cell_text(cell) -> str:
    """A table cell's text on one line: its paragraphs joined (CJK needs no space between them)."""
    parts = [_collapse(part).strip() for part in cell.itertext() if part.strip()]
    return "".join(parts)
