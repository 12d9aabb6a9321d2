"""The NQDB SHACL engine: the LOQ profile verdicts, plain-language reports, and agreement with pyshacl."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyshacl
import pytest
import rdflib
from pyoxigraph import NamedNode, RdfFormat, Store
from rdflib import RDF, SKOS, XSD, BNode, Graph, Literal, URIRef

from store.core.graphs import dataset_graph, vocabulary_graph
from store.core.paths import VOCABULARIES
from store.validation.profile import ValidationReport, Violation, validate_graph
from store.validation.shapes import OFFICIAL_SHAPE_FILES, SHAPE_FILES, UnsupportedShapeFeature, compile_shapes
from tests.conftest import MINIMAL

ELM = rdflib.Namespace("http://data.europa.eu/snb/model/elm/")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
EX = rdflib.Namespace("https://example.org/nqd/")
Q = EX["qualification/Q-0001"]
SH = "http://www.w3.org/ns/shacl#"
VOCABS = [vocabulary_graph(p.stem) for p in sorted(VOCABULARIES.glob("*.ttl"))]
Mutation = Callable[[Graph], None]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    st = Store(str(tmp_path_factory.mktemp("store")))
    for path in sorted(VOCABULARIES.glob("*.ttl")):
        st.bulk_load(path=path, format=RdfFormat.TURTLE, to_graph=NamedNode(vocabulary_graph(path.stem)))
    yield st


def minimal() -> Graph:
    return Graph().parse(MINIMAL, format="turtle")


def validate(store: Store, graph: Graph, name: str) -> ValidationReport:
    target = NamedNode(dataset_graph(name))
    store.clear_graph(target)
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES, to_graph=target)
    return validate_graph(store, dataset_graph(name), VOCABS)


def test_minimal_record_conforms(store: Store) -> None:
    report = validate(store, minimal(), "minimal")
    assert report.conforms, report.to_text()
    assert report.qualifications == 1 and report.violations == ()


@pytest.mark.parametrize(("prop", "field"), [
    (ELM.EQFLevel, "EQF level"), (ELM.NQFLevel, "NQF level"), (ELM.learningOutcome, "learning outcome")])
def test_missing_field_is_named(store: Store, prop: URIRef, field: str) -> None:
    graph = minimal()
    graph.remove((Q, prop, None))
    report = validate(store, graph, "missing")
    assert not report.conforms
    expected = {(str(prop), SH + "MinCountConstraintComponent")}
    assert {(v.path, v.constraint) for v in report.violations} == expected
    assert {v.field.lower() for v in report.violations} == {field.lower()}
    assert all(v.qualification == str(Q) and v.message.endswith("required).") for v in report.violations)
    assert report.nonconforming_qualifications() == {str(Q)}


def test_reports_render(store: Store) -> None:
    graph = minimal()
    graph.remove((Q, ELM.EQFLevel, None))
    graph.add((Q, EX.portalStatus, Literal("draft")))
    report = validate(store, graph, "render")
    text = report.to_text()
    assert f"Qualification {Q}:" in text and "EQF level is missing (exactly one is required)." in text
    data = json.loads(json.dumps(report.to_json()))
    assert data["conforms"] is False and data["nonconforming_qualifications"] == [str(Q)]
    shacl = Graph().parse(data=report.to_turtle(), format="turtle")
    results = set(shacl.objects(None, URIRef(SH + "result")))
    assert len(results) == len(report.violations) == data["violation_count"]
    assert (None, URIRef(SH + "value"), Literal("draft")) in shacl


def test_a_15_mb_literal_validates_in_seconds(store: Store) -> None:
    """A 15 MB description (just under the importer's 16 MiB limit), and the same text where a concept is due
    (sh:class looks up its types), validate in seconds: type lookups never hash or read a literal."""
    huge = "x" * (15 * 1024 * 1024)
    graph = minimal()
    graph.remove((Q, DCT.description, None))
    graph.add((Q, DCT.description, Literal(huge, lang="en")))
    started = time.perf_counter()
    report = validate(store, graph, "huge-description")
    assert report.conforms and time.perf_counter() - started < 10, report.to_text()[:500]
    graph.remove((Q, ELM.EQFLevel, None))
    graph.add((Q, ELM.EQFLevel, Literal(huge)))
    started = time.perf_counter()
    report = validate(store, graph, "huge-concept")
    assert time.perf_counter() - started < 10
    assert {(v.path, v.constraint) for v in report.violations} >= {(str(ELM.EQFLevel), SH + "ClassConstraintComponent")}


def test_unknown_shacl_feature_fails_loudly(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ;"
                      " sh:lessThan <urn:q> ] .\n")
    with pytest.raises(UnsupportedShapeFeature, match="lessThan"):
        compile_shapes([shapes])


# ---------------- equivalence with pyshacl ----------------

def _drop(*triple: object) -> Mutation:
    return lambda g: g.remove(triple)  # type: ignore[arg-type]


def _add(*triples: tuple[object, object, object]) -> Mutation:
    def mutate(g: Graph) -> None:
        for t in triples:
            g.add(t)  # type: ignore[arg-type]
    return mutate


def _swap(s: object, p: object, o: object) -> Mutation:
    def mutate(g: Graph) -> None:
        g.remove((s, p, None))  # type: ignore[arg-type]
        g.add((s, p, o))  # type: ignore[arg-type]
    return mutate


def _blank_outcome(g: Graph) -> None:
    lo, web = BNode(), BNode()
    g.add((Q, ELM.learningOutcome, lo))
    g.add((lo, RDF.type, ELM.LearningOutcome))
    g.add((lo, DCT.title, Literal("Read plans.", lang="en")))
    g.add((Q, ELM.supplementaryDocument, web))
    g.add((web, RDF.type, ELM.WebResource))
    g.add((web, ELM.contentUrl, Literal("https://example.org/plans", datatype=XSD.anyURI)))


def _strip_stubs(g: Graph) -> None:
    for s in set(g.subjects(RDF.type, SKOS.Concept)) | set(g.subjects(RDF.type, SKOS.ConceptScheme)):
        g.remove((s, None, None))


EQF5, ISCED = URIRef("http://data.europa.eu/snb/eqf/5"), URIRef("http://data.europa.eu/snb/isced-f/0732")
WEB, ORG, NQA_NAME = EX["web/Q-0001"], EX["org/NQA"], "National Qualifications Authority"
ESCO_SKILL = URIRef("http://data.europa.eu/esco/skill/0a2d2b8e-1f2b-4d7b-8e0e-5b8a4c3d2e1f")
CORPUS: dict[str, Mutation] = {
    "valid": lambda g: None,
    "valid-without-stubs": _strip_stubs,
    "missing-title": _drop(Q, DCT.title, None),
    "two-eqf-levels": _add((Q, ELM.EQFLevel, EQF5)),
    "wrong-datatype": _swap(Q, DCT.modified, Literal("yesterday", datatype=XSD.dateTime)),
    "integer-credit-points": _swap(EX["credit/Q-0001"], ELM.point, Literal(120)),
    "unknown-property": _add((Q, EX.portalStatus, Literal("draft"))),
    "concept-from-wrong-scheme": _swap(Q, ELM.EQFLevel, ISCED),
    "unknown-concept": _swap(Q, DCT.language, URIRef("http://example.org/lang/xx")),
    "literal-for-concept": _swap(Q, ELM.EQFLevel, Literal("4")),
    "bad-url": _swap(WEB, ELM.contentUrl, Literal("ftp://example.org/q", datatype=XSD.anyURI)),
    "two-english-titles": _add((Q, DCT.title, Literal("Plumbing certificate", lang="en"))),
    "alt-label-equals-title": _add((Q, SKOS.altLabel, Literal("Certificate in Plumbing", lang="en"))),
    "org-alt-label-equals-name": _add((ORG, SKOS.altLabel, Literal(NQA_NAME, lang="en"))),
    "class-mismatch": _add((Q, ELM.learningOutcome, EX["note/Q-0001-los"])),
    "blank-node-values": _blank_outcome,
    "blank-node-class-mismatch": _add((Q, ELM.creditPoint, BNode())),
    "esco-skill-link": _add((EX["lo/Q-0001-1"], ELM.relatedESCOSkill, ESCO_SKILL),
                            (ESCO_SKILL, RDF.type, SKOS.Concept),
                            (ESCO_SKILL, SKOS.inScheme, URIRef("http://data.europa.eu/esco/concept-scheme/skills")),
                            (URIRef("http://data.europa.eu/esco/concept-scheme/skills"), RDF.type,
                             SKOS.ConceptScheme)),
    "subclass-target": _add((EX.NationalQualification, rdflib.RDFS.subClassOf, ELM.Qualification),
                            (EX["qualification/Q-0002"], RDF.type, EX.NationalQualification)),
    "identifier-or-failure": _swap(Q, URIRef("http://www.w3.org/ns/adms#identifier"), WEB),
    "string-status-on-accreditation": _add((EX["accreditation/Q-0001"], ELM.status, Literal("published"))),
}


@pytest.fixture(scope="module")
def shapes_graph() -> Graph:
    graph = Graph()
    for path in SHAPE_FILES:
        graph.parse(path, format="turtle")
    return graph


def _with_referenced_concepts(store: Store, record: Graph) -> Graph:
    """The record plus the typing and scheme triples of every vocabulary concept it references."""
    data = Graph()
    for t in record:
        data.add(t)
    vocabs = {NamedNode(g) for g in VOCABS}
    iris = {o for o in record.objects() if isinstance(o, URIRef)}
    for iri in iris:
        for quad in store.quads_for_pattern(NamedNode(str(iri)), None, None, None):
            if quad.graph_name in vocabs and quad.predicate.value in (str(RDF.type), str(SKOS.inScheme)):
                data.add((iri, URIRef(quad.predicate.value), URIRef(quad.object.value)))
                if quad.predicate.value == str(SKOS.inScheme):
                    data.add((URIRef(quad.object.value), RDF.type, SKOS.ConceptScheme))
    return data


def _pyshacl_results(data: Graph, shapes: Graph) -> tuple[bool, set[tuple[str, str | None, str]]]:
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)
    results = set()
    for r in report.objects(None, URIRef(SH + "result")):
        focus, path = report.value(r, URIRef(SH + "focusNode")), report.value(r, URIRef(SH + "resultPath"))
        component = report.value(r, URIRef(SH + "sourceConstraintComponent"))
        results.add((_id(focus), str(path) if path is not None else None, str(component)))
    return bool(conforms), results


def _id(node: object) -> str:
    return "_:" if isinstance(node, BNode) else str(node)


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_same_results_as_pyshacl(store: Store, shapes_graph: Graph, case: str) -> None:
    record = minimal()
    CORPUS[case](record)
    target = NamedNode(dataset_graph(f"corpus-{case}"))
    store.load(record.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES, to_graph=target)
    ours = validate_graph(store, target.value, VOCABS)
    # Blank node labels differ between the two stores, so blank focus nodes compare as "_:".
    stored = Graph().parse(data=store.dump(format=RdfFormat.N_TRIPLES, from_graph=target), format="nt")
    expected_conforms, expected = _pyshacl_results(_with_referenced_concepts(store, stored), shapes_graph)
    got = {("_:" if v.focus.startswith("_:") else v.focus, v.path, v.constraint) for v in ours.violations}
    assert ours.conforms == expected_conforms, ours.to_text()
    assert got == expected, f"only ours: {got - expected}\nonly pyshacl: {expected - got}"
    assert (case.startswith("valid") or case in ("blank-node-values", "esco-skill-link")) == ours.conforms


@pytest.fixture(scope="module")
def official_shapes_graph() -> Graph:
    graph = Graph()
    for path in OFFICIAL_SHAPE_FILES:
        graph.parse(path, format="turtle")
    return graph


@pytest.mark.parametrize("case", ["valid", "esco-skill-link", "missing-title", "concept-from-wrong-scheme",
                                  "string-status-on-accreditation"])
def test_case_14_official_verdict_same_as_pyshacl_with_the_official_shapes(
        store: Store, official_shapes_graph: Graph, case: str) -> None:
    """Issue 9 case 14: the cheap official verdict (patched shapes re-run) equals pyshacl on the official files."""
    record = minimal()
    CORPUS[case](record)
    target = NamedNode(dataset_graph(f"official-{case}"))
    store.load(record.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES, to_graph=target)
    ours = validate_graph(store, target.value, VOCABS)
    assert ours.official is not None
    stored = Graph().parse(data=store.dump(format=RdfFormat.N_TRIPLES, from_graph=target), format="nt")
    expected_conforms, expected = _pyshacl_results(_with_referenced_concepts(store, stored),
                                                   official_shapes_graph)

    def key(v: Violation) -> tuple[str, str | None, str]:
        return "_:" if v.focus.startswith("_:") else v.focus, v.path, v.constraint

    got = ({key(v) for v in ours.violations} - {key(v) for v in ours.official.only_nqdb}) | \
        {key(v) for v in ours.official.only_official}
    assert ours.official.conforms == expected_conforms
    assert got == expected, f"only ours: {got - expected}\nonly pyshacl: {expected - got}"
    assert (case == "esco-skill-link") == (ours.official.only_official_count > 0)
