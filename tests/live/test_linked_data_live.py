"""A real server whose demo IRIs are minted under its own address: rdflib follows the negotiation."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest
import rdflib
from pyld import jsonld

from portal import create_app
from store.core.triplestore import Store
from store.ingest.bootstrap import load_demo
from tests.live.conftest import LiveServer, start_server

pytestmark = [pytest.mark.live,
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]


@pytest.fixture
def own_iri_server(empty_store: Store) -> Iterator[LiveServer]:
    """Start the server first, then mint the demo under its URL (the Store reopens the new snapshot)."""
    app = create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": ""})
    server, thread = start_server(app)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = url
    load_demo(empty_store, url)
    try:
        yield LiveServer(url, app)
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_rdflib_dereferences_a_qualification_iri(own_iri_server: LiveServer) -> None:
    iri = f"{own_iri_server.url}/id/qualification/DEMO-0041"
    graph = rdflib.Graph().parse(iri)  # rdflib sends its own Accept header and follows what we answer
    assert (rdflib.URIRef(iri), rdflib.RDF.type,
            rdflib.URIRef("http://data.europa.eu/snb/model/elm/Qualification")) in graph
    titles = {str(t) for t in graph.objects(rdflib.URIRef(iri), rdflib.DCTERMS.title)}
    assert "Bachelier infirmier responsable de soins généraux" in titles
    # The IRIs in the description lead on to more descriptions on the same server.
    body = next(graph.objects(None, rdflib.URIRef("http://data.europa.eu/snb/model/elm/awardingBody")))
    assert (body, None, None) in rdflib.Graph().parse(str(body))


def test_jsonld_over_http_reads_offline_with_pyld(own_iri_server: LiveServer) -> None:
    iri = f"{own_iri_server.url}/id/qualification/DEMO-0041"
    request = urllib.request.Request(iri, headers={"Accept": "application/ld+json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
        assert response.headers["Content-Type"].startswith("application/ld+json")
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        document = response.read()
    import json

    def no_network(url: str, options: object = None) -> object:
        raise AssertionError(f"PyLD tried to fetch {url}")

    options = {"format": "application/n-quads", "documentLoader": no_network}
    quads = jsonld.to_rdf(json.loads(document), options)
    assert f"<{iri}> <http://purl.org/dc/terms/title>" in quads
