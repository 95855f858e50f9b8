"""Clean text -> documents: notices, the documents they issue, and their metadata.

A gazette issue is a run of notices. Each notice opens with a title block (one to four lines, the
last ending in 通知/意见/决定/…), its 发文字号 (maybe in brackets, maybe with a publisher line or a
page date between title and number), and the recipients line ending in "：". It closes with the
signature — the issuing body (sometimes left out) and the signing date — after which the issued
document's own title and body follow until the next notice. A decree (XX人民政府令 / 第N号) is a
notice too. An input with no notice is a single document.

Where the text does not say (no 发文字号, no signature), the metadata printed beside the text
(``SourceText.metadata``: a gov.cn table, front matter) fills the fields.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from gazettekg.extract.cleantext import HEADING_START, display_width
from gazettekg.extract.numbers import half_width, parse_chinese_numeral
from gazettekg.records import Document, SourceText

_NUMBER_CORE = r"[\u4e00-\u9fff]{1,14}\s*[〔［\[（(【]\s*(?:19|20)\d{2}\s*[〕］\]）)】]\s*第?\s*\d{1,5}\s*号"
DOC_NUMBER = re.compile(rf"^(?:{_NUMBER_CORE}|[（(]{_NUMBER_CORE}[）)])$")
INLINE_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔［\[]\s*(?:19|20)\d{2}\s*[〕］\]]\s*第?\s*\d{1,4}\s*号"
)
NOTICE_KIND = re.compile(
    r"(?:通知|意见|决定|批复|通报|公告|通告|命令|函|办法|规定|细则|方案|规划|计划|要点|决议|报告)$"
)
NOTICE_KIND_INSIDE = re.compile(r"的(?:通知|意见|决定|批复|通报|公告|通告)")
SIGN_DATE = re.compile(
    r"^(?P<y>(?:19|20)\d{2}|[二〇一二三四五六七八九零○]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
)
BOOK_TITLE = re.compile(r"《([^《》]{2,200})》")
# Supersession keywords; the sentence around each is read by a bounded scan (never a pattern with
# unbounded look-around, which is quadratic on text without sentence stops).
SUPERSEDE_WORD = re.compile(r"同时废止|予以废止|停止执行|不再执行")
ATTACHMENT_LIST = re.compile(r"^附件\s*[：:]\s*(?:\d+\s*[．.、]\s*)?(?P<first>.+)$")
ANNEX_HEAD = re.compile(r"^附件\s*(\d*)$")
ENUMERATED = re.compile(r"^\d+\s*[．.、]\s*(?P<title>[^。；]+)$")
PUBLICATION_NOTE = re.compile(r"^[（(]此件[^）)]{0,12}[）)]$")
DECREE_NUMBER = re.compile(r"^[（(]?第\d{1,5}号[）)]?$")
RECIPIENTS = re.compile(r"^[^。]{2,200}[：:]$")
_MAX_SENTENCE = 300  # characters a supersession sentence is read back and forth
_TITLE_MAX = 120  # characters; the longest real titles run to about 100


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
    if len(text) > 40:
        return None
    m = SIGN_DATE.match(half_width(text).replace(" ", ""))
    if not m:
        return None
    return f"{_number(m['y']):04d}-{_number(m['m']):02d}-{_number(m['d']):02d}"


def compact(text: str) -> str:
    return "".join(text.split())  # str.split() and re's \s know the same whitespace


def doc_number(text: str) -> str | None:
    """The 发文字号 a paragraph consists of (outer brackets dropped), else None."""
    if len(text) > 60:
        return None
    core = half_width(compact(text))
    if not DOC_NUMBER.match(core):
        return None
    if core[0] in "（(" and core[-1] in "）)":
        core = core[1:-1]
    return core


def _similar(a: str, b: str) -> float:
    def key(s: str) -> str:
        return re.sub(r"[\s《》〈〉<>“”\"'()（）]", "", half_width(s))

    a, b = key(a), key(b)
    if not a or not b:
        return 0.0
    return 1.0 if a == b else difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _is_short(par: Paragraph, limit: int = 70) -> bool:
    return display_width(par.text) <= limit and not par.text.endswith(("。", "；"))


def _is_title_line(par: Paragraph, limit: int = 70) -> bool:
    """A line that can belong to a notice's title block (not a date, list item or heading)."""
    return _is_short(par, limit) and not parse_sign_date(par.text) and not HEADING_START.match(par.text) \
        and not RECIPIENTS.match(par.text) and "。" not in par.text


def _ends_title(text: str) -> bool:
    return NOTICE_KIND.search(compact(text)) is not None


@dataclass(slots=True)
class _Notice:
    title_first: int  # index of the first title paragraph
    title_last: int  # index of the last title paragraph (inclusive); title_first - 1 when none
    number_index: int | None  # index of the 发文字号 paragraph
    body_first: int  # first paragraph after title/number


def _title_block(pars: list[Paragraph], below: int, taken: set[int]) -> tuple[int, int] | None:
    """(first, last) paragraph indexes of the title block that ends above ``below``.

    Up to three lines that are not part of a title (a publisher line, a page date left over from
    a web page) may stand between the title and the number. The block runs up from its last line
    (ending in 通知/意见/…) until it reads as a whole title: it holds 关于, or four lines are used.
    A title printed twice (a web page's headline and the document's own) gives the nearer one.
    """
    last = below - 1
    skipped = 0
    while last >= 0 and last not in taken and skipped < 3 and not _ends_title(pars[last].text) \
            and _is_title_line(pars[last]):
        last -= 1
        skipped += 1
    if last < 0 or last in taken or not _ends_title(pars[last].text):
        return None
    undoubled = pars[last].text[-len(_undouble(pars[last].text)):]
    if not _is_title_line(Paragraph(undoubled, pars[last].start, pars[last].end), 330):
        return None
    first = last
    while "关于" not in compact("".join(p.text for p in pars[first:last + 1])) and first - 1 >= 0 \
            and first - 1 not in taken and last - (first - 1) < 4 and _is_title_line(pars[first - 1]):
        first -= 1
    # "重庆市人民政府办公厅" over "关于印发…的通知": the issuing body heads the title.
    if compact(pars[first].text).startswith("关于") and first - 1 >= 0 and first - 1 not in taken \
            and _is_title_line(pars[first - 1], 40) and not _ends_title(pars[first - 1].text):
        first -= 1
    return first, last


def _title_below(pars: list[Paragraph], number: int) -> tuple[int, int] | None:
    """(first, last) of a title block printed under the 发文字号, closed by the recipients line."""
    for last in range(number + 1, min(number + 5, len(pars))):
        if not _is_title_line(pars[last], 160):
            return None
        if _ends_title(pars[last].text):
            if last + 1 < len(pars) and RECIPIENTS.match(pars[last + 1].text):
                return number + 1, last
            return None
    return None


def _find_notices(pars: list[Paragraph]) -> list[_Notice]:
    notices: list[_Notice] = []
    taken: set[int] = set()
    for i, par in enumerate(pars):
        if DECREE_NUMBER.match(half_width(compact(par.text))) and i and compact(pars[i - 1].text).endswith("令"):
            # 政府令: "重庆市人民政府令" over "第 350 号"; the decree's number is both lines.
            notices.append(_Notice(i - 1, i - 1, i, i + 1))
            taken.update((i - 1, i))
            continue
        if doc_number(par.text) is None:
            continue
        block = _title_block(pars, i, taken)
        if block is None and (below := _title_below(pars, i)) is not None:
            # A red-header document (XX人民政府文件 / 发文字号 / title / recipients): the title follows the number.
            first, last = below
            notices.append(_Notice(first, last, i, last + 1))
            taken.update(range(i, last + 1))
            continue
        first, last = block if block else (i, i - 1)
        notices.append(_Notice(first, last, i, i + 1))
        taken.update(range(first, i + 1))
    if notices:
        return notices
    # No 发文字号 anywhere: a notice is a title block followed by a recipients line.
    for i in range(len(pars) - 1):
        if i in taken or not RECIPIENTS.match(pars[i + 1].text):
            continue
        block = _title_block(pars, i + 1, taken)
        if block is None:
            continue
        first, last = block
        title = compact("".join(p.text for p in pars[first:last + 1]))
        if "关于" in title:
            notices.append(_Notice(first, last, None, i + 1))
            taken.update(range(first, i + 1))
    return notices


def _signature(pars: list[Paragraph], lo: int, hi: int) -> tuple[int, str | None, str] | None:
    """(index of the date paragraph, issuer or None, ISO date) of the first signature in pars[lo:hi].

    The issuer is the short line above the date; a signature may also be a date alone, right after
    the last sentence of the notice.
    """
    for j in range(lo, hi):
        iso = parse_sign_date(pars[j].text)
        if not iso or j <= lo:
            continue
        above = pars[j - 1]
        if _is_short(above, 60) and not above.text.endswith(("：", ":")) and not HEADING_START.match(above.text):
            return j, compact(above.text), iso
        if above.text.endswith(("。", "！")):
            return j, None, iso
    return None


# A draft or a web release signed in one line at its end: "杭州市科学技术局2026年5月25日发布，征求意见截止…".
PUBLISHED = re.compile(r"^(?P<issuer>[一-龥（）()]{2,40}?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
                       r"\s*(?:印发|发布|公布)")


def _publication_line(pars: list[Paragraph]) -> tuple[int, str | None, str] | None:
    """(index, issuer, ISO date) of a closing publication line, for a document with no signature."""
    for j in range(len(pars) - 1, max(-1, len(pars) - 6), -1):
        m = PUBLISHED.match(pars[j].text)
        if m and (iso := parse_sign_date(m["date"])):
            return j, m["issuer"], iso
    return None


def _issued_titles(notice_body: str) -> list[str]:
    """The documents a 印发/转发 notice issues: the 《…》 before 印发/同意/转发, or after 印发."""
    titles = r"((?:《[^《》]{1,200}》[、和及，,]?){1,6})"
    m = re.search(titles + r"[^。]{0,60}?(?:印发|同意|转发|发布|通过|公布)", notice_body)
    if m is None:
        m = re.search(r"(?:印发|转发)[^。《]{0,10}((?:《[^《》]{1,200}》[、和及]?){1,6})", notice_body)
    return BOOK_TITLE.findall(m.group(1)) if m else []


def split_documents(source: SourceText) -> list[Document]:
    """Split an issue's clean text into its documents."""
    pars = paragraphs(source)
    if not pars:
        return []
    notices = _find_notices(pars)
    if not notices:
        docs = [_single_document(source, pars)]
    else:
        docs = []
        for k, notice in enumerate(notices):
            end_index = notices[k + 1].title_first if k + 1 < len(notices) else len(pars)
            docs.append(_document_from_notice(source, pars, notice, end_index))
    if len(docs) == 1:
        _apply_metadata(docs[0], source.metadata)
    return docs


def _apply_metadata(doc: Document, metadata: dict[str, str]) -> None:
    """Fields the text left open, from the metadata printed beside it (one document per input)."""
    number = doc_number(metadata.get("number", "")) or (compact(metadata["number"]) if metadata.get("number") else None)
    if number and doc.number is None:
        doc.number = number
        if doc.doc_id in (doc.title, doc.notice_title):
            doc.doc_id = number
    if metadata.get("date") and doc.date is None:
        doc.date = parse_sign_date(metadata["date"]) or _iso_date(metadata["date"])
    if metadata.get("issuer") and not doc.issuer:
        doc.issuer = compact(metadata["issuer"])
    title = compact(metadata.get("title", ""))
    if title and not doc.notice_title:
        doc.notice_title = title
        doc.title = doc.title or title


def _iso_date(text: str) -> str | None:
    m = re.match(r"^\s*((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})", half_width(text))
    return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None


def _single_document(source: SourceText, pars: list[Paragraph]) -> Document:
    first = 0
    while first + 1 < len(pars) and first < 3 and _is_short(pars[first + 1], 60) \
            and not RECIPIENTS.match(pars[first + 1].text) and not HEADING_START.match(pars[first + 1].text) \
            and not _ends_title(pars[first].text) and not parse_sign_date(pars[first + 1].text):
        first += 1
    title = compact("".join(p.text for p in pars[: first + 1]))
    if len(title) > _TITLE_MAX:
        # No title block: the text opens with running text. Its first words stand for it.
        title = re.split(r"[。；！？，,]", title, maxsplit=1)[0][:_TITLE_MAX]
    body_first = first + 1
    sig = _signature(pars, 0, len(pars)) or _publication_line(pars)
    doc = Document(
        doc_id=title, number=None, notice_title=title, title=title, issuer=(sig[1] or "") if sig else "",
        date=sig[2] if sig else None, recipients="", attachments=[], supersedes=[], cites=[],
        start=pars[0].start, end=pars[-1].end, body_start=pars[min(body_first, len(pars) - 1)].start,
    )
    _fill_references(source, doc, pars)
    return doc


def _issued_title_block(pars: list[Paragraph], body_first: int, end_index: int,
                        issued: str) -> tuple[str, int] | None:
    """The issued document's own title as printed after the signature (one to four lines, maybe
    spelled a little differently from the notice's 《…》), and the index after it."""
    block = ""
    best: tuple[float, str, int] | None = None
    for j in range(body_first, min(body_first + 4, end_index)):
        if HEADING_START.match(pars[j].text) or pars[j].text.endswith("。"):
            break
        block += compact(pars[j].text)
        score = _similar(block, issued)
        if score >= 0.9 and (best is None or score > best[0]):
            best = (score, block, j + 1)
    return (best[1], best[2]) if best else None


def _undouble(title: str) -> str:
    """A title printed twice in a row (a web page's headline, then the document's own line, joined
    when re-wrapped) is the second copy."""
    for m in NOTICE_KIND_INSIDE.finditer(title):
        head, tail = title[: m.end()], title[m.end():]
        # The first copy may carry what a re-wrap glued on before it (the end of a source URL).
        if len(tail) >= 8 and _similar(head[-len(tail):], tail) >= 0.8:
            return tail
    return title


def _document_from_notice(source: SourceText, pars: list[Paragraph], notice: _Notice, end_index: int) -> Document:
    title_pars = pars[notice.title_first: notice.title_last + 1]
    notice_title = _undouble(compact("".join(p.text for p in title_pars)))
    number = doc_number(pars[notice.number_index].text) if notice.number_index is not None else None
    decree = notice.number_index is not None and DECREE_NUMBER.match(half_width(compact(
        pars[notice.number_index].text))) is not None
    if decree:
        number = notice_title + half_width(compact(pars[notice.number_index].text)).strip("（()）")
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
        if decree or not issuer:
            issuer = issuer_from_title  # a decree is signed by the mayor or governor in person
        # The 印发 sentence opens a notice; a notice whose body runs on is itself the document.
        notice_body = "".join(p.text for p in pars[pos: min(date_index, pos + 3)])
        body_first = date_index + 1
        while body_first < end_index and PUBLICATION_NOTE.match(compact(pars[body_first].text)):
            body_first += 1  # （此件公开发布） closes the notice; the issued document follows
    else:
        issuer, date, notice_body, body_first = issuer_from_title, None, "", pos
    issued = _issued_titles(notice_body) if notice_body and body_first < end_index else []
    title = notice_title
    if issued:
        # The issued document's own title block follows the signature; prefer its printed form.
        title = compact(issued[0])
        printed = _issued_title_block(pars, body_first, end_index, issued[0])
        if printed:
            title, body_first = printed
        else:
            # Title printed differently from the 《》 form: take the short lines as the title.
            j = body_first
            while j < end_index and j < body_first + 3 and _is_title_line(pars[j], 60):
                j += 1
            if j > body_first:
                title = compact("".join(p.text for p in pars[body_first:j]))
                body_first = j
    else:
        # The notice is itself the document (意见, 决定, 通知 with its own articles): its body runs
        # from the recipients line; the signature closes it.
        title, body_first = notice_title, pos
    if decree and title != notice_title:
        notice_title = title  # an order has no title of its own: it is known by the rules it promulgates
    doc = Document(
        doc_id=number or title or notice_title, number=number, notice_title=notice_title, title=title,
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


def supersession_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that repeal something (…同时废止, …停止执行), read by bounded scans."""
    out = []
    for m in SUPERSEDE_WORD.finditer(text):
        lo = m.start()
        while lo > 0 and m.start() - lo < _MAX_SENTENCE and text[lo - 1] not in "。；\n":
            lo -= 1
        hi = m.end()
        while hi < len(text) and hi - m.end() < _MAX_SENTENCE and text[hi] not in "。；\n":
            hi += 1
        out.append(text[lo:hi])
    return out


def _fill_references(source: SourceText, doc: Document, pars: list[Paragraph]) -> None:
    listed = attachment_list_span(pars)
    if listed:
        doc.attachments = listed[2]
    text = source.text[doc.start:doc.end]
    own = {compact(doc.title), compact(doc.notice_title), *(compact(a) for a in doc.attachments)}
    supersedes: list[str] = []
    for sentence in supersession_sentences(text):
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
