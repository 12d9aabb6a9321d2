"""Issue 9 case 16: /resource?iri= serves every IRI in the store, of any scheme; a malformed IRI is a 400."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from portal import create_app
from store.core.triplestore import Store
from store.ingest import importer
from tests.conftest import BASE, MINIMAL

ELM = Namespace("http://data.europa.eu/snb/model/elm/")
DCT = Namespace("http://purl.org/dc/terms/")
QUALIFICATION = "urn:uuid:6f1c2a5e-93b4-4c1e-8d2a-5b7e0c9f4a11"
OUTCOME = "urn:uuid:0d8e4b7a-1f2c-4e9b-a6d3-7c5b2e1f0a22"
HTML = {"Accept": "text/html"}


@pytest.fixture
def urn_client(tmp_path: Path, empty_store: Store) -> FlaskClient:
    """The minimal qualification with its IRI and its learning outcomes' IRIs as urn:uuid: (as ELM samples)."""
    text = MINIMAL.read_text(encoding="utf-8").replace("qual:Q-0001", f"<{QUALIFICATION}>")
    text = text.replace("lo:Q-0001-1", f"<{OUTCOME}>").replace("lo:Q-0001-2", f"<{OUTCOME}-2>")
    (tmp_path / "urn.ttl").write_text(text, encoding="utf-8")
    importer.import_file(empty_store, tmp_path / "urn.ttl", "urn")
    app = create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": BASE})
    return app.test_client()


def test_case_16_urn_qualification_page(urn_client: FlaskClient) -> None:
    """Issue 9 case 16: the page of a urn:uuid: qualification, with its outcomes and an escaped IRI."""
    response = urn_client.get("/resource", query_string={"iri": QUALIFICATION}, headers=HTML)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Certificate in Plumbing" in page
    assert "Install domestic water supply systems" in page
    assert f"<code>{QUALIFICATION}</code>" in page


def test_case_16_urn_outcome_in_turtle_and_negotiated(urn_client: FlaskClient) -> None:
    """Issue 9 case 16: a urn:uuid: learning outcome in Turtle, by format URL and by Accept."""
    by_suffix = urn_client.get("/resource.ttl", query_string={"iri": OUTCOME})
    negotiated = urn_client.get("/resource", query_string={"iri": OUTCOME}, headers={"Accept": "text/turtle"})
    for response in (by_suffix, negotiated):
        assert response.status_code == 200 and response.mimetype == "text/turtle"
        graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
        assert (URIRef(OUTCOME), RDF.type, ELM.LearningOutcome) in graph
        title = Literal("Install domestic water supply systems in line with regulations.", lang="en")
        assert (URIRef(OUTCOME), DCT.title, title) in graph
    qualification = urn_client.get("/resource.ttl", query_string={"iri": QUALIFICATION}).get_data(as_text=True)
    graph = Graph().parse(data=qualification, format="turtle")
    assert (URIRef(QUALIFICATION), ELM.learningOutcome, URIRef(OUTCOME)) in graph


def test_case_16_pages_link_to_urn_resources(urn_client: FlaskClient) -> None:
    """Issue 9 case 16: the organisation page links to the urn: qualification, and the link answers."""
    page = urn_client.get("/resource", query_string={"iri": "https://example.org/nqd/org/NQA"},
                          headers=HTML).get_data(as_text=True)
    links = [html.unescape(h) for h in re.findall(r'href="([^"]*)"', page) if "urn" in h]
    assert links == ["/resource?iri=urn:uuid:6f1c2a5e-93b4-4c1e-8d2a-5b7e0c9f4a11"]
    assert urn_client.get(links[0], headers=HTML).status_code == 200


def test_case_16_unknown_urn_is_404(urn_client: FlaskClient) -> None:
    """Issue 9 case 16: a well-formed IRI that is not in the store is a 404 in the asked format."""
    response = urn_client.get("/resource.ttl", query_string={"iri": "urn:uuid:00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 404 and response.mimetype == "text/turtle"


@pytest.mark.parametrize("iri", ["", "not an iri", "Q-0001", "http://example.org/<script>", "urn:x\ny",
                                 "http://[::1", "http://example.org/%zz", 'http://e.org/"'])
def test_case_16_malformed_iri_is_a_400_problem(urn_client: FlaskClient, iri: str) -> None:
    """Issue 9 case 16: a missing or malformed IRI is the client's error (400 problem), never a 500 or 404."""
    response = urn_client.get("/resource", query_string={"iri": iri})
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "IRI" in response.get_json()["detail"]
    page = urn_client.get("/resource", query_string={"iri": iri}, headers=HTML)
    assert page.status_code == 400 and "<script>" not in page.get_data(as_text=True)
