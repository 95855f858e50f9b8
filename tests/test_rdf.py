"""graph/rdf.py: records -> RDF in the gazettekg vocabulary, valid against ontology/shapes.ttl."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns

from gazettekg.graph.ids import agency_key, doc_key, iri, task_key
from gazettekg.graph.rdf import ELI, GKG, build_graph, is_document_number, ontology_path, validate
from gazettekg.tests.graph_samples import later_issue, state_council_issue

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "gazette-2022-01.txt"


@pytest.fixture(scope="session")
def sample_extraction():
    from gazettekg.extract.pipeline import extract_file

    return extract_file(SAMPLE)


@pytest.fixture(scope="module")
def small() -> tuple:
    x = state_council_issue()
    return x, build_graph(x)


def test_ontology_parses_and_declares_the_required_classes() -> None:
    onto = Graph().parse(ontology_path(), format="turtle")
    for name in ("Issue", "Document", "Section", "Task", "Agency", "Assignment", "Duty", "Deadline", "Target"):
        assert (GKG[name], ns.RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in onto
    subclass = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    assert (GKG.Agency, subclass, ns.ORG.Organization) in onto
    assert (GKG.Document, subclass, ELI.LegalResource) in onto
    assert (GKG.Deadline, subclass, ns.TIME.TemporalEntity) in onto


def test_hand_built_issue_conforms_to_the_shapes(small) -> None:
    _, g = small
    conforms, report = validate(g)
    assert conforms, report


def test_shapes_catch_a_fact_without_provenance(small) -> None:
    _, g = small
    broken = Graph()
    for t in g:
        broken.add(t)
    assignment = next(broken.subjects(ns.RDF.type, GKG.Assignment))
    broken.remove((assignment, ns.PROV.wasDerivedFrom, None))
    conforms, report = validate(broken)
    assert not conforms
    assert "wasDerivedFrom" in report


def test_nodes_are_named_by_the_shared_keys(small) -> None:
    _, g = small
    doc = URIRef(iri("doc", doc_key("国办发〔2022〕12号")))
    task = URIRef(iri("task", task_key("国办发〔2022〕12号", "二.（一）")))
    mnr = URIRef(iri("agency", agency_key("mnr")))
    assert (doc, ELI.title, Literal("加快发展保障性租赁住房实施方案")) in g
    assert (doc, ELI.date_document, Literal("2022-03-01", datatype=ns.XSD.date)) in g
    assert (task, GKG.document, doc) in g
    assert (mnr, GKG.leads, task) in g
    assert (mnr, ns.SKOS.prefLabel, Literal("中华人民共和国自然资源部")) in g
    assert not any(isinstance(term, BNode) for triple in g for term in triple)


def test_issuer_aliases_parent_and_heading_tree(small) -> None:
    _, g = small
    doc = URIRef(iri("doc", doc_key("国办发〔2022〕12号")))
    office = URIRef(iri("agency", "gov-office"))
    assert (doc, ELI.passed_by, office) in g
    assert (office, ns.ORG.subOrganizationOf, URIRef(iri("agency", "state-council"))) in g
    assert (URIRef(iri("agency", "pbc")), ns.SKOS.altLabel, Literal("人行")) in g
    land = URIRef(iri("task", task_key("国办发〔2022〕12号", "二.（一）")))
    chapter = URIRef(iri("task", task_key("国办发〔2022〕12号", "二")))
    assert (land, GKG.subtaskOf, chapter) in g
    heading = g.value(land, ns.PROV.wasDerivedFrom)
    assert str(g.value(heading, GKG.quote)) == "（一）加强土地支持"


def test_every_fact_quotes_its_source_span(small) -> None:
    x, g = small
    kinds = (GKG.Assignment, GKG.Duty, GKG.Deadline, GKG.Target, GKG.Rule)
    facts = [s for cls in kinds for s in g.subjects(ns.RDF.type, cls)]
    assert len(facts) == 6 + 1 + 3 + 1 + 1
    for fact in facts:
        (span,) = list(g.objects(fact, ns.PROV.wasDerivedFrom))
        start, end = int(g.value(span, GKG.start)), int(g.value(span, GKG.end))
        assert str(g.value(span, GKG.quote)) == x.source.text[start:end]


def test_reified_assignment_carries_role_basis_and_rank(small) -> None:
    _, g = small
    leads = [a for a in g.subjects(GKG.role, Literal("lead"))]
    assert len(leads) == 2
    pbc = next(a for a in leads if g.value(a, GKG.agency) == URIRef(iri("agency", "pbc")))
    assert g.value(pbc, GKG.leadBasis) == Literal("marked")
    assert g.value(pbc, GKG.basis) == Literal("explicit")
    assert g.value(pbc, GKG.rank).toPython() == 1


def test_deadlines_are_owl_time_instants_or_intervals(small) -> None:
    _, g = small
    by_expr = {str(g.value(d, GKG.expr)): d for d in g.subjects(ns.RDF.type, GKG.Deadline)}
    due = by_expr["2022年底"]
    assert (due, ns.RDF.type, ns.TIME.Instant) in g
    assert g.value(due, ns.TIME.inXSDDate) == Literal("2022-12-31", datatype=ns.XSD.date)
    quarterly = by_expr["每季度"]
    assert (quarterly, ns.RDF.type, ns.TIME.Interval) in g
    begin = g.value(quarterly, ns.TIME.hasBeginning)
    assert g.value(begin, ns.TIME.inXSDDate) == Literal("2022-01-01", datatype=ns.XSD.date)
    assert g.value(quarterly, GKG.recurrence) == Literal("quarterly")
    # A body-level deadline (where == "") hangs on the document, never on a Task with path "".
    body = by_expr["到2025年"]
    assert (URIRef(iri("doc", doc_key("国办发〔2022〕12号"))), GKG.dueBy, body) in g
    assert not list(g.subjects(GKG.path, Literal("")))


def test_target_keeps_value_as_printed_and_years(small) -> None:
    _, g = small
    (target,) = list(g.subjects(ns.RDF.type, GKG.Target))
    assert g.value(target, GKG.value) == Literal("650")
    assert g.value(target, GKG.unit) == Literal("万套")
    assert g.value(target, GKG.comparator) == Literal(">=")
    assert g.value(target, GKG.targetYear).toPython() == 2025
    chapter = URIRef(iri("task", task_key("国办发〔2022〕12号", "一")))
    assert (chapter, GKG.aimsAt, target) in g


def test_superseded_and_cited_documents_are_stubs_by_number() -> None:
    g = build_graph(later_issue())
    doc = URIRef(iri("doc", doc_key("国办发〔2023〕3号")))
    old = URIRef(iri("doc", doc_key("国办发〔2022〕12号")))
    assert (doc, GKG.supersedes, old) in g
    assert (old, ns.RDF.type, GKG.Document) in g
    assert (old, ELI.id_local, Literal("国办发〔2022〕12号")) in g
    cited = list(g.objects(doc, GKG.cites))
    assert cited == [URIRef(iri("doc", doc_key("安委〔2021〕9号")))]  # a 《title》 is not a document link
    assert validate(g)[0]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("国办发〔2021〕9号", True),
        ("安委〔2021〕9 号", True),
        ("浙政办发[2022]15号", True),
        ("京政发（2020）第3号", True),
        ("《城镇燃气管理条例》", False),
        ("2021年9号", False),
    ],
)
def test_is_document_number(text: str, expected: bool) -> None:
    assert is_document_number(text) is expected


def test_building_twice_gives_the_same_triples() -> None:
    assert set(build_graph(state_council_issue())) == set(build_graph(state_council_issue()))


def test_sample_issue_conforms_and_keeps_every_assignment(sample_extraction) -> None:
    x = sample_extraction
    g = build_graph(x)
    conforms, report = validate(g)
    assert conforms, report
    distinct = {(task_key(a.doc_id, a.task_path), agency_key(a.agency_id), a.role, a.basis) for a in x.assignments}
    assert len(set(g.subjects(ns.RDF.type, GKG.Assignment))) == len(distinct) > 0
    assert len(set(g.subjects(ns.RDF.type, GKG.Document))) >= len(x.documents)
    for span in g.subjects(ns.RDF.type, GKG.SourceSpan):
        start, end = int(g.value(span, GKG.start)), int(g.value(span, GKG.end))
        assert str(g.value(span, GKG.quote)) == x.source.text[start:end]
