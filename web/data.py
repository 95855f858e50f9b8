"""What the web pages show, read from the store: plain dataclasses, no HTML.

Every page is a handful of selective SPARQL queries that start from one node's IRI (an agency,
a task, a document), so a page costs the same on a 100-issue store as on one issue. Node IRIs
are computed from keys as graph/ids.py does, and passed as escaped terms (graph/sparql.run).

The text of a document is not in the graph: it comes from the extraction the ingest saved under
the store folder (``STORE/extractions/SHA256.pickle``, see graph/store.save_extraction), found
through the manifest, whose entries list each input's document content graphs.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from gazettekg.graph.damage import StoreDamaged
from gazettekg.graph.ids import iri, normalize
from gazettekg.graph.sparql import run
from gazettekg.graph.store import GraphStore, manifest_stamp, transient

ROLE_LABELS = {"lead": "牵头", "support": "参与"}
BASIS_LABELS = {"explicit": "明示", "implicit": "隐含"}
_COMPARATORS = {">": ">", ">=": "≥", "<=": "≤", "<": "<", "approx": "约", "=": ""}


def node(kind: str, key: str) -> ox.NamedNode:
    return ox.NamedNode(iri(kind, key))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def natural(text: str) -> tuple:
    """Sort key that puts 第9期 before 第10期."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text))


def _values(nodes: list[ox.NamedNode]) -> str:
    return " ".join(str(n) for n in nodes)


def page_range(pages: set[int] | list[int] | tuple[int, ...]) -> str:
    pages = sorted(set(pages))
    if not pages:
        return ""
    return str(pages[0]) if pages[0] == pages[-1] else f"{pages[0]}-{pages[-1]}"


# ---------------------------------------------------------------- the store, renewed when an ingest lands


class StoreView:
    """A read-only view of a store folder, reopened when its manifest changes (an ingest finished).

    The Oxigraph database is opened with ``Store.read_only`` (no write lock), so ``gazettekg ingest``
    can write the store while it is served. Caches (saved extractions, agency names) live as long as
    one view.
    """

    def __init__(self, store_dir: Path | str) -> None:
        self.directory = Path(store_dir)
        if not (self.directory / "oxigraph").exists():
            raise FileNotFoundError(f"no store at {self.directory}: run `gazettekg ingest INPUT... --store DIR`")
        self._lock = threading.Lock()
        self._stamp = manifest_stamp(self.directory)
        self._graph = GraphStore(self.directory, read_only=True)
        self._cache: dict[str, object] = {}
        self._extractions: OrderedDict[str, object] = OrderedDict()

    def current(self) -> GraphStore:
        with self._lock:
            stamp = manifest_stamp(self.directory)
            if stamp != self._stamp:
                try:
                    self._graph = GraphStore(self.directory, read_only=True)
                    self._stamp = stamp
                    self._cache = {}
                    self._extractions = OrderedDict()
                except (OSError, RuntimeError, StoreDamaged) as error:
                    # A writer is mid-flush, or replaced a file during the open (a bulk load rolls
                    # RocksDB's MANIFEST): keep the previous view, try again next request.
                    if isinstance(error, StoreDamaged) and not transient(error):
                        raise
            return self._graph

    @property
    def oxigraph(self) -> ox.Store:
        return self.current().oxigraph

    def query(self, text: str, params: dict[str, object] | None = None) -> list[dict[str, object]]:
        columns, rows = run(self.oxigraph, text, params)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def cached(self, name: str, make):
        graph = self.current()  # renews (and clears the caches) first
        with self._lock:
            if name in self._cache and graph is self._graph:
                return self._cache[name]
        value = make()
        with self._lock:
            self._cache[name] = value
        return value

    def manifest(self) -> dict[str, dict]:
        try:
            return dict(self.current().manifest)
        except Exception:  # a damaged manifest: pages without source text, not a crash
            return {}

    def extraction(self, sha256: str):
        with self._lock:
            if sha256 in self._extractions:
                self._extractions.move_to_end(sha256)
                return self._extractions[sha256]
        found = self.current().saved_extraction(sha256)
        with self._lock:
            self._extractions[sha256] = found
            while len(self._extractions) > 8:
                self._extractions.popitem(last=False)
        return found


# ---------------------------------------------------------------- agencies


@dataclass(frozen=True, slots=True)
class AgencyName:
    key: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    kind: str

    @property
    def spellings(self) -> set[str]:
        return {normalize(s) for s in (self.key, self.name, self.short_name, *self.aliases) if s}


_AGENCIES = """
SELECT ?key ?name ?short ?kind (GROUP_CONCAT(DISTINCT ?alias; separator="\\u001f") AS ?aliases) WHERE {
  ?g a gkg:Agency ; gkg:key ?key .
  OPTIONAL { ?g skos:prefLabel ?name }
  OPTIONAL { ?g gkg:shortName ?short }
  OPTIONAL { ?g gkg:kind ?kind }
  OPTIONAL { ?g skos:altLabel ?alias }
}
GROUP BY ?key ?name ?short ?kind
"""


def agencies(view: StoreView) -> dict[str, AgencyName]:
    def make() -> dict[str, AgencyName]:
        found = {}
        for r in view.query(_AGENCIES):
            key = _text(r["key"])
            aliases = tuple(a for a in _text(r["aliases"]).split("\x1f") if a)
            name = _text(r["name"]) or key
            found[key] = AgencyName(key, name, _text(r["short"]) or name, aliases, _text(r["kind"]))
        return found

    return view.cached("agencies", make)


def resolve_agency(view: StoreView, spelling: str) -> list[str]:
    """Agency keys a spelling names: key, official name, short name or alias (市应急局 = 重庆市应急管理局).

    The same rule as the CLI's resolver (graph/sparql.agency_keys), over the cached names.
    """
    wanted = normalize(spelling)
    return sorted(k for k, a in agencies(view).items() if wanted in a.spellings)


# ---------------------------------------------------------------- agency page


@dataclass(slots=True)
class AgencyTask:
    task: str  # task key
    path: str
    title: str
    doc: str
    doc_title: str
    issue: str  # issue key ("" when no issue holds the document)
    issue_label: str
    role: str  # lead | support
    basis: str  # explicit | implicit
    pages: str
    deadline: str  # earliest ISO end date of the task's own deadlines
    deadline_text: str
    targets: list[str]
    order: tuple = ()

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS.get(self.basis, self.basis)


@dataclass(slots=True)
class AgencyPage:
    agency: AgencyName
    tasks: list[AgencyTask]  # every assignment of the agency, in gazette order
    co_agencies: list[tuple[AgencyName, int]]
    parent: AgencyName | None = None
    labels: dict[str, str] = field(default_factory=dict)  # co-agency key -> unambiguous label


# Each pattern is a lookup in the union of ~all named graphs: the page asks only what it shows
# (a task's key and its document's key are read from their IRIs), ~0.2 s for 600 assignments
# on the 100-issue store.
_AGENCY_ASSIGNMENTS = """
SELECT ?a ?t ?path ?title ?d ?role ?basis ?start ?page WHERE {
  ?a gkg:agency $agency ; gkg:task ?t ; gkg:role ?role ; prov:wasDerivedFrom ?span .
  ?span gkg:start ?start .
  ?t gkg:path ?path ; gkg:document ?d .
  OPTIONAL { ?a gkg:basis ?basis }
  OPTIONAL { ?span gkg:page ?page }
  OPTIONAL { ?t eli:title ?title }
}
"""

_TASK_DEADLINES = """
SELECT ?t ?expr ?end WHERE {
  VALUES ?t { %s }
  ?t gkg:dueBy ?dl . ?dl gkg:expr ?expr .
  OPTIONAL { ?dl gkg:endDate ?end }
}
"""

_TASK_TARGETS = """
SELECT ?t ?tg ?indicator ?comparator ?value ?valueMax ?unit ?year ?hedge ?start WHERE {
  VALUES ?t { %s }
  ?t gkg:aimsAt ?tg .
  OPTIONAL { ?tg gkg:indicator ?indicator }
  OPTIONAL { ?tg gkg:comparator ?comparator }
  OPTIONAL { ?tg gkg:value ?value }
  OPTIONAL { ?tg gkg:valueMax ?valueMax }
  OPTIONAL { ?tg gkg:unit ?unit }
  OPTIONAL { ?tg gkg:targetYear ?year }
  OPTIONAL { ?tg gkg:hedge ?hedge }
  OPTIONAL { ?tg prov:wasDerivedFrom/gkg:start ?start }
}
"""

_DOC_INFO = """
SELECT ?d ?title ?number ?docStart ?issue ?issueLabel WHERE {
  VALUES ?d { %s }
  OPTIONAL { ?d eli:title ?title }
  OPTIONAL { ?d gkg:number ?number }
  OPTIONAL { ?d prov:wasDerivedFrom/gkg:start ?docStart }
  OPTIONAL { ?i gkg:contains ?d ; gkg:key ?issue . OPTIONAL { ?i rdfs:label ?issueLabel } }
}
"""

_CO_AGENCIES = """
SELECT ?other (COUNT(DISTINCT ?t) AS ?shared) WHERE {
  $agency gkg:leads|gkg:supports ?t .
  ?other gkg:leads|gkg:supports ?t .
  FILTER (?other != $agency)
}
GROUP BY ?other
"""

_AGENCY = """
SELECT ?name ?short ?kind ?alias ?pkey ?pname ?pshort WHERE {
  $agency gkg:key ?key .
  OPTIONAL { $agency skos:prefLabel ?name }
  OPTIONAL { $agency gkg:shortName ?short }
  OPTIONAL { $agency gkg:kind ?kind }
  OPTIONAL { $agency skos:altLabel ?alias }
  OPTIONAL { $agency org:subOrganizationOf ?p . ?p gkg:key ?pkey .
             OPTIONAL { ?p skos:prefLabel ?pname } OPTIONAL { ?p gkg:shortName ?pshort } }
}
"""


@functools.lru_cache(maxsize=1 << 16)
def _key_of(node_iri: str, kind: str) -> str:
    """The key an IRI of graph/ids.iri was made from."""
    from urllib.parse import unquote

    prefix = iri(kind, "")
    return unquote(node_iri[len(prefix):]) if node_iri.startswith(prefix) else node_iri


def _name(key: object, name: object, short: object) -> AgencyName:
    key, name = _text(key), _text(name) or _text(key)
    return AgencyName(key, name, _text(short) or name, (), "")


def target_text(r: dict[str, object]) -> str:
    value = _text(r.get("value")) + (f"-{_text(r['valueMax'])}" if r.get("valueMax") else "")
    year = f"（{r['year']}年）" if r.get("year") else ""
    sign = _COMPARATORS.get(_text(r.get("comparator")), _text(r.get("comparator")))
    return f"{_text(r.get('hedge'))}{_text(r.get('indicator'))} {sign}{value}{_text(r.get('unit'))}{year}".strip()


@dataclass(frozen=True, slots=True)
class DocInfo:
    key: str
    title: str
    number: str
    start: int
    issue: str
    issue_label: str


def doc_infos(view: StoreView, docs: list[ox.NamedNode]) -> dict[str, DocInfo]:
    """Title, 发文字号, place and issue of documents, by IRI."""
    found: dict[str, DocInfo] = {}
    if not docs:
        return found
    for r in view.query(_DOC_INFO % _values(docs)):
        d = _text(r["d"])
        issue, label = _text(r["issue"]), _text(r["issueLabel"])
        before = found.get(d)
        if before is not None and (not issue or (before.issue and natural(before.issue) <= natural(issue))):
            continue  # a document in several issues: shown under the first
        start = int(r["docStart"]) if r["docStart"] is not None else 1 << 40
        found[d] = DocInfo("", _text(r["title"]), _text(r["number"]), start, issue, label or issue)
    return found


def deadlines_of(view: StoreView, tasks: list[ox.NamedNode]) -> dict[str, tuple[str, str]]:
    """Task IRI -> (earliest ISO end date, the deadline expressions "；"-joined)."""
    ends: dict[str, list[str]] = defaultdict(list)
    exprs: dict[str, list[str]] = defaultdict(list)
    for chunk in _chunks(tasks):
        for r in view.query(_TASK_DEADLINES % _values(chunk)):
            t = _text(r["t"])
            if r["end"]:
                ends[t].append(_text(r["end"]))
            if _text(r["expr"]) not in exprs[t]:
                exprs[t].append(_text(r["expr"]))
    return {t: (min(ends[t]) if ends[t] else "", "；".join(exprs[t])) for t in exprs}


def targets_of(view: StoreView, tasks: list[ox.NamedNode]) -> dict[str, list[str]]:
    found: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for chunk in _chunks(tasks):
        for r in view.query(_TASK_TARGETS % _values(chunk)):
            found[_text(r["t"])].append((int(r["start"] or 0), _text(r["tg"]), target_text(r)))
    return {t: [text for _, _, text in sorted(set(items))] for t, items in found.items()}


def _chunks(items: list, size: int = 2000) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def agency_page(view: StoreView, key: str) -> AgencyPage | None:
    me = node("agency", key)
    about = view.query(_AGENCY, {"agency": me})
    if not about:
        return None
    first = about[0]
    aliases = tuple(sorted({_text(r["alias"]) for r in about if r["alias"]}))
    name = _text(first["name"]) or key
    agency = AgencyName(key, name, _text(first["short"]) or name, aliases, _text(first["kind"]))
    parent = _name(first["pkey"], first["pname"], first["pshort"]) if first["pkey"] else None
    by_assignment: dict[str, dict[str, object]] = {}
    pages: dict[str, set[int]] = defaultdict(set)
    for r in view.query(_AGENCY_ASSIGNMENTS, {"agency": me}):
        a = _text(r["a"])
        by_assignment.setdefault(a, r)
        if r["page"] is not None:
            pages[a].add(int(r["page"]))
    task_iris = [ox.NamedNode(t) for t in sorted({_text(r["t"]) for r in by_assignment.values()})]
    deadlines = deadlines_of(view, task_iris)
    targets = targets_of(view, task_iris)
    docs = doc_infos(view, [ox.NamedNode(d) for d in sorted({_text(r["d"]) for r in by_assignment.values()})])
    tasks = []
    starts: dict[str, int] = {}
    for a, r in sorted(by_assignment.items(), key=lambda ar: int(ar[1]["start"] or 0)):
        t, d = _text(r["t"]), _text(r["d"])
        doc = _key_of(d, "doc")
        info = docs.get(d) or DocInfo("", "", "", 1 << 40, "", "")
        deadline, deadline_text = deadlines.get(t, ("", ""))
        start = starts.setdefault(t, int(r["start"] or 0))  # a task's place: its first clause naming the agency
        tasks.append(AgencyTask(
            _key_of(t, "task"), _text(r["path"]), _text(r["title"]), doc, info.title, info.issue,
            info.issue_label, _text(r["role"]), _text(r["basis"]) or "explicit", page_range(pages[a]), deadline,
            deadline_text, targets.get(t, []),
            (natural(info.issue), info.start, doc, start, _text(r["path"]), _text(r["role"]) != "lead",
             int(r["start"] or 0)),
        ))  # fmt: skip
    tasks.sort(key=lambda x: x.order)
    names = agencies(view)  # cached per store version (warmed when the app starts)
    co = []
    for r in view.query(_CO_AGENCIES, {"agency": me}):
        other = _key_of(_text(r["other"]), "agency")
        co.append((names.get(other) or AgencyName(other, other, other, (), ""), int(r["shared"])))
    co.sort(key=lambda c: (-c[1], c[0].key))
    return AgencyPage(agency, tasks, co, parent, _labels([a for a, _ in co]))


def _labels(names: list[AgencyName]) -> dict[str, str]:
    """What to call each agency in a list: its short name, else its name, else its key, whichever is unique."""
    shorts = Counter(a.short_name for a in names)
    full = Counter(a.name for a in names)
    return {a.key: a.short_name if shorts[a.short_name] == 1 else a.name if full[a.name] == 1 else a.key
            for a in names}  # fmt: skip


@dataclass(frozen=True, slots=True)
class TaskFilter:
    issue: str = ""
    doc: str = ""
    role: str = ""  # lead | support | ""
    due_from: str = ""  # ISO dates, inclusive
    due_to: str = ""

    @property
    def active(self) -> bool:
        return any((self.issue, self.doc, self.role, self.due_from, self.due_to))

    def keep(self, t: AgencyTask) -> bool:
        if self.issue and t.issue != self.issue:
            return False
        if self.doc and t.doc != self.doc:
            return False
        if self.role and t.role != self.role:
            return False
        if (self.due_from or self.due_to) and not t.deadline:
            return False
        if self.due_from and t.deadline < self.due_from:
            return False
        return not (self.due_to and t.deadline > self.due_to)


# ---------------------------------------------------------------- task page


@dataclass(slots=True)
class Span:
    start: int
    end: int
    quote: str
    pages: tuple[int, ...]
    source_file: str


@dataclass(slots=True)
class Fact:
    kind: str  # clause | deadline | target | rule | task
    ident: str  # the id its highlight carries (a0, d1, t2, ...)
    fields: dict[str, object]
    span: Span | None


@dataclass(slots=True)
class TaskPage:
    key: str
    path: str
    title: str
    label: str
    level: str
    doc: str
    doc_info: DocInfo
    parent: tuple[str, str] | None  # (key, title)
    children: list[tuple[str, str, str]]  # (key, path, title)
    heading: Span | None
    assignments: list[Fact]
    deadlines: list[Fact]
    targets: list[Fact]
    rules: list[Fact]
    source: SourceSlice | None = None
    pdf: str = ""  # URL of the original file (PDF) when the store still has it
    pdf_is_pdf: bool = False
    pages: list[int] = field(default_factory=list)


_TASK = """
SELECT ?tkey ?path ?title ?label ?level ?doc ?d ?pkey ?ptitle ?s ?e ?q ?page ?file WHERE {
  $task gkg:key ?tkey ; gkg:path ?path ; gkg:document ?d .
  ?d gkg:key ?doc .
  OPTIONAL { $task eli:title ?title }
  OPTIONAL { $task gkg:label ?label }
  OPTIONAL { $task gkg:level ?level }
  OPTIONAL { $task gkg:subtaskOf ?p . ?p gkg:key ?pkey . OPTIONAL { ?p eli:title ?ptitle } }
  OPTIONAL { $task prov:wasDerivedFrom ?span . ?span gkg:start ?s ; gkg:end ?e ; gkg:quote ?q .
             OPTIONAL { ?span gkg:page ?page } OPTIONAL { ?span gkg:sourceFile ?file } }
}
"""

_CHILDREN = """
SELECT ?key ?path ?title ?start WHERE {
  ?c gkg:subtaskOf $task ; gkg:key ?key ; gkg:path ?path .
  OPTIONAL { ?c eli:title ?title } OPTIONAL { ?c gkg:sectionStart ?start }
}
"""

# Spans are read in a second query by the facts' IRIs: an OPTIONAL group of several patterns made
# Oxigraph scan every span in the store (seconds on 100 issues) before joining.
_SPANS = """
SELECT ?x ?s ?e ?q ?page ?file WHERE {
  VALUES ?x { %s }
  ?x prov:wasDerivedFrom ?span . ?span gkg:start ?s ; gkg:end ?e ; gkg:quote ?q .
  OPTIONAL { ?span gkg:page ?page }
  OPTIONAL { ?span gkg:sourceFile ?file }
}
"""

_TASK_ASSIGNMENTS = """
SELECT ?x ?akey ?role ?basis ?leadBasis ?rank ?surface WHERE {
  ?x gkg:task $task ; a gkg:Assignment ; gkg:agency ?ag ; gkg:role ?role .
  ?ag gkg:key ?akey .
  OPTIONAL { ?x gkg:basis ?basis } OPTIONAL { ?x gkg:leadBasis ?leadBasis }
  OPTIONAL { ?x gkg:rank ?rank } OPTIONAL { ?x gkg:surface ?surface }
}
"""

_TASK_DEADLINE_FACTS = """
SELECT ?x ?expr ?kind ?startDate ?end ?recurrence WHERE {
  $task gkg:dueBy ?x . ?x gkg:expr ?expr .
  OPTIONAL { ?x gkg:deadlineKind ?kind } OPTIONAL { ?x gkg:startDate ?startDate }
  OPTIONAL { ?x gkg:endDate ?end } OPTIONAL { ?x gkg:recurrence ?recurrence }
}
"""

_TASK_TARGET_FACTS = """
SELECT ?x ?indicator ?subject ?comparator ?value ?valueMax ?unit ?baseline ?baselineYear ?year ?attribute ?hedge
WHERE {
  $task gkg:aimsAt ?x .
  OPTIONAL { ?x gkg:indicator ?indicator } OPTIONAL { ?x gkg:subject ?subject }
  OPTIONAL { ?x gkg:comparator ?comparator } OPTIONAL { ?x gkg:value ?value }
  OPTIONAL { ?x gkg:valueMax ?valueMax } OPTIONAL { ?x gkg:unit ?unit }
  OPTIONAL { ?x gkg:baseline ?baseline } OPTIONAL { ?x gkg:baselineYear ?baselineYear }
  OPTIONAL { ?x gkg:targetYear ?year } OPTIONAL { ?x gkg:attribute ?attribute } OPTIONAL { ?x gkg:hedge ?hedge }
}
"""

_TASK_RULE_FACTS = """
SELECT ?x ?what ?comparator ?value ?unit WHERE {
  $task gkg:hasRule ?x .
  OPTIONAL { ?x gkg:what ?what } OPTIONAL { ?x gkg:comparator ?comparator }
  OPTIONAL { ?x gkg:value ?value } OPTIONAL { ?x gkg:unit ?unit }
}
"""


def _facts(view: StoreView, text: str, task: ox.NamedNode, kind: str, prefix: str) -> list[Fact]:
    """One Fact per ?x of a fact query, with its span (pages gathered), in text order."""
    by_fact: dict[str, Fact] = {}
    for r in view.query(text, {"task": task}):
        x = _text(r["x"])
        if x not in by_fact:
            by_fact[x] = Fact(kind, "", {k: v for k, v in r.items() if k != "x"}, None)
    if by_fact:
        for r in view.query(_SPANS % _values([ox.NamedNode(x) for x in by_fact])):
            fact = by_fact[_text(r["x"])]
            if fact.span is None:
                fact.span = Span(int(r["s"]), int(r["e"]), _text(r["q"]), (), _text(r["file"]))
            if r["page"] is not None and int(r["page"]) not in fact.span.pages:
                fact.span.pages = tuple(sorted({*fact.span.pages, int(r["page"])}))
    facts = sorted(by_fact.values(), key=lambda f: (f.span.start if f.span else 1 << 40, str(f.fields)))
    for i, f in enumerate(facts):
        f.ident = f"{prefix}{i}"
    return facts


def task_page(view: StoreView, key: str) -> TaskPage | None:
    me = node("task", key)
    rows = view.query(_TASK, {"task": me})
    if not rows:
        return None
    r = rows[0]
    heading = None
    if r["s"] is not None:
        pages = tuple(sorted({int(x["page"]) for x in rows if x["page"] is not None}))
        heading = Span(int(r["s"]), int(r["e"]), _text(r["q"]), pages, _text(r["file"]))
    info = doc_infos(view, [ox.NamedNode(_text(r["d"]))]).get(_text(r["d"])) or DocInfo("", "", "", 0, "", "")
    children = sorted(
        ((int(c["start"] or 0), _text(c["key"]), _text(c["path"]), _text(c["title"]))
         for c in view.query(_CHILDREN, {"task": me})),
    )  # fmt: skip
    names = agencies(view)
    assignments = _facts(view, _TASK_ASSIGNMENTS, me, "clause", "a")
    for a in assignments:
        agency = names.get(_text(a.fields["akey"]))
        a.fields["agency"] = agency.name if agency else a.fields["akey"]
    assignments.sort(key=lambda a: (a.fields["role"] != "lead", int(a.fields.get("rank") or 0)))
    page = TaskPage(
        _text(r["tkey"]), _text(r["path"]), _text(r["title"]), _text(r["label"]), _text(r["level"]),
        _text(r["doc"]), info, (_text(r["pkey"]), _text(r["ptitle"])) if r["pkey"] else None,
        [(k, p, t) for _, k, p, t in children], heading, assignments,
        _facts(view, _TASK_DEADLINE_FACTS, me, "deadline", "d"),
        _facts(view, _TASK_TARGET_FACTS, me, "target", "t"),
        _facts(view, _TASK_RULE_FACTS, me, "rule", "r"),
    )  # fmt: skip
    for t in page.targets:
        t.fields["text"] = target_text(t.fields)
    spans = [f.span for f in (*page.assignments, *page.deadlines, *page.targets, *page.rules) if f.span]
    page.pages = sorted({p for s in spans for p in s.pages} | set(heading.pages if heading else ()))
    files = [s.source_file for s in spans] + ([heading.source_file] if heading else [])
    page.source = document_source(view, page.doc, files[0] if files else "")
    if page.source is not None and page.source.path:
        page.pdf = page.source.path
        page.pdf_is_pdf = page.source.path_is_pdf
    return page


# ---------------------------------------------------------------- the source text


@dataclass(slots=True)
class SourceSlice:
    text: str  # the whole input's clean text (offsets point into it)
    start: int  # the document's span in it
    end: int
    page_starts: list[int]
    first_page: int
    sha256: str
    source_file: str
    path: str = ""  # URL path serving the original file, when the store folder's manifest still finds it
    path_is_pdf: bool = False


def document_source(view: StoreView, doc: str, source_file: str = "") -> SourceSlice | None:
    """The clean text of the input that holds ``doc`` (the one its spans point into), from the
    extraction saved by the ingest; None when no saved extraction holds it."""
    from gazettekg.graph.ids import doc_key

    content = iri("doc", doc) + "#content"
    entries = [(path, e) for path, e in view.manifest().items() if content in e.get("documents", [])]
    entries.sort(key=lambda pe: (Path(pe[0]).name != source_file, pe[0]))
    for path, entry in entries:
        extraction = view.extraction(entry["sha256"])
        if extraction is None:
            continue
        for d in extraction.documents:
            if doc_key(d.doc_id) == doc:
                src = extraction.source
                exists = Path(path).is_file()
                return SourceSlice(
                    src.text, d.start, d.end, list(src.page_starts), src.first_page, entry["sha256"], src.name,
                    f"/source/{entry['sha256']}" if exists else "", exists and path.lower().endswith(".pdf"),
                )  # fmt: skip
    return None


def source_file(view: StoreView, sha256: str) -> Path | None:
    """The input file the manifest records for ``sha256``, if it is still there."""
    for path, entry in view.manifest().items():
        if entry.get("sha256") == sha256 and Path(path).is_file():
            return Path(path)
    return None


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    classes: tuple[str, ...]  # clause / deadline / target / rule / heading
    facts: tuple[str, ...]  # the ids of the facts covering it
    page: int | None = None  # a page begins here (marker before the text)


def segments(source: SourceSlice, facts: list[Fact], heading: Span | None = None) -> list[Segment]:
    """The document's text cut where a highlight or a page begins or ends."""
    marks = [(f.span.start, f.span.end, f.kind, f.ident) for f in facts if f.span is not None]
    if heading is not None:
        marks.append((heading.start, heading.end, "heading", "h"))
    lo, hi = source.start, source.end
    cuts = {lo, hi}
    for s, e, _, _ in marks:
        cuts.update(x for x in (s, e) if lo <= x <= hi)
    page_at = {}
    for i, s in enumerate(source.page_starts):
        if lo < s < hi or (s == lo and i > 0):
            page_at[s] = source.first_page + i
            cuts.add(s)
    if source.page_starts and lo not in page_at:
        # the page the document starts on
        index = max((i for i, s in enumerate(source.page_starts) if s <= lo), default=0)
        page_at[lo] = source.first_page + index
    points = sorted(cuts)
    out = []
    for a, b in itertools.pairwise(points):
        covering = [m for m in marks if m[0] <= a and b <= m[1]]
        classes = tuple(sorted({m[2] for m in covering}))
        ids = tuple(m[3] for m in covering)
        out.append(Segment(source.text[a:b], classes, ids, page_at.get(a)))
    return out


# ---------------------------------------------------------------- document and issue pages


@dataclass(slots=True)
class HeadingNode:
    key: str
    path: str
    label: str
    title: str
    start: int
    leads: list[AgencyName]
    supports: int
    children: list[HeadingNode] = field(default_factory=list)


@dataclass(slots=True)
class DocPage:
    key: str
    fields: dict[str, object]
    attachments: list[str]
    issues: list[tuple[str, str]]
    tree: list[HeadingNode]
    links_out: list[tuple[str, str, str, bool]]  # (relation, key, title, ingested)
    links_in: list[tuple[str, str, str, bool]]
    tasks: int  # tasks some agency is assigned to


_DOC = """
SELECT ?p ?o WHERE { $doc ?p ?o . FILTER (?p != gkg:hasTask) }
"""

_DOC_TREE = """
SELECT ?t ?key ?path ?label ?title ?start ?parent WHERE {
  ?t gkg:document $doc ; a gkg:Task ; gkg:key ?key ; gkg:path ?path .
  OPTIONAL { ?t gkg:label ?label } OPTIONAL { ?t eli:title ?title } OPTIONAL { ?t gkg:sectionStart ?start }
  OPTIONAL { ?t gkg:subtaskOf ?parent }
}
"""

_DOC_ASSIGNMENTS = """
SELECT ?t ?akey ?role ?rank WHERE {
  ?t gkg:document $doc . ?a gkg:task ?t ; gkg:agency/gkg:key ?akey ; gkg:role ?role .
  OPTIONAL { ?a gkg:rank ?rank }
}
"""

_DOC_LINKS = """
SELECT ?dir ?relation ?key ?title ?ingested WHERE {
  { $doc ?rel ?o . BIND ("out" AS ?dir) } UNION { ?o ?rel $doc . BIND ("in" AS ?dir) }
  VALUES (?rel ?relation) { (gkg:supersedes "supersedes") (gkg:cites "cites") }
  ?o gkg:key ?key .
  OPTIONAL { ?o eli:title ?title }
  BIND (EXISTS { ?o gkg:hasTask ?any } || EXISTS { ?i gkg:contains ?o } AS ?ingested)
}
"""

_DOC_ISSUES = "SELECT ?key ?label WHERE { ?i gkg:contains $doc ; gkg:key ?key . OPTIONAL { ?i rdfs:label ?label } }"

_SHORT = {
    "http://data.europa.eu/eli/ontology#": "eli:",
    "https://w3id.org/gazettekg/ontology#": "gkg:",
}


def doc_page(view: StoreView, key: str) -> DocPage | None:
    me = node("doc", key)
    rows = view.query(_DOC, {"doc": me})
    if not rows:
        return None
    fields: dict[str, object] = {}
    attachments = []
    for r in rows:
        p = _text(r["p"])
        for long, short in _SHORT.items():
            p = p.replace(long, short)
        if p == "gkg:attachmentTitle":
            attachments.append(_text(r["o"]))
        else:
            fields.setdefault(p, r["o"])
    names = agencies(view)
    leads: dict[str, list[tuple[int, str]]] = defaultdict(list)
    supports: dict[str, int] = defaultdict(int)
    assigned = set()
    for r in view.query(_DOC_ASSIGNMENTS, {"doc": me}):
        t = _text(r["t"])
        assigned.add(t)
        if r["role"] == "lead":
            leads[t].append((int(r["rank"] or 0), _text(r["akey"])))
        else:
            supports[t] += 1
    nodes: dict[str, HeadingNode] = {}
    parents: dict[str, str] = {}
    for r in view.query(_DOC_TREE, {"doc": me}):
        t = _text(r["t"])
        lead_names = [names.get(k) or AgencyName(k, k, k, (), "") for _, k in sorted(set(leads.get(t, [])))]
        nodes[t] = HeadingNode(_text(r["key"]), _text(r["path"]), _text(r["label"]), _text(r["title"]),
                               int(r["start"] if r["start"] is not None else 1 << 40), lead_names, supports.get(t, 0))
        if r["parent"] is not None:
            parents[t] = _text(r["parent"])
    roots = []
    for t, n in nodes.items():
        parent = nodes.get(parents.get(t, ""))
        (parent.children if parent is not None else roots).append(n)
    for n in nodes.values():
        n.children.sort(key=lambda c: (c.start, natural(c.path)))
    roots.sort(key=lambda c: (c.start, natural(c.path)))
    links_out, links_in = [], []
    for r in view.query(_DOC_LINKS, {"doc": me}):
        item = (_text(r["relation"]), _text(r["key"]), _text(r["title"]), bool(r["ingested"]))
        (links_out if r["dir"] == "out" else links_in).append(item)
    issues = sorted(((_text(r["key"]), _text(r["label"]) or _text(r["key"])) for r in view.query(_DOC_ISSUES,
                     {"doc": me})), key=lambda x: natural(x[0]))  # fmt: skip
    return DocPage(key, fields, attachments, issues, roots, sorted(links_out), sorted(links_in), len(assigned))


@dataclass(slots=True)
class IssuePage:
    key: str
    label: str
    source_file: str
    documents: list[DocInfo]


_ISSUE = """
SELECT ?label ?file ?d ?dkey WHERE {
  $issue gkg:key ?key .
  OPTIONAL { $issue rdfs:label ?label } OPTIONAL { $issue gkg:sourceFile ?file }
  OPTIONAL { $issue gkg:contains ?d . ?d gkg:key ?dkey }
}
"""


def issue_page(view: StoreView, key: str) -> IssuePage | None:
    rows = view.query(_ISSUE, {"issue": node("issue", key)})
    if not rows:
        return None
    docs = {_text(r["d"]): _text(r["dkey"]) for r in rows if r["d"] is not None}
    infos = doc_infos(view, [ox.NamedNode(d) for d in docs])
    documents = sorted(
        (DocInfo(k, infos[d].title if d in infos else "", infos[d].number if d in infos else "",
                 infos[d].start if d in infos else 1 << 40, key, "") for d, k in docs.items()),
        key=lambda x: (x.start, x.key),
    )  # fmt: skip
    return IssuePage(key, _text(rows[0]["label"]) or key, _text(rows[0]["file"]), documents)


_ISSUES = """
SELECT ?key ?label ?file (COUNT(DISTINCT ?d) AS ?docs) WHERE {
  ?i a gkg:Issue ; gkg:key ?key .
  OPTIONAL { ?i rdfs:label ?label } OPTIONAL { ?i gkg:sourceFile ?file } OPTIONAL { ?i gkg:contains ?d }
}
GROUP BY ?key ?label ?file
"""


def issues(view: StoreView) -> list[tuple[str, str, str, int]]:
    """(key, label, source file, documents) of every issue, in natural order."""
    return view.cached("issues", lambda: sorted(
        ((_text(r["key"]), _text(r["label"]) or _text(r["key"]), _text(r["file"]), int(r["docs"] or 0))
         for r in view.query(_ISSUES)), key=lambda x: natural(x[0])))  # fmt: skip


_WORKLOAD = """
SELECT ?key (SUM(IF(?role = "lead", 1, 0)) AS ?lead) (SUM(IF(?role = "support", 1, 0)) AS ?support) WHERE {
  ?a a gkg:Assignment ; gkg:agency ?ag ; gkg:role ?role . ?ag gkg:key ?key .
}
GROUP BY ?key
ORDER BY DESC(COUNT(?a)) ?key
"""


def workload(view: StoreView, limit: int = 30) -> list[tuple[AgencyName, int, int]]:
    names = agencies(view)
    rows = view.cached("workload", lambda: view.query(_WORKLOAD))
    return [
        (names.get(_text(r["key"])) or AgencyName(_text(r["key"]), _text(r["key"]), _text(r["key"]), (), ""),
         int(r["lead"]), int(r["support"]))
        for r in rows[:limit]
    ]  # fmt: skip


# ---------------------------------------------------------------- search


@dataclass(slots=True)
class SearchResults:
    query: str
    agencies: list[tuple[AgencyName, bool]]  # (agency, exact: the spelling names it)
    tasks: list[tuple[str, str, str, str]]  # (key, doc, path, title)
    documents: list[tuple[str, str, str]]  # (key, number, title)
    more_tasks: bool = False


_SEARCH_TASKS = """
SELECT ?key ?doc ?path ?title WHERE {
  ?t a gkg:Task ; eli:title ?title .
  %s
  FILTER EXISTS { ?a gkg:task ?t }
  ?t gkg:key ?key ; gkg:path ?path ; gkg:document/gkg:key ?doc .
}
ORDER BY ?doc ?key
LIMIT %d
"""

_DOCUMENTS = """
SELECT ?key ?number ?title WHERE {
  ?d a gkg:Document ; gkg:key ?key . OPTIONAL { ?d gkg:number ?number } OPTIONAL { ?d eli:title ?title }
}
"""

TASK_LIMIT = 100


def search(view: StoreView, q: str) -> SearchResults:
    q = q.strip()
    results = SearchResults(q, [], [], [])
    if not q:
        return results
    wanted = normalize(q)
    exact = set(resolve_agency(view, q))
    names = agencies(view)
    for key in sorted(exact):
        results.agencies.append((names[key], True))
    partial = [a for k, a in names.items() if k not in exact and any(wanted in s for s in a.spellings)]
    partial.sort(key=lambda a: (len(a.name), a.key))
    results.agencies += [(a, False) for a in partial[:50]]

    words = [w for w in re.split(r"\s+", q) if w]
    if words:
        filters = "\n  ".join(f"FILTER (CONTAINS(?title, $w{i}))" for i in range(len(words)))
        params: dict[str, object] = {f"w{i}": w for i, w in enumerate(words)}
        rows = view.query(_SEARCH_TASKS % (filters, TASK_LIMIT + 1), params)
        results.more_tasks = len(rows) > TASK_LIMIT
        results.tasks = [(_text(r["key"]), _text(r["doc"]), _text(r["path"]), _text(r["title"]))
                         for r in rows[:TASK_LIMIT]]  # fmt: skip

    docs = view.cached("documents", lambda: view.query(_DOCUMENTS))
    found = []
    for r in docs:
        key, number, title = _text(r["key"]), _text(r["number"]), _text(r["title"])
        spellings = [normalize(s) for s in (key, number) if s]
        if wanted in spellings:
            found.append((0, key, number, title))
        elif any(wanted in s for s in spellings) or (title and wanted in normalize(title)):
            found.append((1, key, number, title))
    found.sort(key=lambda f: (f[0], natural(f[1])))
    results.documents = [(k, n, t) for _, k, n, t in found[:100]]
    return results


# ---------------------------------------------------------------- the matrix of a few documents

_ISSUE_GRAPHS = "SELECT DISTINCT ?g WHERE { VALUES ?d { %s } GRAPH ?g { ?i gkg:contains ?d } }"
_AGENCY_GRAPHS = "SELECT DISTINCT ?ag WHERE { VALUES ?c { %s } GRAPH ?c { ?x gkg:agency ?ag } }"


def scoped_store(view: StoreView, docs: list[str]) -> ox.Store:
    """An in-memory store holding just what the matrix of ``docs`` reads: their content graphs,
    their identity graphs, the issue graphs that contain them and the graphs of the agencies they
    assign. queries/matrix.py reads every task and assignment of the store it is given; on this
    copy it answers in milliseconds what it would take minutes for on a 100-issue store, with the
    same cells (a document's tasks, assignments, deadlines and targets are all in these graphs)."""
    source = view.oxigraph
    doc_nodes = [node("doc", key) for key in docs]
    contents = [ox.NamedNode(d.value + "#content") for d in doc_nodes]
    graphs = {*doc_nodes, *contents}
    for chunk in _chunks(doc_nodes):
        graphs |= {ox.NamedNode(_text(r["g"])) for r in view.query(_ISSUE_GRAPHS % _values(chunk))}
    for chunk in _chunks(contents):
        graphs |= {ox.NamedNode(_text(r["ag"])) for r in view.query(_AGENCY_GRAPHS % _values(chunk))}
    scoped = ox.Store()
    for graph in graphs:
        scoped.extend(source.quads_for_pattern(None, None, None, graph))
    return scoped
