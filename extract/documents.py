"""Clean text -> documents: notices, the documents they issue, and their metadata.

A gazette issue is a run of notices. Each notice opens with a title block
(short lines ending in 通知/意见/决定/…), usually followed by its 发文字号 and the
recipients line ending in "：". It closes with the issuing body and the signing
date, after which the issued document's own title and body follow until the
next notice. An input with no notice is a single document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gazettekg.extract.cleantext import HEADING_START, display_width
from gazettekg.extract.numbers import parse_chinese_numeral
from gazettekg.records import Document, SourceText

DOC_NUMBER = re.compile(
    r"^[\u4e00-\u9fff]{1,12}\s*[〔［\[（(]\s*(?:19|20)\d{2}\s*[〕］\]）)]\s*第?\s*\d{1,4}\s*号$"
)
INLINE_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔［\[]\s*(?:19|20)\d{2}\s*[〕］\]]\s*第?\s*\d{1,4}\s*号"
)
NOTICE_KIND = re.compile(r"(?:通知|意见|决定|批复|通报|公告|通告|命令|函|办法|规定|细则|方案)$")
SIGN_DATE = re.compile(
    r"^(?P<y>(?:19|20)\d{2}|[二〇一二三四五六七八九零○]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
)
BOOK_TITLE = re.compile(r"《([^《》]{2,80})》")
SUPERSEDE = re.compile(r"[^。；]*(?:同时废止|予以废止|停止执行|不再执行)[^。；]*")
ATTACHMENT_LIST = re.compile(r"^附件\s*[：:]\s*(?:\d+\s*[．.、]\s*)?(?P<first>.+)$")
ANNEX_HEAD = re.compile(r"^附件\s*(\d*)$")
ENUMERATED = re.compile(r"^\d+\s*[．.、]\s*(?P<title>[^。；]+)$")
PUBLICATION_NOTE = re.compile(r"^[（(]此件[^）)]{0,12}[）)]$")
DECREE_NUMBER = re.compile(r"^第\d{1,5}号$")
RECIPIENTS = re.compile(r"^[^。]{2,200}[：:]$")

@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    start: int
    end: int


def paragraphs(source: SourceText, start: int = 0, end: int | None = None) -> list[Paragraph]:
    """The text's paragraphs (split on "\\n") with their offsets."""
    end = len(source.text) if end is None else end
    out = []
    pos = start
    for piece in source.text[start:end].split("\n"):
        if piece.strip():
            out.append(Paragraph(piece, pos, pos + len(piece)))
        pos += len(piece) + 1
    return out


def _number(text: str) -> int:
    return int(text) if text.isdigit() else parse_chinese_numeral(text)


def parse_sign_date(text: str) -> str | None:
    m = SIGN_DATE.match(text.replace(" ", ""))
    if not m:
        return None
    return f"{_number(m['y']):04d}-{_number(m['m']):02d}-{_number(m['d']):02d}"


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_short(par: Paragraph, limit: int = 70) -> bool:
    return display_width(par.text) <= limit and not par.text.endswith(("。", "；"))


def _is_title_line(par: Paragraph) -> bool:
    """A line that can belong to a notice's title block (not a date, list item or heading)."""
    return _is_short(par) and not parse_sign_date(par.text) and not HEADING_START.match(par.text)


@dataclass(slots=True)
class _Notice:
    title_first: int  # index of the first title paragraph
    number_index: int | None  # index of the 发文字号 paragraph
    body_first: int  # first paragraph after title/number


def _find_notices(pars: list[Paragraph]) -> list[_Notice]:
    notices: list[_Notice] = []
    taken: set[int] = set()
    for i, par in enumerate(pars):
        if DECREE_NUMBER.match(compact(par.text)) and i and compact(pars[i - 1].text).endswith("令"):
            # 政府令: "重庆市人民政府令" over "第 350 号"; the decree's number is both lines.
            notices.append(_Notice(i - 1, i, i + 1))
            taken.update((i - 1, i))
            continue
        number_index = i if DOC_NUMBER.match(compact(par.text)) else None
        if number_index is None:
            continue
        # The title block: up to four short lines just above the number.
        first = i
        while first - 1 >= 0 and i - (first - 1) <= 4 and _is_title_line(pars[first - 1]) \
                and (first - 1) not in taken:
            first -= 1
            if NOTICE_KIND.search(compact(pars[first].text)) and first < i - 1:
                break
        title = compact("".join(p.text for p in pars[first:i]))
        if first == i or not (NOTICE_KIND.search(title) or "关于" in title):
            first = i
        notices.append(_Notice(first, number_index, i + 1))
        taken.update(range(first, i + 1))
    if notices:
        return notices
    # No 发文字号 anywhere: a notice is a title block followed by a recipients line.
    for i in range(len(pars) - 1):
        if i in taken or not RECIPIENTS.match(pars[i + 1].text):
            continue
        first = i
        while first - 1 >= 0 and i - (first - 1) < 4 and _is_short(pars[first - 1]) \
                and not parse_sign_date(pars[first - 1].text):
            first -= 1
        title = compact("".join(p.text for p in pars[first:i + 1]))
        if "关于" in title and NOTICE_KIND.search(title):
            notices.append(_Notice(first, None, i + 1))
            taken.update(range(first, i + 1))
    return notices


def _signature(pars: list[Paragraph], lo: int, hi: int) -> tuple[int, str, str | None] | None:
    """(index of the date paragraph, issuer, ISO date) of the first signature in pars[lo:hi]."""
    for j in range(lo, hi):
        iso = parse_sign_date(pars[j].text)
        if iso and j > lo and _is_short(pars[j - 1], 60) and not pars[j - 1].text.endswith("："):
            return j, compact(pars[j - 1].text), iso
    return None


def _issued_title(notice_body: str) -> str | None:
    """The document a 印发/转发 notice issues: the first 《…》 before 印发/同意/转发."""
    m = re.search(r"《([^《》]+)》[^。]{0,30}?(?:印发|同意|转发|发布|通过|公布)", notice_body)
    if m:
        return m.group(1)
    m = re.search(r"(?:印发|转发)[^。《]{0,10}《([^《》]+)》", notice_body)
    return m.group(1) if m else None


def split_documents(source: SourceText) -> list[Document]:
    """Split an issue's clean text into its documents."""
    pars = paragraphs(source)
    if not pars:
        return []
    notices = _find_notices(pars)
    if not notices:
        return [_single_document(source, pars)]
    docs = []
    for k, notice in enumerate(notices):
        end_index = notices[k + 1].title_first if k + 1 < len(notices) else len(pars)
        docs.append(_document_from_notice(source, pars, notice, end_index))
    return docs


def _single_document(source: SourceText, pars: list[Paragraph]) -> Document:
    first = 0
    while first + 1 < len(pars) and first < 3 and _is_short(pars[first + 1], 60) \
            and not RECIPIENTS.match(pars[first + 1].text) and not HEADING_START.match(pars[first + 1].text):
        first += 1
    title = compact("".join(p.text for p in pars[: first + 1]))
    body_first = first + 1
    sig = _signature(pars, 0, len(pars))
    doc = Document(
        doc_id=title, number=None, notice_title=title, title=title, issuer=sig[1] if sig else "",
        date=sig[2] if sig else None, recipients="", attachments=[], supersedes=[], cites=[],
        start=pars[0].start, end=pars[-1].end, body_start=pars[min(body_first, len(pars) - 1)].start,
    )
    _fill_references(source, doc, pars)
    return doc


def _document_from_notice(source: SourceText, pars: list[Paragraph], notice: _Notice, end_index: int) -> Document:
    title_pars = pars[notice.title_first: notice.number_index if notice.number_index is not None
                      else notice.body_first]
    notice_title = compact("".join(p.text for p in title_pars))
    number = compact(pars[notice.number_index].text) if notice.number_index is not None else None
    decree = number is not None and DECREE_NUMBER.match(number) is not None
    if decree:
        number = notice_title + number
    pos = notice.body_first
    recipients = ""
    if pos < end_index and RECIPIENTS.match(pars[pos].text):
        recipients = pars[pos].text.rstrip("：:").strip()
        pos += 1
    sig = _signature(pars, pos, end_index)
    issuer_from_title = notice_title.split("关于")[0] if "关于" in notice_title else ""
    if decree:
        issuer_from_title = notice_title.removesuffix("令")
    if sig:
        date_index, issuer, date = sig
        if decree:
            issuer = issuer_from_title  # a decree is signed by the mayor or governor in person
        notice_body = "".join(p.text for p in pars[pos: date_index - 1])
        body_first = date_index + 1
        while body_first < end_index and PUBLICATION_NOTE.match(compact(pars[body_first].text)):
            body_first += 1  # （此件公开发布） closes the notice; the issued document follows
    else:
        issuer, date, notice_body, body_first = issuer_from_title, None, "", pos
    issued = _issued_title(notice_body) if notice_body else None
    title = notice_title
    if issued:
        # The issued document's own title block follows the signature; prefer its printed form.
        title = compact(issued)
        block = ""
        for j in range(body_first, min(body_first + 4, end_index)):
            block += compact(pars[j].text)
            if compact(block) == compact(issued) or block.replace(" ", "") == title:
                body_first = j + 1
                title = block
                break
        else:
            # Title printed differently from the 《》 form: take the short lines as the title.
            j = body_first
            while j < end_index and j < body_first + 3 and _is_short(pars[j], 60):
                j += 1
            if j > body_first:
                title = compact("".join(p.text for p in pars[body_first:j]))
                body_first = j
    else:
        # The notice is itself the document (意见, 决定, 通知 with its own articles): its body runs
        # from the recipients line; the signature closes it.
        title, body_first = notice_title, pos
    doc = Document(
        doc_id=number or notice_title, number=number, notice_title=notice_title, title=title,
        issuer=issuer or issuer_from_title, date=date, recipients=recipients, attachments=[], supersedes=[],
        cites=[], start=pars[notice.title_first].start, end=pars[end_index - 1].end,
        body_start=pars[min(body_first, end_index - 1)].start,
    )
    _fill_references(source, doc, pars[notice.title_first:end_index])
    return doc


def attachment_list_span(pars: list[Paragraph]) -> tuple[int, int, list[str]] | None:
    """(first, last+1 paragraph index, titles) of a "附件：1．X 2．Y" list, if any."""
    for i, par in enumerate(pars):
        m = ATTACHMENT_LIST.match(par.text)
        if not m:
            continue
        titles = [re.sub(r"\s+", "", m["first"])]
        j = i + 1
        while j < len(pars) and (e := ENUMERATED.match(pars[j].text)) and display_width(pars[j].text) < 100:
            titles.append(compact(e["title"]))
            j += 1
        return i, j, titles
    return None


def _fill_references(source: SourceText, doc: Document, pars: list[Paragraph]) -> None:
    listed = attachment_list_span(pars)
    if listed:
        doc.attachments = listed[2]
    else:
        doc.attachments = [compact(p.text) for p in pars
                           if (m := ATTACHMENT_LIST.match(p.text)) and "附件" in p.text][:0]
    text = source.text[doc.start:doc.end]
    own = {compact(doc.title), compact(doc.notice_title), *(compact(a) for a in doc.attachments)}
    supersedes: list[str] = []
    for sentence in SUPERSEDE.findall(text):
        numbers = [compact(n) for n in INLINE_NUMBER.findall(sentence)]
        if numbers:
            supersedes.extend(numbers)
        else:
            supersedes.extend(compact(t) for t in BOOK_TITLE.findall(sentence)[-1:])
    doc.supersedes = list(dict.fromkeys(s for s in supersedes if s != doc.number))
    cites = []
    for m in re.finditer(BOOK_TITLE.pattern + "|" + INLINE_NUMBER.pattern, text):
        cited = m.group(0)
        inner = compact(m.group(1)) if m.group(1) else compact(cited)
        if inner in own or compact(cited) == doc.number:
            continue
        cites.append(cited if m.group(1) else compact(cited))
    doc.cites = list(dict.fromkeys(cites))
