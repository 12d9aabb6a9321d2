"""Personal data is never published: persons and awards are refused, or stripped when asked (issue 9 case 11)."""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from nqdb.cli import main
from portal import create_app
from portal.sparql.endpoint import close_pool
from store.core import graphs
from store.core.triplestore import Store
from store.ingest import importer
from store.opendata import dumps
from tests.conftest import BASE, MINIMAL, SHARED
from tests.test_importer import content

SAMPLE = SHARED / "elm" / "elm-v3.1" / "samples" / "credential-sample-turtle.ttl"
SAMPLE_PERSONAL = (re.compile(r"Max Power"), re.compile(r"\bMaxi\b"), re.compile(r'"Power"'))  # the learner's names
SAMPLE_NODES = ("http://example.org/pid1", "http://example.org/cl1", "http://example.org/credential132")
QUALIFICATION = "https://example.org/nqd/qualification/Q-0001"
PERSONAL = ("Jane Learner", "Learner", "1999-04-01", "AB123456", "jane@example.org", "12 Learner Street")

CREDENTIAL = """
@prefix ex:    <https://example.org/credential/> .
@prefix cred:  <https://www.w3.org/2018/credentials#> .
@prefix person: <http://www.w3.org/ns/person#> .

ex:edc-1 a elm:EuropeanDigitalCredential ;
    cred:credentialSubject ex:jane ;
    cred:issuer org:NQA ;
    cred:issuanceDate "2024-06-30T00:00:00Z"^^xsd:dateTime .
ex:jane a elm:Person ;
    foaf:fullName "Jane Learner"@en ;
    foaf:familyName "Learner"@en ;
    elm:dateOfBirth "1999-04-01"^^xsd:date ;
    elm:nationalId [ a elm:LegalIdentifier ; skos:notation "AB123456" ] ;
    elm:contactPoint [ a elm:ContactPoint ; elm:emailAddress <mailto:jane@example.org> ;
                       elm:address ex:jane-home ] ;
    elm:hasClaim ex:achievement-1 .
ex:jane-home a elm:Address ; elm:fullAddress [ a elm:Note ; elm:noteLiteral "12 Learner Street"@en ] .
ex:achievement-1 a elm:LearningAchievement ;
    dct:title "Certificate in Plumbing, awarded"@en ;
    elm:specifiedBy qual:Q-0001 ;
    elm:awardedBy [ a elm:AwardingProcess ; elm:awardingBody org:NQA ;
                    elm:awardingDate "2024-06-30T00:00:00Z"^^xsd:dateTime ] .
"""


def credential_file(tmp_path: Path) -> Path:
    """The minimal LOQ qualification plus a credential awarding it to a learner."""
    path = tmp_path / "credential.ttl"
    path.write_text(MINIMAL.read_text(encoding="utf-8") + CREDENTIAL, encoding="utf-8")
    return path


def public_text(store: Store) -> str:
    """Every published quad as N-Quads: what SPARQL, pages and dumps are made from."""
    out = io.BytesIO()
    for graph in store.published_graphs():
        store.dump(out, "application/n-triples", graph)
    return out.getvalue().decode("utf-8")


def test_credential_with_a_person_is_refused_by_default(demo_store: Store) -> None:
    """Issue 9 case 11: the official credential sample is refused, naming the file and the person node, no values."""
    before, version = content(demo_store), demo_store.version
    with pytest.raises(importer.PersonalDataRefused) as error:
        importer.import_file(demo_store, SAMPLE, "credential")
    message = str(error.value)
    assert str(SAMPLE) in message and "personal data" in message and "--strip-personal-data" in message
    assert "1 person node(s): <http://example.org/pid1>" in message
    assert "elm:EuropeanDigitalCredential" in message and "elm:LearningAchievement" in message
    assert not any(value.search(message) for value in SAMPLE_PERSONAL)
    assert demo_store.version == version and content(demo_store) == before


def test_stripped_credential_sample_reaches_no_public_surface(empty_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 11: with the strip flag nothing of the sample's person reaches the public database or a dump."""
    result = importer.import_file(empty_store, SAMPLE, "credential", strip_personal_data=True)
    assert result.stripped is not None and result.stripped.found.persons == ("http://example.org/pid1",)
    text = public_text(empty_store)
    assert not any(value.search(text) for value in SAMPLE_PERSONAL)
    assert not any(f"<{node}>" in text for node in SAMPLE_NODES)
    assert "<http://example.org/issuer565049>" in text  # the issuing organisation is public: kept
    directory = tmp_path / "dumps"
    dumps.generate(empty_store, directory, base_url=BASE, languages=["en"], license_url="https://example.org/l")
    for dump in (directory / "latest").resolve().iterdir():
        data = dump.read_bytes()
        text = (gzip.decompress(data) if dump.suffix == ".gz" else data).decode("utf-8", "replace")
        assert not any(value.search(text) for value in SAMPLE_PERSONAL), dump.name
        assert "example.org/pid1" not in text, dump.name


@pytest.fixture
def stripped_client(empty_store: Store, tmp_path: Path) -> Iterator[FlaskClient]:
    """A portal over a store that imported the credential file with --strip-personal-data."""
    importer.import_file(empty_store, credential_file(tmp_path), "register", strip_personal_data=True)
    app = create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": BASE,
                      "DUMPS_WATCH_SECONDS": 0})
    with app.test_client() as client:
        yield client
    close_pool(app)


def test_stripped_learner_is_not_in_sparql(stripped_client: FlaskClient) -> None:
    """Issue 9 case 11: SPARQL over the public store finds no person, award or personal value, but the qualification."""
    query = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && (" + " || ".join(
        f'CONTAINS(STR(?o), "{value}")' for value in PERSONAL) + ")) }")
    response = stripped_client.get("/sparql", query_string={"query": query},
                                   headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.data
    assert json.loads(response.data)["results"]["bindings"] == []
    ask = ("PREFIX elm: <http://data.europa.eu/snb/model/elm/> ASK { { ?x a elm:Person } UNION "
           "{ ?x a elm:LearningAchievement } UNION { ?x a elm:EuropeanDigitalCredential } UNION "
           "{ ?x a elm:AwardingProcess } UNION { ?x a elm:ContactPoint } UNION "
           "{ ?x ?p <https://example.org/credential/jane> } }")
    response = stripped_client.get("/sparql", query_string={"query": ask},
                                   headers={"Accept": "application/sparql-results+json"})
    assert json.loads(response.data)["boolean"] is False
    response = stripped_client.get("/id/qualification/Q-0001", headers={"Accept": "text/turtle"})
    assert response.status_code in (200, 404)  # IRIs of the file are not under BASE; the store still has it


def test_strip_keeps_the_qualification_and_removes_only_what_the_person_owns(empty_store: Store,
                                                                            tmp_path: Path) -> None:
    """Issue 9 case 11: the awarded qualification and its awarding body stay exactly as a plain import gives them."""
    result = importer.import_file(empty_store, credential_file(tmp_path), "register", strip_personal_data=True)
    assert result.stripped is not None
    found = result.stripped.found
    assert found.persons == ("https://example.org/credential/jane",)
    assert set(found.awards) == {"https://example.org/credential/edc-1",
                                 "https://example.org/credential/achievement-1"}
    assert result.qualifications == 1 and result.report.conforms, result.report.to_text()
    assert result.stripped.nodes == 8  # edc, person, achievement, awarding process, id, contact, address, note
    text = public_text(empty_store)
    assert not any(value in text for value in PERSONAL)
    assert "example.org/credential/" not in text
    plain = Store(tmp_path / "plain")
    from store.ingest.bootstrap import initialise

    initialise(plain)
    importer.import_file(plain, MINIMAL, "register")
    assert public_set(plain) == public_set(empty_store)


def public_set(store: Store) -> set[str]:
    handle = ox.Store.read_only(str(store.snapshot_path()))
    graph = ox.NamedNode(graphs.dataset_graph("register"))
    return {str(q.triple) for q in handle.quads_for_pattern(None, None, None, graph)
            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}


def test_cli_refuses_personal_data_and_strips_it_on_request(empty_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 11: `nqdb load` refuses a credential; --strip-personal-data imports it and says what went."""
    path = credential_file(tmp_path)
    runner = CliRunner()
    refused = runner.invoke(main, ["load", "--quiet", "--store", str(empty_store.path), str(path)])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert str(path) in refused.output and "personal data" in refused.output
    assert not any(value in refused.output for value in PERSONAL)
    done = runner.invoke(main, ["load", "--json", "--strip-personal-data", "--store", str(empty_store.path),
                                str(path)])
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)[0]["strippedPersonalData"]
    assert report == {"persons": 1, "awards": 3, "nodes": 8, "triples": report["triples"]}
    assert report["triples"] >= 20
