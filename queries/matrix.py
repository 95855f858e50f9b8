"""Analyst tables read from the knowledge graph: the responsibility matrix, the per-agency
ledger (任务清单) and the targets table (目标).

Everything here is computed by SPARQL over the store (the union of all ingested issues),
never from the extractor's JSON Lines, so the tables always say what the graph says.
The functions are pure over a ``pyoxigraph.Store``; writing files is queries/xlsx.py.

Order: tasks follow the documents, documents follow their issue and their place in it
(the document's source span), tasks their heading's offset in the issue text, so a
matrix reads like the gazette itself. Agency columns are busiest first.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from gazettekg.graph.ids import normalize
from gazettekg.graph.sparql import run

ROLE_LABELS = {"lead": "牵头", "support": "参与"}
IMPLICIT_MARK = "*"
LEGEND = (
    ("牵头", "牵头单位：任务条款点名牵头（或排在首位）的单位"),
    ("参与", "参与单位：任务条款点名的配合、参与单位"),
    (f"牵头{IMPLICIT_MARK}", "隐含牵头：任务条款未点名，由文件其他语句推定为牵头"),
    (f"参与{IMPLICIT_MARK}", "隐含参与：任务条款未点名，由文件其他语句（如“以下均需各区县政府负责”）推定"),
)


def cell_label(role: str, basis: str) -> str:
    """The matrix cell of one assignment: 牵头 / 参与, with * when the assignment is implicit."""
    label = ROLE_LABELS.get(role, role)
    return label + IMPLICIT_MARK if basis == "implicit" else label


@dataclass(frozen=True, slots=True)
class AgencyColumn:
    key: str  # the agency's graph key
    name: str  # canonical official name
    short_name: str
    header: str  # what the column is titled: the short name, or the full name where short names clash
    lead: int  # lead assignments in the selection
    support: int  # support assignments in the selection


@dataclass(frozen=True, slots=True)
class TaskRow:
    key: str  # the task's graph key
    issue: str  # issue label ("" when the graph holds no Issue node for its document)
    doc: str  # document key (发文字号 when it has one)
    doc_title: str
    path: str  # heading path, e.g. 三.（一）.1
    title: str  # task title
    deadline: str  # earliest end date (ISO) of the task's own deadlines, "" if none
    deadline_text: str  # the task's deadline expressions as written, "；"-joined
    start: int  # offset of the heading in its issue's text (document order)


@dataclass(frozen=True, slots=True)
class Assignment:
    """One assignment as the graph holds it (the reified gkg:Assignment)."""

    task: str  # task key
    agency: str  # agency key
    role: str  # lead | support
    basis: str  # explicit | implicit
    lead_basis: str  # marked | first_listed | ""
    rank: int
    quote: str
    pages: tuple[int, ...]
    start: int  # offset of the quote


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """A line of the 任务清单: one agency's part in one task."""

    agency: str  # column header of the agency (short name)
    agency_name: str
    doc: str
    path: str
    task: str
    role: str  # 牵头 / 参与, * when implicit
    deadline: str
    deadline_text: str
    targets: str  # the task's own targets, "；"-joined ("指标 ≥ 值单位（年）")
    quote: str
    pages: str  # "3" or "3-4"


@dataclass(frozen=True, slots=True)
class TargetRow:
    doc: str
    path: str
    task: str  # title of the task the target hangs on ("" for a document-level target)
    indicator: str
    subject: str
    comparator: str
    value: str
    value_max: str
    unit: str
    baseline: str
    baseline_year: int | None
    target_year: int | None
    attribute: str
    hedge: str
    quote: str
    pages: str


@dataclass(frozen=True, slots=True)
class Matrix:
    agencies: list[AgencyColumn]  # busiest first
    tasks: list[TaskRow]  # document order
    cells: dict[tuple[str, str], str]  # (task key, agency key) -> 牵头 / 参与 / 牵头* / 参与*

    def cell(self, task: str, agency: str) -> str:
        return self.cells.get((task, agency), "")


@dataclass(frozen=True, slots=True)
class Report:
    """What `gazettekg export matrix` writes: the matrix and its two companion sheets."""

    matrix: Matrix
    ledger: list[LedgerRow]
    targets: list[TargetRow]


# ---------------------------------------------------------------- SPARQL

_AGENCIES = """
SELECT ?key ?name ?short (GROUP_CONCAT(DISTINCT ?alias; separator="\\u001f") AS ?aliases) WHERE {
  ?g a gkg:Agency ; gkg:key ?key ; skos:prefLabel ?name .
  OPTIONAL { ?g gkg:shortName ?short }
  OPTIONAL { ?g skos:altLabel ?alias }
}
GROUP BY ?key ?name ?short
"""

_DOCUMENTS = """
SELECT ?key (SAMPLE(?t) AS ?title) (SAMPLE(?n) AS ?number) (MIN(?s) AS ?start) (MIN(?issueLabel) AS ?issue) WHERE {
  ?d a gkg:Document ; gkg:key ?key .
  OPTIONAL { ?d eli:title ?t }
  OPTIONAL { ?d gkg:number ?n }
  OPTIONAL { ?d prov:wasDerivedFrom/gkg:start ?s }
  OPTIONAL { ?i gkg:contains ?d ; rdfs:label ?issueLabel }
}
GROUP BY ?key
"""

# Tasks that some agency is assigned to, with their own deadlines (not their parents').
_TASKS = """
SELECT ?key ?doc ?path ?title (MIN(?sectionStart) AS ?start) (MIN(?end) AS ?deadline)
       (GROUP_CONCAT(DISTINCT ?expr; separator="；") AS ?exprs) WHERE {
  ?t a gkg:Task ; gkg:key ?key ; gkg:path ?path ; gkg:document/gkg:key ?doc .
  FILTER EXISTS { ?a a gkg:Assignment ; gkg:task ?t }
  OPTIONAL { ?t eli:title ?title }
  OPTIONAL { ?t gkg:sectionStart ?sectionStart }
  OPTIONAL { ?t gkg:dueBy ?dl . ?dl gkg:expr ?expr . OPTIONAL { ?dl gkg:endDate ?end } }
}
GROUP BY ?key ?doc ?path ?title
"""

_ASSIGNMENTS = """
SELECT ?task ?agency ?role ?basis ?leadBasis ?rank ?quote ?start
       (GROUP_CONCAT(DISTINCT STR(?page); separator=",") AS ?pages) WHERE {
  ?a a gkg:Assignment ; gkg:task/gkg:key ?task ; gkg:agency/gkg:key ?agency ; gkg:role ?role .
  OPTIONAL { ?a gkg:basis ?basis }
  OPTIONAL { ?a gkg:leadBasis ?leadBasis }
  OPTIONAL { ?a gkg:rank ?rank }
  OPTIONAL { ?a prov:wasDerivedFrom ?span . ?span gkg:quote ?quote ; gkg:start ?start .
             OPTIONAL { ?span gkg:page ?page } }
}
GROUP BY ?a ?task ?agency ?role ?basis ?leadBasis ?rank ?quote ?start
"""

_TARGETS = """
SELECT ?target ?doc ?where ?task ?indicator ?subject ?comparator ?value ?valueMax ?unit ?baseline
       ?baselineYear ?targetYear ?attribute ?hedge ?quote ?start
       (GROUP_CONCAT(DISTINCT STR(?page); separator=",") AS ?pages) WHERE {
  ?target a gkg:Target ; gkg:document/gkg:key ?doc ; gkg:where ?where .
  OPTIONAL { ?holder gkg:aimsAt ?target ; a gkg:Task ; gkg:key ?task }
  OPTIONAL { ?target gkg:indicator ?indicator }
  OPTIONAL { ?target gkg:subject ?subject }
  OPTIONAL { ?target gkg:comparator ?comparator }
  OPTIONAL { ?target gkg:value ?value }
  OPTIONAL { ?target gkg:valueMax ?valueMax }
  OPTIONAL { ?target gkg:unit ?unit }
  OPTIONAL { ?target gkg:baseline ?baseline }
  OPTIONAL { ?target gkg:baselineYear ?baselineYear }
  OPTIONAL { ?target gkg:targetYear ?targetYear }
  OPTIONAL { ?target gkg:attribute ?attribute }
  OPTIONAL { ?target gkg:hedge ?hedge }
  OPTIONAL { ?target prov:wasDerivedFrom ?span . ?span gkg:quote ?quote ; gkg:start ?start .
             OPTIONAL { ?span gkg:page ?page } }
}
GROUP BY ?target ?doc ?where ?task ?indicator ?subject ?comparator ?value ?valueMax ?unit ?baseline
         ?baselineYear ?targetYear ?attribute ?hedge ?quote ?start
"""

_TASK_TITLES = """
SELECT ?key ?title ?start WHERE {
  ?t a gkg:Task ; gkg:key ?key .
  OPTIONAL { ?t eli:title ?title }
  OPTIONAL { ?t gkg:sectionStart ?start }
}
"""


def _records(store: ox.Store, text: str) -> list[dict[str, object]]:
    columns, rows = run(store, text)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _pages(value: object) -> tuple[int, ...]:
    return tuple(sorted({int(p) for p in _text(value).split(",") if p.strip().isdigit()}))


def page_range(pages: Iterable[int]) -> str:
    """Pages as a reader cites them: "3", "3-4", "" when unknown."""
    pages = sorted(set(pages))
    if not pages:
        return ""
    return str(pages[0]) if pages[0] == pages[-1] else f"{pages[0]}-{pages[-1]}"


# ---------------------------------------------------------------- reading the graph


@dataclass(frozen=True, slots=True)
class _Agency:
    key: str
    name: str
    short_name: str
    names: frozenset[str]  # every normalized spelling: key, name, short name, aliases


@dataclass(frozen=True, slots=True)
class _Document:
    key: str
    title: str
    number: str
    issue: str
    start: int


_UNPLACED = 1 << 62  # sorts after every real offset: a document or task the graph cannot place


def _natural(text: str) -> tuple:
    """A sort key that puts 第9期 before 第10期: digit runs compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _document_order(documents: dict[str, _Document]) -> Callable[[str], tuple]:
    """Sort key of a document key: its issue (naturally ordered), then its place in the issue."""
    keys = {k: (_natural(d.issue), d.start, k) for k, d in documents.items()}
    return lambda doc: keys.get(doc, ((), _UNPLACED, doc))


def _agencies(store: ox.Store) -> dict[str, _Agency]:
    agencies = {}
    for r in _records(store, _AGENCIES):
        key, name = _text(r["key"]), _text(r["name"])
        short = _text(r["short"]) or name
        aliases = [a for a in _text(r["aliases"]).split("\x1f") if a]
        spellings = frozenset(normalize(s) for s in (key, name, short, *aliases) if s)
        agencies[key] = _Agency(key, name, short, spellings)
    return agencies


def _documents(store: ox.Store) -> dict[str, _Document]:
    documents = {}
    for r in _records(store, _DOCUMENTS):
        start = r["start"]
        documents[_text(r["key"])] = _Document(
            _text(r["key"]), _text(r["title"]), _text(r["number"]), _text(r["issue"]),
            int(start) if start is not None else _UNPLACED,
        )  # fmt: skip
    return documents


def _assignments(store: ox.Store) -> list[Assignment]:
    return [
        Assignment(
            _text(r["task"]),
            _text(r["agency"]),
            _text(r["role"]),
            _text(r["basis"]) or "explicit",
            _text(r["leadBasis"]),
            int(r["rank"] or 0),
            _text(r["quote"]),
            _pages(r["pages"]),
            int(r["start"] or 0),
        )
        for r in _records(store, _ASSIGNMENTS)
    ]


def _resolve(wanted: Iterable[str], known: dict[str, frozenset[str]], what: str) -> set[str]:
    """Keys of the nodes that the user's spellings name; a spelling naming none is an error."""
    keys: set[str] = set()
    for spelling in wanted:
        target = normalize(spelling)
        found = {key for key, names in known.items() if target in names}
        if not found:
            raise LookupError(f"no {what} in the graph is called {spelling!r}")
        keys |= found
    return keys


def resolve_agencies(store: ox.Store, wanted: Iterable[str]) -> set[str]:
    """Agency keys for names as a user types them: key, official name, short name or alias."""
    return _resolve(wanted, {k: a.names for k, a in _agencies(store).items()}, "agency")


def resolve_documents(store: ox.Store, wanted: Iterable[str]) -> set[str]:
    """Document keys for 发文字号 (any spacing or bracket width) or exact titles."""
    known = {k: frozenset(normalize(s) for s in (k, d.number, d.title) if s) for k, d in _documents(store).items()}
    return _resolve(wanted, known, "document")


def _headers(agencies: list[_Agency]) -> dict[str, str]:
    """Column titles: short names, except where two agencies share one (then the full name)."""
    clashes = Counter(a.short_name for a in agencies)
    return {a.key: a.short_name if clashes[a.short_name] == 1 else a.name for a in agencies}


def _task_rows(store: ox.Store, documents: dict[str, _Document], assignments: list[Assignment]) -> list[TaskRow]:
    first_quote: dict[str, int] = {}
    for a in assignments:  # a task outside the heading tree is placed by its first assignment
        first_quote[a.task] = min(a.start, first_quote.get(a.task, a.start))
    rows = []
    for r in _records(store, _TASKS):
        key, doc = _text(r["key"]), _text(r["doc"])
        d = documents.get(doc, _Document(doc, "", "", "", _UNPLACED))
        start = r["start"] if r["start"] is not None else first_quote.get(key, 0)
        rows.append(TaskRow(
            key, d.issue, doc, d.title, _text(r["path"]), _text(r["title"]), _text(r["deadline"]),
            _text(r["exprs"]), int(start),
        ))  # fmt: skip
    order = _document_order(documents)
    rows.sort(key=lambda t: (order(t.doc), t.start, t.path, t.key))
    return rows


def responsibility_matrix(store: ox.Store, *, documents: Iterable[str] = (), agencies: Iterable[str] = ()) -> Matrix:
    """Tasks x agencies with 牵头 / 参与 (and * for implicit) cells, read from the graph.

    ``documents`` and ``agencies`` narrow the matrix (names as a user types them, see
    :func:`resolve_documents` / :func:`resolve_agencies`): rows are then the tasks of
    those documents that at least one of those agencies is assigned to, and columns
    those agencies. Where one agency holds two assignments on a task (lead and support,
    or explicit and implicit) the cell shows the stronger: lead over support, explicit
    over implicit.
    """
    return _build(store, documents, agencies)[0]


def _build(store: ox.Store, documents: Iterable[str], agencies: Iterable[str]):
    doc_keys = resolve_documents(store, documents) if documents else None
    agency_keys = resolve_agencies(store, agencies) if agencies else None
    all_agencies = _agencies(store)
    all_documents = _documents(store)
    assignments = _assignments(store)
    tasks = _task_rows(store, all_documents, assignments)
    tasks_by_key = {t.key: t for t in tasks}

    chosen = [
        a for a in assignments
        if a.task in tasks_by_key
        and (doc_keys is None or tasks_by_key[a.task].doc in doc_keys)
        and (agency_keys is None or a.agency in agency_keys)
    ]  # fmt: skip
    strength = {("lead", "explicit"): 0, ("lead", "implicit"): 1, ("support", "explicit"): 2}
    best: dict[tuple[str, str], Assignment] = {}
    for a in sorted(chosen, key=lambda a: (strength.get((a.role, a.basis), 3), a.rank)):
        best.setdefault((a.task, a.agency), a)

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for a in chosen:
        counts[a.agency][a.role] += 1
    used = [all_agencies.get(k) or _Agency(k, k, k, frozenset({k})) for k in counts]
    headers = _headers(used)
    columns = sorted(
        (AgencyColumn(a.key, a.name, a.short_name, headers[a.key], counts[a.key]["lead"], counts[a.key]["support"])
         for a in used),
        key=lambda c: (-(c.lead + c.support), -c.lead, c.header, c.key),
    )  # fmt: skip
    assigned_tasks = {a.task for a in chosen}
    rows = [t for t in tasks if t.key in assigned_tasks]
    cells = {pair: cell_label(a.role, a.basis) for pair, a in best.items()}
    return Matrix(columns, rows, cells), chosen, tasks_by_key, headers, all_agencies, doc_keys


def _target_text(t: TargetRow) -> str:
    signs = {">": ">", ">=": "≥", "<=": "≤", "<": "<", "approx": "约", "=": ""}
    value = t.value + (f"-{t.value_max}" if t.value_max else "")
    year = f"（{t.target_year}年）" if t.target_year else ""
    sign = signs.get(t.comparator, t.comparator)
    return f"{t.hedge}{t.indicator} {sign}{value}{t.unit}{year}".strip()


def targets_table(store: ox.Store, *, documents: Iterable[str] = ()) -> list[TargetRow]:
    """Every quantitative target in the graph (of ``documents``, when given), in document order."""
    doc_keys = resolve_documents(store, documents) if documents else None
    return [row for row, _ in _targets(store, doc_keys)]


def _targets(store: ox.Store, doc_keys: set[str] | None) -> list[tuple[TargetRow, str]]:
    titles = {_text(r["key"]): (_text(r["title"]), r["start"]) for r in _records(store, _TASK_TITLES)}
    order = _document_order(_documents(store))
    found = []
    for r in _records(store, _TARGETS):
        doc = _text(r["doc"])
        if doc_keys is not None and doc not in doc_keys:
            continue
        task = _text(r["task"])
        row = TargetRow(
            doc, _text(r["where"]), titles.get(task, ("", None))[0], _text(r["indicator"]), _text(r["subject"]),
            _text(r["comparator"]), _text(r["value"]), _text(r["valueMax"]), _text(r["unit"]), _text(r["baseline"]),
            None if r["baselineYear"] is None else int(r["baselineYear"]),
            None if r["targetYear"] is None else int(r["targetYear"]),
            _text(r["attribute"]), _text(r["hedge"]), _text(r["quote"]), page_range(_pages(r["pages"])),
        )  # fmt: skip
        found.append((row, task, int(r["start"] or 0)))
    found.sort(key=lambda f: (order(f[0].doc), f[2], f[0].path, f[0].indicator))
    return [(row, task) for row, task, _ in found]


def ledger(store: ox.Store, *, documents: Iterable[str] = (), agencies: Iterable[str] = ()) -> list[LedgerRow]:
    """The 任务清单: for each agency (busiest first), its tasks in document order."""
    return build_report(store, documents=documents, agencies=agencies).ledger


def build_report(store: ox.Store, *, documents: Iterable[str] = (), agencies: Iterable[str] = ()) -> Report:
    """The matrix, the ledger and the targets table of one selection, from one read of the graph."""
    matrix, chosen, tasks_by_key, headers, all_agencies, doc_keys = _build(store, documents, agencies)
    targets = _targets(store, doc_keys)
    by_task: dict[str, list[str]] = defaultdict(list)
    for row, task in targets:
        if task:
            by_task[task].append(_target_text(row))

    position = {t.key: i for i, t in enumerate(matrix.tasks)}
    column = {c.key: i for i, c in enumerate(matrix.agencies)}
    lines = []
    for a in sorted(chosen, key=lambda a: (column[a.agency], position[a.task], a.role != "lead", a.rank)):
        t = tasks_by_key[a.task]
        agency = all_agencies.get(a.agency)
        lines.append(LedgerRow(
            headers[a.agency], agency.name if agency else a.agency, t.doc, t.path, t.title,
            cell_label(a.role, a.basis), t.deadline, t.deadline_text, "；".join(by_task.get(a.task, [])),
            a.quote, page_range(a.pages),
        ))  # fmt: skip
    return Report(matrix, lines, [row for row, _ in targets])


# ---------------------------------------------------------------- flat tables (CSV, tests, notebooks)

MATRIX_FIXED_COLUMNS = ("文件", "条目", "任务", "时限")
LEDGER_COLUMNS = ("单位", "单位全称", "文件", "条目", "任务", "分工", "时限", "时限原文", "目标", "原文", "页码")
TARGET_COLUMNS = (
    "文件", "条目", "任务", "指标", "对象", "比较", "目标值", "目标值上限", "单位", "基数", "基年", "目标年",
    "属性", "措辞", "原文", "页码",
)  # fmt: skip


def matrix_table(matrix: Matrix) -> tuple[list[str], list[list[str]]]:
    """The matrix as a header and rows of text: 文件, 条目, 任务, 时限, then one column per agency."""
    header = [*MATRIX_FIXED_COLUMNS, *(c.header for c in matrix.agencies)]
    rows = [
        [t.doc, t.path, t.title, t.deadline or t.deadline_text, *(matrix.cell(t.key, c.key) for c in matrix.agencies)]
        for t in matrix.tasks
    ]
    return header, rows


def ledger_table(rows: list[LedgerRow]) -> tuple[list[str], list[list[object]]]:
    return list(LEDGER_COLUMNS), [
        [r.agency, r.agency_name, r.doc, r.path, r.task, r.role, r.deadline, r.deadline_text, r.targets, r.quote,
         r.pages]
        for r in rows
    ]  # fmt: skip


def targets_table_rows(rows: list[TargetRow]) -> tuple[list[str], list[list[object]]]:
    return list(TARGET_COLUMNS), [
        [r.doc, r.path, r.task, r.indicator, r.subject, r.comparator, r.value, r.value_max, r.unit, r.baseline,
         r.baseline_year, r.target_year, r.attribute, r.hedge, r.quote, r.pages]
        for r in rows
    ]  # fmt: skip
