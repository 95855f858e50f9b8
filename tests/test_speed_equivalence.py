"""Speed-ups that must not change a result: each fast path against the plain form it replaces,
on every line of the sample issue and the gold sets and on random strings of the characters that
matter to it."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from gazettekg.extract import deadlines, timeexpr
from gazettekg.extract.numbers import half_width

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [ROOT / "corpus" / "gazette-2022-01.txt",
         *sorted(p for p in (ROOT / "tests" / "data" / "eval").glob("*/raw/*") if p.suffix in (".txt", ".md"))]


def _lines() -> list[str]:
    out = []
    for path in TEXTS:
        out.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def _random_strings(alphabet: str, count: int = 3000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(count)]


def _points(pattern: re.Pattern[str], text: str) -> list[tuple]:
    return [(m.span(), tuple(sorted(m.groupdict().items()))) for m in pattern.finditer(text)
            if m["y"] or m["m"] or m["q"] or m["half"]]


POINT_CHARS = "2025年月日号底末初上中下旬半第季度一二三四五六七八九十〇○零 \u3000至到、和前起12309０"


@pytest.mark.parametrize("source", ["corpus", "random"])
def test_point_scan_finds_the_same_points(source: str) -> None:
    texts = _lines() if source == "corpus" else _random_strings(POINT_CHARS)
    for text in texts:
        norm = half_width(text)
        assert _points(timeexpr._POINT_SCAN, norm) == _points(timeexpr.POINT_RE, norm), text


def _span_of_plain(text: str, start: int, end: int, stops: str, lo: int, hi: int) -> tuple[int, int]:
    lo, hi = max(lo, start - deadlines._MAX_REACH), min(hi, end + deadlines._MAX_REACH)
    s = start
    while s > lo and text[s - 1] not in stops:
        s -= 1
    e = end
    while e < hi and text[e] not in stops:
        e += 1
    return s, e


def test_span_of_grows_to_the_same_stops() -> None:
    rng = random.Random(3)
    texts = _random_strings("。；，！？：\n文字ab ", count=300) + [line[:600] for line in _lines()[:400]]
    for text in texts:
        n = len(text)
        for _ in range(20):
            start = rng.randint(0, n)
            end = rng.randint(start, n)
            lo, hi = rng.randint(-2, n + 2), rng.randint(-2, n + 2)
            for stops in (deadlines.SENTENCE_STOP, deadlines.CLAUSE_STOP, "，。；;！？：\n"):
                try:
                    want = _span_of_plain(text, start, end, stops, lo, hi)
                except IndexError:
                    with pytest.raises(IndexError):
                        deadlines.span_of(text, start, end, stops, lo, hi)
                    continue
                assert deadlines.span_of(text, start, end, stops, lo, hi) == want, (text, start, end, lo, hi)


@pytest.mark.parametrize("jurisdiction", ["", "重庆市", "郑州市"])
def test_names_are_never_skipped_by_their_last_character(jurisdiction: str) -> None:
    from gazettekg.extract import duties
    from gazettekg.extract.agencies import Resolver, default_registry, normalize

    resolver = Resolver(default_registry(), jurisdiction)
    resolver.define("集团公司", "重庆市能源投资集团有限公司")
    resolver.define("市推进办", "市推进工作领导小组办公室")
    finals = duties._name_finals(resolver)
    rng = random.Random(5)
    skipped = 0
    for line in _lines():
        for pos in rng.sample(range(len(line)), min(len(line), 12)):
            for end in range(pos + 2, min(len(line), pos + duties.MAX_NAME) + 1):
                name = line[pos:end]
                if duties._ends_no_name(name, finals):
                    skipped += 1
                    assert duties._actor_kind(normalize(name), resolver) is None, name
    assert skipped > 10000


BRACKET_CHARS = "（(〔[【［）)〕]】］“‘《”’》\n、，,；;。！？文字 \t"


def _bracketed_spans_plain(text: str, start: int, end: int) -> list[tuple[int, int]]:
    from gazettekg.extract.brackets import CLOSE, OPEN

    spans, depth, opened = [], 0, 0
    for i in range(start, end):
        ch = text[i]
        if ch in OPEN:
            if depth == 0:
                opened = i
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, i + 1))
        elif ch == "\n":
            depth = 0
    return spans


def _split_top_level_plain(text: str, separators: str) -> list[str]:
    from gazettekg.extract.brackets import CLOSE, OPEN

    parts, depth, current = [], 0, []
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        if depth == 0 and ch in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip(" \t") for p in parts if p.strip(" \t")]


def _segments_plain(text: str, start: int, end: int, separators: str) -> list[tuple[int, int]]:
    from gazettekg.extract.duties import CLOSE, OPEN

    out, depth, lo = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        elif depth == 0 and ch in separators:
            out.append((lo, i))
            lo = i + 1
    out.append((lo, end))
    return [(a, b) for a, b in (deadlines.strip_span(text, a, b) for a, b in out) if b > a]


def test_bracket_walks_cut_where_the_plain_loops_cut() -> None:
    from gazettekg.extract.brackets import bracketed_spans, split_top_level
    from gazettekg.extract.duties import segments

    rng = random.Random(11)
    texts = _random_strings(BRACKET_CHARS, count=3000) + _lines()
    for text in texts:
        n = len(text)
        start = rng.randint(0, n)
        end = rng.randint(start, n) if rng.random() < 0.9 else rng.randint(0, n)
        assert bracketed_spans(text) == _bracketed_spans_plain(text, 0, n)
        assert bracketed_spans(text, start, end) == _bracketed_spans_plain(text, start, end)
        for separators in ("；;。", "，,", "，,；;", "、", "。！？", "；;", "、，,"):
            assert split_top_level(text, separators) == _split_top_level_plain(text, separators)
            assert segments(text, start, end, separators) == _segments_plain(text, start, end, separators)
            assert segments(text, 0, n, separators) == _segments_plain(text, 0, n, separators)


TIME_CHARS = (POINT_CHARS + "每内以之期周旬个工作日小时天办结理完毕审出证批留存保管有效限"
              "为最长多达提供给予享受不超过少至“”十四五期间末")


@pytest.mark.parametrize("source", ["corpus", "random"])
def test_time_patterns_skipped_only_where_they_cannot_match(source: str) -> None:
    texts = _lines() if source == "corpus" else _random_strings(TIME_CHARS, count=20000)
    for text in texts:
        norm = half_width(text)
        for rx, needs in timeexpr._DURATION_PATTERNS:
            if rx.search(norm):
                assert any(word in norm for word in needs), (rx.pattern, text)
        if timeexpr._FYP_PERIOD_RE.search(text):
            assert "十" in text
        if _points(timeexpr.POINT_RE, norm) or timeexpr._YEAR_END_RE.search(norm):
            assert "年" in norm or "月" in norm or "季" in norm, text
        if timeexpr._EVERY_RE.search(text) or timeexpr._CYCLE_RE.search(text):
            assert any(c in text for c in "每月季周旬"), text


def test_remembered_actor_lists_are_the_lists_read_afresh() -> None:
    from gazettekg.extract import duties
    from gazettekg.extract.agencies import Resolver, default_registry

    text = "\n".join(_lines()[:3000])
    rng = random.Random(13)
    resolver = Resolver(default_registry(), "重庆市")
    for step in range(6000):
        if step == 3000:
            resolver.define("集团公司", "重庆市能源投资集团有限公司")
        pos = rng.randrange(len(text) - 80)
        limit = pos + rng.randint(0, 60)
        loose = rng.random() < 0.3
        for _ in range(2):  # the second time from the memo
            assert duties.actor_list(text, pos, limit, resolver, loose) == \
                duties._actor_list(text, pos, limit, resolver, loose)
        # the same characters elsewhere give the same list, moved
        other = text[pos:limit + 1]
        shifted = "前" * 7 + other
        got, end = duties.actor_list(shifted, 7, 7 + limit - pos, resolver, loose)
        want, want_end = duties._actor_list(shifted, 7, 7 + limit - pos, resolver, loose)
        assert (got, end) == (want, want_end)


def test_ordinal_before_a_number_read_without_a_pattern() -> None:
    ordinal = re.compile(r"第\s*$")
    for text in _random_strings("第 \t\n\u3000\u2028\x1c条x", count=5000) + _lines():
        assert bool(ordinal.search(text)) == text.rstrip().endswith("第"), text


def test_comparators_read_as_before() -> None:
    from gazettekg.extract import numbers

    def plain(text: str, start: int, end: int, window: int = 8) -> str:
        after = half_width(text[end:end + 4]).lstrip()
        for word, rel in numbers._AFTER:
            if after.startswith(word):
                return rel
        before = half_width(text[max(0, start - window):start]).rstrip()
        before = numbers._REACHING_END.sub("", before).rstrip()
        for word, rel in numbers._BEFORE:
            if before.endswith(word):
                return rel
        return "="

    for line in _lines():
        for q in numbers.find_quantities(line, chinese=True):
            assert numbers.comparator_around(line, q.start, q.end) == plain(line, q.start, q.end), line


def test_local_departments_recognised_without_the_big_pattern() -> None:
    from gazettekg.extract import agencies

    pattern = agencies._local_department_pattern()
    names = sorted(agencies._local_department_names())
    rng = random.Random(17)
    heads = ["", "市", "省", "重庆市", "郑州市", "深圳市罗湖区", "委", "市委", "党委", "政府", "市政府", "各", "要求",
             "四川省成都市", "广东", "和", "负责", "国务院", "中国", "xx", "（", "市委市政府"]
    samples = []
    for name in names:
        filled = name.replace("*", rng.choice(["深圳", "广东省", "罗湖", "一", "深圳市中心", "深x", "深圳市中心区域"]))
        for head in heads:
            samples.append(head + filled)
            samples.append(head + filled[1:])
            samples.append(head + filled + "等")
    for line in _lines()[:2000]:
        for _ in range(10):
            a = rng.randrange(len(line))
            samples.append(agencies.normalize(line[a:a + rng.randint(2, 40)]))
    hits = 0
    for sample in samples:
        if "\n" in sample:
            continue
        want = bool(pattern.match(sample))
        hits += want
        assert agencies._local_department(sample) == want, sample
    assert hits > 1000
