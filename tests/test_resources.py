"""Dereferenceable IRIs: negotiation, format URLs, each RDF syntax read by a real parser, caching, proxies."""

from __future__ import annotations

import json

import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient
from pyld import jsonld
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from portal import create_app
from store.core.paths import CONTEXTS
from store.core.triplestore import Store
from tests.conftest import BASE

# rdflib's own JSON-LD parser builds a ConjunctiveGraph internally and warns about it (rdflib 7.1).
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

QUALIFICATION = "/id/qualification/DEMO-0041"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
FORMATS = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
           "rdf": ("application/rdf+xml", "xml"), "nt": ("application/n-triples", "nt")}


def offline_loader(url: str, options: dict[str, object] | None = None) -> dict[str, object]:
    """A PyLD document loader that knows only our context file and never touches the network."""
    if url == "http://data.europa.eu/snb/model/context/nqdb":
        document = json.loads((CONTEXTS / "nqdb-context.jsonld").read_text(encoding="utf-8"))
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": document}
    raise AssertionError(f"PyLD tried to fetch {url}")


def parse(body: bytes, rdflib_format: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=rdflib_format)


def assert_isomorphic(left: rdflib.Graph, right: rdflib.Graph) -> None:
    if not isomorphic(left, right):
        _, only_left, only_right = graph_diff(to_isomorphic(left), to_isomorphic(right))
        left_nt, right_nt = only_left.serialize(format="nt"), only_right.serialize(format="nt")
        pytest.fail(f"not isomorphic:\n{left_nt}\n---\n{right_nt}")


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/turtle", "text/turtle"), ("*/*", "text/turtle"), ("", "text/turtle"),
    (BROWSER, "text/html"), ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml;q=0.5, application/n-triples", "application/n-triples"),
    ("text/html,*/*;q=0.8", "text/html"), ("text/*, text/turtle;q=0", "text/html"),
    ("application/xml", "text/turtle"),
])
def test_resource_negotiates(client: FlaskClient, accept: str, expected: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get(QUALIFICATION, headers=headers)
    if accept == "application/xml":  # not offered: 406 listing the types we offer
        assert response.status_code == 406
        assert "text/turtle" in response.get_data(as_text=True)
        return
    assert response.status_code == 200
    assert response.mimetype == expected
    assert "Accept" in response.vary
    suffix = next((s for s, (m, _) in FORMATS.items() if m == expected), "html")
    assert response.headers["Content-Location"] == f"http://localhost{QUALIFICATION}.{suffix}"


def test_every_format_parses_and_all_are_isomorphic(client: FlaskClient) -> None:
    graphs = {}
    for suffix, (media_type, rdflib_format) in FORMATS.items():
        response = client.get(f"{QUALIFICATION}.{suffix}")
        assert response.status_code == 200 and response.mimetype == media_type
        assert "Vary" not in response.headers or "Accept" not in response.vary  # format URLs skip negotiation
        graphs[suffix] = parse(response.data, rdflib_format)
    for suffix in ("jsonld", "rdf", "nt"):
        assert_isomorphic(graphs["ttl"], graphs[suffix])
    assert (rdflib.URIRef(BASE + QUALIFICATION), rdflib.RDF.type, None) in graphs["ttl"]
    assert len(graphs["ttl"]) > 50


def test_jsonld_is_compact_and_parses_offline_with_pyld(client: FlaskClient) -> None:
    body = client.get(f"{QUALIFICATION}.jsonld").get_json()
    assert body["@context"]["elm"] == "http://data.europa.eu/snb/model/elm/"
    node = next(n for n in body["@graph"] if n["@id"] == BASE + QUALIFICATION)
    assert node["@type"] == "Qualification" and "dct:title" in node
    options = {"format": "application/n-quads", "documentLoader": offline_loader}
    from_pyld = parse(jsonld.to_rdf(body, options).encode(), "nt")
    turtle = parse(client.get(f"{QUALIFICATION}.ttl").data, "turtle")
    assert_isomorphic(turtle, from_pyld)
    # The same document referring to the context by URL also reads offline through the loader.
    by_url = {**body, "@context": "http://data.europa.eu/snb/model/context/nqdb"}
    assert_isomorphic(turtle, parse(jsonld.to_rdf(by_url, options).encode(), "nt"))


def test_description_holds_owned_nodes_incoming_links_and_labels(client: FlaskClient) -> None:
    graph = parse(client.get(f"{QUALIFICATION}.ttl").data, "turtle")
    elm = rdflib.Namespace("http://data.europa.eu/snb/model/elm/")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    outcomes = list(graph.objects(rdflib.URIRef(BASE + QUALIFICATION), elm.learningOutcome))
    assert outcomes and all((o, rdflib.DCTERMS.title, None) in graph for o in outcomes)
    # incoming: the accreditation that covers the qualification
    assert (None, elm.limitQualification, rdflib.URIRef(BASE + QUALIFICATION)) in graph
    level = next(graph.objects(rdflib.URIRef(BASE + QUALIFICATION), elm.EQFLevel))
    assert (level, skos.prefLabel, None) in graph
    body = next(graph.objects(None, elm.awardingBody))
    assert (body, rdflib.URIRef("http://www.w3.org/ns/regorg#legalName"), None) in graph
    organisation = parse(client.get("/id/organisation/university-college.ttl").data, "turtle")
    assert (rdflib.URIRef(BASE + QUALIFICATION), rdflib.DCTERMS.title, None) in organisation


def test_conditional_requests_get_304(client: FlaskClient) -> None:
    first = client.get(QUALIFICATION, headers={"Accept": "text/turtle"})
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('W/"')
    again = client.get(QUALIFICATION, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    since = client.get(QUALIFICATION, headers={"Accept": "text/turtle", "If-Modified-Since": modified})
    assert since.status_code == 304
    other = client.get(QUALIFICATION, headers={"Accept": "application/n-triples", "If-None-Match": etag})
    assert other.status_code == 200  # another representation, another ETag


def test_head_cors_and_unknown_iri(client: FlaskClient) -> None:
    head = client.head(QUALIFICATION, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.headers["Access-Control-Allow-Origin"] == "*"
    missing = client.get("/id/qualification/NO-SUCH", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404 and missing.mimetype == "text/turtle"
    assert len(parse(missing.data, "turtle")) == 0
    missing_json = client.get("/id/qualification/NO-SUCH.jsonld")
    assert missing_json.status_code == 404 and missing_json.get_json()["@graph"] == []
    page = client.get("/id/qualification/NO-SUCH", headers={"Accept": BROWSER})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert client.get("/id/no-such-kind/X").status_code == 404


def test_external_iri_and_dataset_pages(client: FlaskClient) -> None:
    level = client.get("/resource.ttl?iri=http://data.europa.eu/snb/eqf/5")
    assert level.status_code == 200 and len(parse(level.data, "turtle")) > 0
    dataset = parse(client.get("/id/dataset/demo.ttl").data, "turtle")
    assert (rdflib.URIRef(BASE + "/id/dataset/demo"), rdflib.RDF.type, rdflib.URIRef(
        "http://www.w3.org/ns/dcat#Dataset")) in dataset


def test_blank_nodes_get_fresh_labels_per_response(tmp_path: object, empty_store: Store) -> None:
    from pathlib import Path

    from store.ingest import importer

    data = Path(str(tmp_path)) / "blank.ttl"
    data.write_text("@prefix elm: <http://data.europa.eu/snb/model/elm/> .\n"
                    "<http://example.org/q/1> a elm:Qualification ; elm:creditPoint [ elm:point \"5\" ] .\n",
                    encoding="utf-8")
    importer.import_file(empty_store, data, "blank")
    app = create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": BASE})
    client = app.test_client()
    first = client.get("/resource.nt?iri=http://example.org/q/1").get_data(as_text=True)
    second = client.get("/resource.nt?iri=http://example.org/q/1").get_data(as_text=True)
    label = [w for w in first.split() if w.startswith("_:")]
    assert label and label[0] not in second
    assert isomorphic(parse(first.encode(), "nt"), parse(second.encode(), "nt"))
    assert len(parse(first.encode(), "nt")) == 3  # the blank node's own triple is part of the description
    assert "urn:nqdb:" not in first  # portal metadata (Europass readiness, dataset) stays out


def test_canonical_host_differs_from_serving_host(demo_store: Store) -> None:
    """IRIs minted under http://nqdb.test answer on any host; behind a proxy, links follow X-Forwarded-*."""
    app: Flask = create_app({"TESTING": True, "STORE": str(demo_store.path), "PUBLIC_BASE_URL": BASE,
                             "TRUSTED_PROXIES": 1})
    client = app.test_client()
    headers = {"Accept": "text/turtle", "X-Forwarded-Host": "data.example.gov", "X-Forwarded-Proto": "https",
               "X-Forwarded-Prefix": "/nqdb"}
    response = client.get(QUALIFICATION, base_url="http://10.0.0.5:8000", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Location"] == f"https://data.example.gov/nqdb{QUALIFICATION}.ttl"
    assert (rdflib.URIRef(BASE + QUALIFICATION), None, None) in parse(response.data, "turtle")
    page = client.get(QUALIFICATION, base_url="http://10.0.0.5:8000", headers={**headers, "Accept": BROWSER})
    html = page.get_data(as_text=True)
    assert 'href="/nqdb/id/organisation/' in html  # our IRIs link on the serving host, relative
    assert 'href="/nqdb/id/qualification/DEMO-0041.ttl"' in html


def test_description_matches_the_published_graphs_only(demo_store: Store) -> None:
    """describe_resource runs on the union graph for speed; it must equal a run on the published graphs."""
    from store.core import execute
    from store.opendata import describe

    snap = demo_store.snapshot()
    for key in ("qualification/DEMO-0041", "organisation/university-college"):
        iri = f"{BASE}/id/{key}"
        fast = rdflib.Graph().parse(data=describe.describe(demo_store, iri, "application/n-triples"),
                                    format="nt")
        triples = execute.run(snap.ox, "describe_resource", {"resource": iri}, snap.published)
        reference = rdflib.Graph().parse(data=describe.serialize(list(triples), "application/n-triples"),  # type: ignore[call-overload]
                                         format="nt")
        assert_isomorphic(reference, fast)
