"""The shipped demo dataset (store/ingest/demo.py) and the ESCO skills vocabulary it links to."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import DCTERMS, OWL, RDF, SH, SKOS

from store.core import iris
from store.core.namespaces import ELM as ELM_NS
from store.core.paths import SHAPES, VOCABULARIES
from store.ingest.demo import RESPONSIBILITY_AND_AUTONOMY_KEY, demo_dataset_turtle

BASES = ("http://nqdb.test", "https://qualifications.example.org/registry/")
ELM = rdflib.Namespace(ELM_NS)
ESCO_SKILLS = VOCABULARIES / "esco-skills.ttl"
ESCO_SCHEME = rdflib.URIRef("http://data.europa.eu/esco/concept-scheme/skills")
ESCO_SKILL_RESTRICTION = rdflib.URIRef(
    "http://data.europa.eu/snb/model/ap/loq-constraints-mdr/EscoSkillRestriction"
)
SKILL_TYPE = "http://data.europa.eu/snb/skill-type/"
PATCHED_MDR = SHAPES / "LOQ-constraints-mdr.nqdb.ttl"


def to_rdflib(triples: list[pyoxigraph.Triple]) -> rdflib.Graph:
    """An rdflib graph of pyoxigraph triples (through N-Triples)."""
    nt = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert nt is not None
    return rdflib.Graph().parse(data=nt.decode(), format="nt")


def parse_turtle(text: str) -> rdflib.Graph:
    """An rdflib graph of Turtle text, parsed by pyoxigraph (the store's parser) first."""
    return to_rdflib([q.triple for q in pyoxigraph.parse(text.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE)])


def referenced_concepts(data: rdflib.Graph, files: Iterable[Path]) -> rdflib.Graph:
    """The vocabulary concepts the data points at, with their schemes, as the vocabulary graphs hold them."""
    wanted = {pyoxigraph.NamedNode(str(o)) for o in data.objects() if isinstance(o, rdflib.URIRef)}
    in_scheme = pyoxigraph.NamedNode(str(SKOS.inScheme))
    picked: list[pyoxigraph.Triple] = []
    for path in files:
        triples = [q.triple for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)]
        concepts = [t for t in triples if t.subject in wanted]
        schemes = {t.object for t in concepts if t.predicate == in_scheme}
        picked += concepts + [t for t in triples if t.subject in schemes]
    return to_rdflib(picked)


def loq_shapes(mdr: Path) -> rdflib.Graph:
    shapes = rdflib.Graph()
    shapes.parse(SHAPES / "LOQ-constraints.ttl")
    shapes.parse(mdr)
    return shapes


def top_level_results(report: rdflib.Graph) -> list[rdflib.term.Node]:
    """Validation results that are not sh:detail of another result."""
    results = report.subjects(RDF.type, SH.ValidationResult)
    return [r for r in results if (None, SH.detail, r) not in report]


@pytest.fixture(scope="module")
def demo() -> rdflib.Graph:
    return parse_turtle(demo_dataset_turtle(BASES[0]))


@pytest.fixture(scope="module")
def validation_data(demo: rdflib.Graph) -> rdflib.Graph:
    """Demo data plus the vocabulary concepts it references: what the store's union graph shows pyshacl."""
    data = rdflib.Graph()
    for triple in demo:
        data.add(triple)
    for triple in referenced_concepts(demo, sorted(VOCABULARIES.glob("*.ttl"))):
        data.add(triple)
    return data


def qualifications(graph: rdflib.Graph) -> list[rdflib.term.Node]:
    return sorted(graph.subjects(RDF.type, ELM.Qualification), key=str)


def languages(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: rdflib.URIRef) -> list[str]:
    """The language tags of the literals subject has for predicate, sorted (one per literal)."""
    return sorted(str(o.language) for o in graph.objects(subject, predicate) if isinstance(o, rdflib.Literal))


def test_demo_has_sixty_qualifications_across_all_eqf_levels(demo: rdflib.Graph) -> None:
    quals = qualifications(demo)
    assert len(quals) >= 60
    levels = [str(demo.value(q, ELM.EQFLevel)).rsplit("/", 1)[1] for q in quals]
    assert {level: levels.count(level) >= 3 for level in "12345678"} == dict.fromkeys("12345678", True)


def test_demo_has_five_awarding_bodies(demo: rdflib.Graph) -> None:
    bodies = set(demo.objects(None, ELM.awardingBody))
    assert len(bodies) >= 5
    for body in bodies:
        assert languages(demo, body, rdflib.URIRef("http://www.w3.org/ns/regorg#legalName")) == ["en", "fr"]


def test_every_qualification_has_english_and_french_titles(demo: rdflib.Graph) -> None:
    for qualification in qualifications(demo):
        assert languages(demo, qualification, DCTERMS.title) == ["en", "fr"], qualification


def test_some_french_descriptions_are_missing_for_the_language_fallback(demo: rdflib.Graph) -> None:
    described = [languages(demo, q, DCTERMS.description) for q in qualifications(demo)]
    assert all("en" in langs for langs in described)
    assert 2 <= sum(1 for langs in described if langs == ["en"]) <= 10


def test_outcomes_cover_knowledge_skills_and_responsibility_and_autonomy(demo: rdflib.Graph) -> None:
    marker = rdflib.URIRef(iris.mint(BASES[0], "note", RESPONSIBILITY_AND_AUTONOMY_KEY))
    for qualification in qualifications(demo):
        outcomes = list(demo.objects(qualification, ELM.learningOutcome))
        assert 3 <= len(outcomes) <= 6, qualification
        groups = set()
        for outcome in outcomes:
            kind = str(demo.value(outcome, DCTERMS.type)).removeprefix(SKILL_TYPE)
            groups.add("autonomy" if (outcome, ELM.additionalNote, marker) in demo else kind)
            assert languages(demo, outcome, DCTERMS.title) == ["en", "fr"], outcome
        assert groups == {"knowledge", "skill", "autonomy"}, qualification
    assert languages(demo, marker, ELM.noteLiteral) == ["en", "fr"]


@pytest.mark.parametrize("base", BASES)
def test_every_minted_iri_lies_under_the_base(base: str) -> None:
    graph = parse_turtle(demo_dataset_turtle(base))
    for subject in set(graph.subjects()):
        minted = iris.parse(base, str(subject))
        assert minted is not None, subject
        local_name = str(graph.value(subject, RDF.type)).rsplit("/", 1)[1]
        assert iris.KINDS[minted.kind] in (local_name, "Location"), subject


def test_demo_turtle_is_deterministic() -> None:
    assert demo_dataset_turtle(BASES[1]) == demo_dataset_turtle(BASES[1])
    assert demo_dataset_turtle("http://nqdb.test/") == demo_dataset_turtle("http://nqdb.test")


def test_demo_embeds_no_vocabulary_concepts(demo: rdflib.Graph) -> None:
    assert not set(demo.subjects(RDF.type, SKOS.Concept))
    assert not set(demo.subjects(RDF.type, SKOS.ConceptScheme))


def test_every_referenced_concept_is_in_a_shipped_vocabulary(
    demo: rdflib.Graph, validation_data: rdflib.Graph
) -> None:
    own = set(demo.subjects())
    external = {o for _, p, o in demo if isinstance(o, rdflib.URIRef) and o not in own and p != RDF.type}
    missing = {o for o in external if (o, RDF.type, SKOS.Concept) not in validation_data}
    assert missing == set()


def test_esco_links_point_at_current_skills(demo: rdflib.Graph, validation_data: rdflib.Graph) -> None:
    skills = set(demo.objects(None, ELM.relatedESCOSkill))
    assert len(skills) >= 50
    for skill in skills:
        assert (skill, SKOS.inScheme, ESCO_SCHEME) in validation_data
        assert (skill, OWL.deprecated, rdflib.Literal(True)) not in validation_data


def test_demo_conforms_to_loq_except_the_known_esco_scheme_pattern(validation_data: rdflib.Graph) -> None:
    """Official LOQ 1.1.0 shapes: only mdr:EscoSkillRestriction may fire (its pattern rejects real ESCO)."""
    shapes = loq_shapes(SHAPES / "LOQ-constraints-mdr.ttl")
    conforms, report, text = validate(validation_data, shacl_graph=shapes)
    results = top_level_results(report)
    fired = [shapes.value(report.value(r, SH.sourceShape), SH.node) for r in results]
    assert [shape for shape in fired if shape != ESCO_SKILL_RESTRICTION] == [], text
    # One violation per ESCO link (learning outcome, skill), none elsewhere.
    assert len(results) == len(list(validation_data.triples((None, ELM.relatedESCOSkill, None))))


@pytest.mark.skipif(not PATCHED_MDR.exists(), reason="patched mdr shapes not present")
def test_demo_conforms_to_loq_with_the_patched_esco_pattern(validation_data: rdflib.Graph) -> None:
    conforms, _, text = validate(validation_data, shacl_graph=loq_shapes(PATCHED_MDR))
    assert conforms, text


def test_validation_check_catches_a_property_outside_the_closed_profile(
    validation_data: rdflib.Graph,
) -> None:
    """Guards the check above: a triple the profile does not list must make a qualification invalid."""
    data = rdflib.Graph()
    for triple in validation_data:
        data.add(triple)
    data.add((qualifications(data)[0], rdflib.URIRef("urn:nqdb:vocab:status"), rdflib.Literal("published")))
    mdr = PATCHED_MDR if PATCHED_MDR.exists() else SHAPES / "LOQ-constraints-mdr.ttl"
    _, report, _ = validate(data, shacl_graph=loq_shapes(mdr))
    components = {report.value(r, SH.sourceConstraintComponent) for r in top_level_results(report)}
    assert SH.ClosedConstraintComponent in components


def test_esco_vocabulary_parses_and_carries_the_attribution() -> None:
    assert ESCO_SKILLS.stat().st_size < 6_000_000
    store = pyoxigraph.Store()
    store.bulk_load(path=str(ESCO_SKILLS), format=pyoxigraph.RdfFormat.TURTLE)
    concept = pyoxigraph.NamedNode(str(SKOS.Concept))
    rdf_type = pyoxigraph.NamedNode(str(RDF.type))
    assert sum(1 for _ in store.quads_for_pattern(None, rdf_type, concept)) == 14_238
    scheme = pyoxigraph.NamedNode(str(ESCO_SCHEME))
    texts = {
        q.object.value
        for q in store.quads_for_pattern(scheme, None, None)
        if isinstance(q.object, pyoxigraph.Literal)
    }
    assert "This service uses the ESCO classification of the European Commission." in texts
    assert any("Modified" in text and "filtered" in text for text in texts)
