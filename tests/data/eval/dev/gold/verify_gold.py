#!/usr/bin/env python3
"""Check gold/*.jsonl against raw/*.txt (standard library only).
Run from anywhere: python3 verify_gold.py"""
import datetime
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RAW = os.path.join(HERE, '..', 'raw')

def norm(s):
    return re.sub(r'[\r\n\u3000 \t]', '', s)

texts = {}
for fn in sorted(os.listdir(RAW)):
    if fn.endswith('.txt'):
        with open(os.path.join(RAW, fn), encoding='utf-8', newline='') as f:
            texts[fn] = f.read()

def load(name):
    rows = []
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        for i, line in enumerate(f, 1):
            if line.strip():
                rows.append((i, json.loads(line)))
    return rows

errors = []
def err(msg):
    errors.append(msg)

def iso(d):
    try:
        datetime.date.fromisoformat(d); return True
    except Exception:
        return False

F_DOC = ['doc', 'notice_title', 'title', 'issuer', 'date', 'recipients']
F_ASG = ['doc', 'path', 'title', 'lead', 'units', 'implicit_units', 'lead_basis']
F_DL = ['doc', 'where', 'what', 'expr', 'kind', 'start', 'end', 'recurrence', 'quote']

docs = load('documents.jsonl')
doc2text = {}
for i, d in docs:
    if list(d) != F_DOC: err(f'documents:{i} fields {list(d)}')
    hits = [fn for fn, t in texts.items() if norm(d['doc']) in norm(t)]
    if len(hits) != 1: err(f'documents:{i} doc {d["doc"]} found in {hits}'); continue
    t = norm(texts[hits[0]]); doc2text[d['doc']] = t
    for k in ['notice_title', 'title', 'issuer', 'recipients']:
        if d[k] and norm(d[k]) not in t: err(f'documents:{i} {k} not in text: {d[k]}')
    if d['date'] is not None:
        if not iso(d['date']): err(f'documents:{i} bad date')
        else:
            y, m, dd = d['date'].split('-')
            if f'{int(y)}年{int(m)}月{int(dd)}日' not in t: err(f'documents:{i} date not printed: {d["date"]}')

SEP = re.compile(r'[、，,；;]')
def outside_brackets(u):
    depth = 0; out = ''
    for ch in u:
        if ch in '（(〔[【': depth += 1
        elif ch in '）)〕]】': depth -= 1
        elif depth == 0: out += ch
    return out

asg = load('assignments.jsonl')
paths = set(); titles = {}
for i, a in asg:
    if list(a) != F_ASG: err(f'assignments:{i} fields {list(a)}')
    t = doc2text.get(a['doc'])
    if t is None: err(f'assignments:{i} unknown doc {a["doc"]}'); continue
    key = (a['doc'], a['path'])
    if key in paths: err(f'assignments:{i} duplicate path {key}')
    paths.add(key)
    tk = (a['doc'], norm(a['title']))
    if tk in titles: err(f'assignments:{i} duplicate title in doc (also line {titles[tk]})')
    titles[tk] = i
    if norm(a['title']) not in t: err(f'assignments:{i} title not in text: {a["title"][:40]}')
    if a['title'].endswith('。'): err(f'assignments:{i} title ends with 。')
    if not a['units']: err(f'assignments:{i} no units')
    if a['lead'] not in a['units']: err(f'assignments:{i} lead not in units')
    if a['units'] and a['units'][0] != a['lead']: err(f'assignments:{i} lead not listed first')
    if len(set(a['units'])) != len(a['units']): err(f'assignments:{i} duplicate unit')
    if a['lead_basis'] not in ('explicit', 'position'): err(f'assignments:{i} bad lead_basis')
    for u in a['units'] + a['implicit_units']:
        if norm(u) not in t: err(f'assignments:{i} unit not in text: {u}')
        if SEP.search(outside_brackets(u)): err(f'assignments:{i} unit contains separator: {u}')
        if re.match(r'^(等|负责|牵头|配合)', u) or re.search(r'(等|负责|牵头负责|配合|按职责分工)$', u):
            err(f'assignments:{i} unit keeps a clause word: {u}')
    for u in a['implicit_units']:
        if u in a['units']: err(f'assignments:{i} implicit unit also explicit: {u}')

dls = load('deadlines.jsonl')
for i, d in dls:
    if list(d) != F_DL: err(f'deadlines:{i} fields {list(d)}')
    t = doc2text.get(d['doc'])
    if t is None: err(f'deadlines:{i} unknown doc'); continue
    q = d['quote']
    if not (8 <= len(q) <= 80): err(f'deadlines:{i} quote length {len(q)}')
    if d['expr'] not in q: err(f'deadlines:{i} expr not in quote')
    if norm(q) not in t: err(f'deadlines:{i} quote not in text: {q}')
    if norm(d['expr']) not in t: err(f'deadlines:{i} expr not in text')
    for k in ('start', 'end'):
        if d[k] is not None and not iso(d[k]): err(f'deadlines:{i} bad {k}')
    k = d['kind']
    if k == 'by' and (d['end'] is None or d['start'] is not None or d['recurrence']): err(f'deadlines:{i} inconsistent by')
    elif k == 'period' and d['start'] is None: err(f'deadlines:{i} period without start')
    elif k == 'recurring' and d['recurrence'] not in ('monthly', 'quarterly', 'yearly'): err(f'deadlines:{i} bad recurrence')
    elif k == 'duration' and (d['start'] or d['end'] or d['recurrence']): err(f'deadlines:{i} duration with dates')
    elif k not in ('by', 'period', 'recurring', 'duration'): err(f'deadlines:{i} bad kind')
    if k != 'recurring' and d['recurrence'] is not None: err(f'deadlines:{i} recurrence on non-recurring')
    if d['start'] and d['end'] and d['start'] > d['end']: err(f'deadlines:{i} start after end')
    # where must be a path used in assignments or a non-task location
    if (d['doc'], d['where']) not in paths and not re.match(r'^(标题|[一二三四五六七八九十]+\.p\d+)$', d['where']):
        err(f'deadlines:{i} where not a known path: {d["where"]}')

for e in errors: print('ERROR', e)
n_pairs = sum(len(a['units']) for _, a in asg); n_impl = sum(len(a['implicit_units']) for _, a in asg)
print(f'{"FAIL" if errors else "OK"}: documents {len(docs)}, assignments {len(asg)} '
      f'(unit pairs {n_pairs}, implicit {n_impl}), deadlines {len(dls)}, errors {len(errors)}')
sys.exit(1 if errors else 0)
