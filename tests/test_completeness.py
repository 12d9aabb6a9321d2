"""EQF Annex VI completeness of qualifications in a dataset graph."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode, RdfFormat, Store
from rdflib import Graph

from store.validation.completeness import MANDATORY, OPTIONAL, CompletenessReport, annex_vi_completeness, score
from tests.conftest import MINIMAL

ELM = rdflib.Namespace("http://data.europa.eu/snb/model/elm/")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
Q = rdflib.URIRef("https://example.org/nqd/qualification/Q-0001")


def completeness(tmp_path: Path, graph: Graph) -> CompletenessReport:
    store = Store(str(tmp_path / "store"))
    target = NamedNode("urn:nqdb:dataset:annex-vi")
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES, to_graph=target)
    return annex_vi_completeness(store, target.value)


def test_minimal_record_score(tmp_path: Path) -> None:
    report = completeness(tmp_path, Graph().parse(MINIMAL, format="turtle"))
    [q] = report.per_qualification
    assert (q.iri, q.title) == (str(Q), "Certificate in Plumbing")
    assert q.missing_mandatory == ()
    assert set(q.missing_optional) == {"ways to acquire", "expiry / validity", "ESCO skill links",
                                       "relationship to occupations"}
    assert q.score == pytest.approx(score(6, 8)) == pytest.approx(26 / 30)
    assert report.dataset_score == pytest.approx(q.score)
    assert report.to_json()["dataset_score"] == round(26 / 30, 4)
    assert "Certificate in Plumbing: 87%" in report.to_text()


def test_record_missing_optional_and_mandatory_fields(tmp_path: Path) -> None:
    graph = Graph().parse(MINIMAL, format="turtle")
    for prop in (ELM.NQFLevel, DCT.description, ELM.creditPoint, ELM.entryRequirement, ELM.EQFLevel):
        graph.remove((Q, prop, None))
    graph.add((Q, ELM.learningSetting, rdflib.URIRef("http://data.europa.eu/snb/learning-setting/6d8d3f1e9e")))
    [q] = completeness(tmp_path, graph).per_qualification
    assert q.missing_mandatory == ("EQF level",)
    assert {"NQF level", "description", "credit points", "entry requirements"} <= set(q.missing_optional)
    assert "ways to acquire" in q.present and "ways to acquire" not in q.missing
    assert q.score == pytest.approx(score(5, 5))


def test_country_from_awarding_body_and_empty_dataset(tmp_path: Path) -> None:
    graph = Graph().parse(MINIMAL, format="turtle")
    graph.remove((rdflib.URIRef("https://example.org/nqd/awarding/Q-0001"), ELM.location, None))
    [q] = completeness(tmp_path, graph).per_qualification
    assert "country" in q.present
    empty = annex_vi_completeness(Store(), "urn:nqdb:dataset:none")
    assert empty.per_qualification == [] and empty.dataset_score == 0.0
    assert len(MANDATORY) == 6 and len(OPTIONAL) == 12
