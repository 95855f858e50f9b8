#!/usr/bin/env python3
"""Check the hand-made targets gold (<set>/gold/targets.jsonl) against the raw texts.

Usage: python3 check_targets.py [SET ...]      (default: dev prov central; "sample" checks
       sample/targets.jsonl against ../../../corpus/gazette-2022-01.txt). Standard library only.

For every record:
- it has exactly the 14 fields of FORMAT.md, in order; `doc` is an id of the set's gold/documents.jsonl
  and is printed in exactly one raw file
  (failing that, its notice_title or title is);
- `quote` occurs in that text once line breaks, tabs, spaces and U+3000 are removed from both;
- `value` (and `value_max`) is a number printed in the quote: Arabic digits, or Chinese numerals
  (十/百/千 are part of the number; 万/亿 are magnitudes that belong to the unit, so “万名” is 1 万名);
- `unit`, when not null, occurs in the quote (NFKC, so ％ = %) or, for a table cell, in the text;
  when the value is printed with 万/亿 right after it, the unit starts with that magnitude;
- `comparator` is one of = > >= <= approx and agrees with the words around the value
  (>= 以上/不低于/不少于/至少, > 超过/超/突破/高于/＞/余, <= 不超过/不高于/最高/以下/以内, approx 左右/约);
- `hedge` is 力争 or 争取 and one of them occurs in the sentence of the quote (the sample gold
  writes 力争 for a sentence with 争取); `attribute` (预期性/约束性) in the text;
- years are integers printed in the text; no record is repeated.
Exit status 1 on any error.
"""
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ['doc', 'where', 'indicator', 'subject', 'value', 'value_max', 'unit', 'comparator',
          'baseline', 'baseline_year', 'target_year', 'attribute', 'hedge', 'quote']
COMPARATORS = {'=', '>', '>=', '<=', 'approx'}
WORDS_BEFORE = {'>=': ('不低于', '不少于', '至少'), '>': ('超过', '突破', '高于', '＞', '>', '超'),
                '<=': ('不超过', '不高于', '最高', '不多于'), 'approx': ('约',)}
WORDS_AFTER = {'>=': ('以上', '及以上'), '>': ('余',), '<=': ('以下', '以内'), 'approx': ('左右',)}
CN_DIGIT = {'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7,
            '八': 8, '九': 9}
CN_UNIT = {'十': 10, '百': 100, '千': 1000}


def strip(s):
    """The raw text as a quote is compared with it: no line breaks, tabs, spaces or U+3000."""
    return re.sub(r'[\r\n\t \u3000]', '', s)


def nfkc(s):
    return unicodedata.normalize('NFKC', s)


def cn_number(run):
    """Value of a run of Chinese numerals without 万/亿 (一百二十 -> 120, 十五 -> 15, 千 -> 1000)."""
    total, digit = 0, None
    for ch in run:
        if ch in CN_DIGIT:
            digit = CN_DIGIT[ch]
        else:
            total += (1 if digit is None else digit) * CN_UNIT[ch]
            digit = None
    return total + (digit or 0)


def numbers(quote):
    """(value, magnitude, start, end) for every number printed in the quote (NFKC form).
    magnitude is 万/亿/万亿 when it follows the number, else ''."""
    q = nfkc(quote)
    out = []
    for m in re.finditer(r'(\d+(?:\.\d+)?)(\s*(?:万亿|万|亿))?', q):
        v = float(m.group(1))
        out.append((v, (m.group(2) or '').strip(), m.start(), m.end()))
    for m in re.finditer(r'([零〇一二两三四五六七八九十百千]*)(万亿|万|亿)?', q):
        run, mag = m.group(1), m.group(2) or ''
        if not run and not mag:
            continue
        if run and (run[0] in '零〇') and len(run) == 1:
            continue
        v = cn_number(run) if run else 1
        out.append((float(v), mag, m.start(), m.end()))
    return q, out


def sentences_of(text, quote):
    """The sentences (between two 。 of the stripped text) around every occurrence of the quote;
    a hedge governs its whole sentence, across ；, as in the sample gold."""
    out, i = [], text.find(quote)
    while i >= 0:
        a = text.rfind('。', 0, i) + 1
        b = text.find('。', i + len(quote))
        out.append(text[a:b if b >= 0 else len(text)])
        i = text.find(quote, i + 1)
    return out


def load_jsonl(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                rows.append((n, json.loads(line)))
    return rows


def sets_from_args(argv):
    names = argv or ['dev', 'prov', 'central']
    out = []
    for name in names:
        gold = os.path.join(HERE, name, 'gold') if name != 'sample' else os.path.join(HERE, 'sample')
        if name == 'sample':
            raws = [os.path.normpath(os.path.join(HERE, '..', '..', '..', 'corpus', 'gazette-2022-01.txt'))]
        else:
            rd = os.path.join(HERE, name, 'raw')
            raws = [os.path.join(rd, fn) for fn in sorted(os.listdir(rd)) if fn.endswith(('.txt', '.md'))]
        out.append((name, gold, raws))
    return out


def check_set(name, gold, raws):
    errors, notes = [], []
    texts = {}
    for p in raws:
        with open(p, encoding='utf-8', newline='') as f:
            texts[os.path.basename(p)] = strip(f.read())
    doc2text, unmapped = {}, {}
    for n, d in load_jsonl(os.path.join(gold, 'documents.jsonl')):
        for key in (d['doc'], d.get('notice_title'), d.get('title')):
            hits = [fn for fn, t in texts.items() if key and strip(key) in t]
            if len(hits) == 1:
                doc2text[d['doc']] = (hits[0], texts[hits[0]])
                break
        else:
            unmapped[d['doc']] = n
    path = os.path.join(gold, 'targets.jsonl')
    if not os.path.exists(path):
        return [f'{path} missing'], notes, {}
    seen = {}
    per_doc = {}
    for n, r in load_jsonl(path):
        e = lambda msg: errors.append(f'targets:{n} {msg}')
        if list(r) != FIELDS:
            e(f'fields {list(r)}')
            continue
        if r['doc'] not in doc2text:
            e(f'doc {r["doc"]} ' + ('not printed in one raw file' if r['doc'] in unmapped
                                    else 'not in documents.jsonl'))
            continue
        per_doc[r['doc']] = per_doc.get(r['doc'], 0) + 1
        fn, text = doc2text[r['doc']]
        key = json.dumps(r, ensure_ascii=False, sort_keys=True)
        if key in seen:
            e(f'repeats line {seen[key]}')
        seen[key] = n
        for k in ('where', 'indicator', 'quote'):
            if not isinstance(r[k], str) or not r[k].strip():
                e(f'empty {k}')
        if r['subject'] is not None and not (isinstance(r['subject'], str) and r['subject'].strip()):
            e('subject must be null or a non-empty string')
        q = r['quote'] or ''
        if strip(q) not in text:
            e(f'quote not in {fn}: {q}')
        # value / value_max
        qn, nums = numbers(q)
        for k in ('value', 'value_max'):
            v = r[k]
            if v is None and k == 'value_max':
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                e(f'{k} is not a number: {v!r}')
                continue
            if not any(abs(x[0] - v) < 1e-9 for x in nums):
                e(f'{k} {v} not printed in quote: {q}')
        if r['value_max'] is not None and isinstance(r['value'], (int, float)) and r['value_max'] <= r['value']:
            e('value_max not above value')
        # unit
        u = r['unit']
        hits = [x for x in nums if isinstance(r['value'], (int, float)) and abs(x[0] - r['value']) < 1e-9]
        if u is not None:
            un = strip(nfkc(u))
            if not un:
                e('empty unit (use null)')
            elif un in strip(qn):
                mags = {x[1] for x in hits}
                if mags and all(m for m in mags) and not any(un.startswith(m) for m in mags):
                    e(f'unit {u} drops the magnitude {sorted(mags)} printed with the value')
            elif un in strip(nfkc(text)):
                notes.append(f'{name} targets:{n} unit {u} from the table header ({r["where"]})')
            else:
                e(f'unit {u} not in text')
        # comparator
        c = r['comparator']
        if c not in COMPARATORS:
            e(f'bad comparator {c!r}')
        elif hits:
            def words_near(x):
                before = qn[max(0, x[2] - 4):x[2]]
                rest = strip(qn[x[3]:])
                un = strip(nfkc(u)) if u else ''
                tail = rest[len(un):] if un and rest.startswith(un) else rest
                return before, rest[:1] + tail[:3]
            def agrees(x, cmp):
                before, after = words_near(x)
                return (any(w in before for w in WORDS_BEFORE.get(cmp, ()))
                        or any(w in after for w in WORDS_AFTER.get(cmp, ())))
            if c != '=':
                # the marker may also govern a list: “分别达到80％、50％以上”, “超过…”
                if not any(agrees(x, c) for x in hits):
                    sent = qn
                    if not (any(w in sent for w in WORDS_BEFORE.get(c, ())) or
                            any(w in sent for w in WORDS_AFTER.get(c, ()))):
                        e(f'comparator {c} without its wording in quote: {q}')
            else:
                if all(any(agrees(x, k) for k in WORDS_BEFORE) for x in hits):
                    e(f'comparator = but the value is qualified in quote: {q}')
        # hedge / attribute / years / baseline
        h = r['hedge']
        if h is not None:
            if h not in ('力争', '争取'):
                e(f'bad hedge {h!r}')
            elif not any(w in x for w in ('力争', '争取') for x in [q] + sentences_of(text, strip(q))):
                e(f'hedge {h}: neither 力争 nor 争取 in the sentence of the quote')
        a = r['attribute']
        if a is not None and (a not in ('预期性', '约束性') or a not in text):
            e(f'bad attribute {a!r}')
        for k in ('target_year', 'baseline_year'):
            y = r[k]
            if y is not None:
                if not isinstance(y, int) or isinstance(y, bool) or not 1949 <= y <= 2100:
                    e(f'bad {k} {y!r}')
                elif str(y) not in text:
                    e(f'{k} {y} not printed in the text')
        b = r['baseline']
        if b is not None and (isinstance(b, bool) or not isinstance(b, (int, float))):
            e(f'baseline is not a number: {b!r}')
        if (b is None) != (r['baseline_year'] is None) and b is None:
            e('baseline_year without baseline')
    return errors, notes, per_doc


def main():
    bad = 0
    for name, gold, raws in sets_from_args(sys.argv[1:]):
        errors, notes, per_doc = check_set(name, gold, raws)
        for m in errors:
            print(f'ERROR {name} {m}')
        total = sum(per_doc.values())
        print(f'{name}: {total} targets, {len(errors)} errors, {len(notes)} units taken from a table header')
        for d, k in per_doc.items():
            print(f'    {k:4d}  {d}')
        bad += len(errors)
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
