"""What surrounds a document on a web page or in an archive: site furniture and metadata blocks.

Government sites and archives print the document between navigation and sharing widgets and
beside a metadata block — the gov.cn table (索引号 / 发文机关 / 成文日期 / 标题 / 发文字号 / 发布日期,
TAB-separated when copied), 北大法宝's 【发布文号】 lines, a crawler's front matter (文号: …).
``split_furniture`` reads the metadata into a dict (number, title, issuer, date, published) and
drops both kinds of lines, so the document's own text is all that the later stages see.

Furniture is recognised by the fixed vocabulary of web pages (打印本页, 扫一扫在手机打开当前页,
上一篇/下一篇, 来源：, 字体：大 中 小 …), never by a site's name: only whole short lines go.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Metadata keys (spaces removed) -> the field they fill; None: a key read and dropped.
_KEYS: dict[str, str | None] = {
    **dict.fromkeys(("发文字号", "文号", "发布文号", "文件编号", "发文号", "字号"), "number"),
    **dict.fromkeys(("标题", "名称", "文件名称", "文件标题", "题名"), "title"),
    **dict.fromkeys(("发文机关", "发布机关", "发布单位", "发文单位", "发布部门", "制定机关", "发布机构",
                     "颁布单位", "颁布机关", "成文单位"), "issuer"),
    **dict.fromkeys(("成文日期", "成文时间", "签发日期", "印发日期", "发文日期"), "date"),
    **dict.fromkeys(("发布日期", "发布时间", "公布日期", "公布时间", "公开日期", "发稿时间"), "published"),
    **dict.fromkeys(("索引号", "主题分类", "主题词", "体裁分类", "组配分类", "服务对象", "效力级别", "时效性",
                     "有效性", "效力状态", "生效日期", "施行日期", "实施日期", "失效日期", "废止日期", "所属主题",
                     "信息来源", "来源", "文章来源", "法宝引证码", "原文链接", "链接", "网址", "关键词", "分类",
                     "法规类别", "信息分类", "公开方式", "公开范围", "浏览次数", "访问次数", "点击数", "责任编辑",
                     "编辑", "作者", "更新时间", "更新日期", "登记号", "统一编号", "有效期"), None),
}
# Front-matter keys written in English by crawlers.
_ENGLISH_KEYS = {"title": "title", "number": "number", "doc_number": "number", "wenhao": "number",
                 "issuer": "issuer", "publisher": "issuer", "agency": "issuer", "department": "issuer",
                 "date": "date", "signed": "date", "published": "published", "publish_date": "published",
                 "pubdate": "published", "source": None, "url": None, "link": None, "tags": None,
                 "category": None, "categories": None, "id": None, "author": None, "lang": None}
_KEY_NAMES = sorted(_KEYS, key=len, reverse=True)
_KEY_ALT = "|".join(" ?".join(map(re.escape, key)) for key in _KEY_NAMES)
# "发文字号：X", "【发布文号】X", "文号: X" — a key at the start of a line; several per line in the gov.cn table.
_KEY_AT = re.compile(rf"(?:【\s*(?P<bracketed>{_KEY_ALT})\s*】|(?P<plain>{_KEY_ALT})\s*[：:])\s*")
_FRONT_MATTER_FENCE = re.compile(r"^(?:-{3,}|\+{3,})$")
_FRONT_MATTER_LINE = re.compile(r"^(?P<key>[\w\u4e00-\u9fff]{1,12})\s*[:：]\s*(?P<value>.*)$")

_FURNITURE = re.compile(
    r"^(?:[【\[]?(?:打印本页|打印此页|打印正文|打印|关闭窗口|关闭本页|关闭|返回顶部|返回首页|收藏本页|收藏|"
    r"我要纠错|纠错|分享|保存本页|保存)[】\]]?(?:\s*[【\[]?(?:打印本页|打印|关闭窗口|关闭|收藏|分享|保存)[】\]]?)*"
    r"|(?:微信)?扫一扫(?:在手机(?:上)?打开当前页|分享|关注)?.{0,12}|手机(?:扫码|扫一扫).{0,20}"
    r"|分享到[:：]?.{0,40}|[【\[]?字[体号][:：]?\s*[【\[]?[大中小](?:\s*[大中小]){1,2}[】\]]?.{0,10}"
    r"|[←<《]?\s*上一篇.{0,80}|下一篇.{0,80}\s*[→>》]?|返回.{0,10}列表|返回"
    r"|首页\s*[>＞›»/].{0,80}|(?:当前位置|您(?:当前)?的?位置|您现在的位置)[:：].{0,80}"
    r"|(?:来源|信息来源|文章来源|发布时间|发布日期|更新时间|浏览次数|阅读次数|访问量|点击数|责任编辑)[:：].{0,60}"
    r"|(?:政策解读|政策原文|相关解读|相关文件|相关报道|相关链接|图解|解读)+.{0,8}"
    r"|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|(?:版权所有|主办单位|承办单位|技术支持|网站标识码|网站地图|联系我们|值班电话|联系电话).{0,80}"
    r"|.{0,60}(?:ICP备|公网安备|ICP证).{0,60}"
    r"|(?:https?://|www\.)\S+)$"
)
_FURNITURE_MAX = 80  # a longer line is text, whatever it starts with


def _key_field(key: str) -> tuple[bool, str | None]:
    compact = re.sub(r"\s", "", key)
    if compact in _KEYS:
        return True, _KEYS[compact]
    return False, None


def metadata_pairs(line: str) -> list[tuple[str | None, str]] | None:
    """The (field, value) pairs of a metadata line, or None when the line is not one.

    A metadata line starts with a known key; the gov.cn table holds several keys on one line.
    A value may be empty (it follows on the next line).
    """
    first = _KEY_AT.match(line)
    if first is None:
        return None
    keys = [first]
    pos = first.end()
    while (nxt := _KEY_AT.search(line, pos)) is not None:
        # A later key counts after a cell boundary, or when it is a distinctive one (成文日期, 发文字号):
        # PDF text layers separate the gov.cn table's cells with a space that the normal form drops.
        key = re.sub(r"\s", "", nxt["bracketed"] or nxt["plain"])
        if nxt.start() > 0 and line[nxt.start() - 1] not in "\t 】" and len(key) < 4:
            pos = nxt.start() + 1
            continue
        keys.append(nxt)
        pos = nxt.end()
    pairs = []
    for k, m in enumerate(keys):
        end = keys[k + 1].start() if k + 1 < len(keys) else len(line)
        value = line[m.end(): end].strip(" \t")
        pairs.append((_key_field(m["bracketed"] or m["plain"])[1], value))
    return pairs


def is_furniture(line: str) -> bool:
    """Whether a (normal-form) line is web-page furniture: navigation, sharing, page date, URL."""
    return len(line) <= _FURNITURE_MAX and _FURNITURE.match(line) is not None


def split_furniture(lines: Sequence[str]) -> tuple[dict[str, str], list[int]]:
    """(metadata, indexes of the lines to keep) for an input's normal-form lines.

    Metadata lines (a key from the vocabulary, then its value, maybe on the next line), a front-matter
    block fenced by ``---`` at the top, and furniture lines are dropped. The first value of a field
    wins, except that a signing date (成文日期) is never overwritten by a publication date.
    """
    metadata: dict[str, str] = {}
    drop: set[int] = set()

    def put(field: str | None, value: str) -> None:
        value = value.strip().strip("\"'“”")
        if field and value and field not in metadata:
            metadata[field] = value

    start = 0
    if lines and _FRONT_MATTER_FENCE.match(lines[0]):
        close = next((i for i in range(1, min(len(lines), 60)) if _FRONT_MATTER_FENCE.match(lines[i])), None)
        if close is not None:
            for i in range(1, close):
                m = _FRONT_MATTER_LINE.match(lines[i])
                if m:
                    known, field = _key_field(m["key"])
                    put(field if known else _ENGLISH_KEYS.get(m["key"].lower()), m["value"])
            drop.update(range(close + 1))
            start = close + 1
    i = start
    while i < len(lines):
        line = lines[i]
        pairs = metadata_pairs(line) if len(line) <= 200 else None
        if pairs is not None and all(field is None for field, _ in pairs) and len(line) > 60:
            pairs = None  # 来源：… starting a long sentence is text, not the page's source line
        if pairs is not None:
            drop.add(i)
            for k, (field, value) in enumerate(pairs):
                if not value and k == len(pairs) - 1 and i + 1 < len(lines) and metadata_pairs(lines[i + 1]) is None \
                        and len(lines[i + 1]) <= 120 and field is not None:
                    value = lines[i + 1]  # one cell per line: the value follows its key
                    drop.add(i + 1)
                    i += 1
                put(field, value)
        elif is_furniture(line):
            drop.add(i)
        i += 1
    return metadata, [i for i in range(len(lines)) if i not in drop]
