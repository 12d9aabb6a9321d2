"""One public base URL behind a proxy prefix: pages, resources, catalogue, VoID, feed and the SPARQL service
description agree on it (issue 10; before, resources and /sparql dropped the X-Forwarded-Prefix)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from flask.testing import FlaskClient

from portal import create_app
from portal.sparql.endpoint import close_pool
from store.core.triplestore import Store
from store.ingest.bootstrap import load_demo

PUBLIC = "https://data.example.gov/nqdb"  # what the proxy publishes; the app itself listens elsewhere
PROXY = {"X-Forwarded-Host": "data.example.gov", "X-Forwarded-Proto": "https", "X-Forwarded-Prefix": "/nqdb"}
QUALIFICATION = "/id/qualification/DEMO-0041"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


@pytest.fixture
def proxied(tmp_path: Path, empty_template: Path) -> FlaskClient:
    """A portal without PUBLIC_BASE_URL behind one trusted proxy, over demo data minted under PUBLIC."""
    shutil.copytree(empty_template, tmp_path / "store", symlinks=True)
    load_demo(Store(tmp_path / "store"), PUBLIC)
    app = create_app({"TESTING": True, "STORE": str(tmp_path / "store"), "PUBLIC_BASE_URL": "",
                      "TRUSTED_PROXIES": 1})
    yield app.test_client()
    close_pool(app)


def _get(client: FlaskClient, path: str, accept: str) -> bytes:
    response = client.get(path, base_url="http://10.0.0.5:8000", headers={**PROXY, "Accept": accept})
    assert response.status_code == 200, (path, response.data)
    return response.data


def _turtle(client: FlaskClient, path: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=_get(client, path, "text/turtle"), format="turtle")


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_every_surface_agrees_on_the_prefixed_base(proxied: FlaskClient) -> None:
    resource = rdflib.URIRef(PUBLIC + QUALIFICATION)
    assert (resource, None, None) in _turtle(proxied, QUALIFICATION)
    page = _get(proxied, QUALIFICATION, "text/html").decode()
    assert f"<code>{resource}</code>" in page
    home = _get(proxied, "/", "text/html").decode()
    assert 'href="/nqdb/id/qualification/' in home  # our IRIs link on this host, under the prefix
    assert (rdflib.URIRef(PUBLIC + "/catalog"), rdflib.RDF.type, DCAT.Catalog) in _turtle(proxied, "/catalog")
    void = _turtle(proxied, "/.well-known/void")
    assert set(void.objects(None, VOID.sparqlEndpoint)) == {rdflib.URIRef(PUBLIC + "/sparql")}
    assert set(void.objects(None, VOID.uriSpace)) == {rdflib.Literal(PUBLIC + "/id/")}
    service = rdflib.URIRef(PUBLIC + "/sparql")
    assert (service, SD.endpoint, service) in _turtle(proxied, "/sparql")
    assert proxied.get("/changes", base_url="http://10.0.0.5:8000", headers=PROXY).get_json()["id"] == \
        PUBLIC + "/changes"
