"""Look-alike characters from PDF text layers and web pages, folded to the ideographs they show.

PDF producers often map CJK glyphs to the radical code points that look the same: Kangxi radicals
(U+2F00–U+2FD5: ⼀ ⼈ ⼤ ⾏), CJK Radicals Supplement (U+2E80–U+2EF3: ⺠ ⻅ ⻚) and compatibility
ideographs (U+F900–U+FAFF). NFKC folds the first and the last block but only two characters of the
supplement, so the supplement characters that stand for a whole ordinary character get a table of
their own. Components that never stand alone as a character (⺅ 亻, ⺡ 氵 …) are left as they are.

Zero-width characters vanish; the look-alike middle dots of 间隔号 (“数字乡村·智慧农业”) become
U+00B7, the one GB 2312 has: PDF readers decode the same glyph as U+00B7 or U+30FB.
"""

from __future__ import annotations

import unicodedata

# CJK Radicals Supplement characters that print as a whole ordinary character.
_SUPPLEMENT = dict(zip(
    "⺁⺇⺌⺒⺓⺜⺝⺟⺠⺧⺩⺬⺮⺯⺳⺶⻁⻄⻅⻆⻉⻊⻋⻑⻓⻔⻗⻘⻙⻚⻛⻜⻝⻡⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "厂几小巳幺日月母民牛王示竹糸网羊虎西见角贝足车長长门雨青韦页风飞食首马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
    strict=True,
))


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for low, high in ((0x2F00, 0x2FD5), (0xF900, 0xFAD9)):
        for code in range(low, high + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if folded != chr(code):
                table[code] = folded
    table.update({ord(k): v for k, v in _SUPPLEMENT.items()})
    table.update(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad")))
    table.update(dict.fromkeys(map(ord, "\u30fb\uff65\u2027\u22c5"), "\u00b7"))
    return table


FOLD = _table()


def fold_characters(text: str) -> str:
    """``text`` with radical and compatibility forms as ordinary ideographs, zero-width marks gone."""
    return text.translate(FOLD)
