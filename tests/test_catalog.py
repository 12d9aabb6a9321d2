"""DCAT-AP catalogue and VoID: they parse, carry every required property, their numbers match the store."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib import RDF, Literal, Namespace, URIRef

from store.core import statistics
from store.core.triplestore import Store
from store.opendata import dumps
from tests.open_data import LICENSE, dumped_template, open_data_app, store_copy

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
VOID = Namespace("http://rdfs.org/ns/void#")
ELM = Namespace("http://data.europa.eu/snb/model/elm/")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Store:
    template = dumped_template(tmp_path_factory, demo_template)
    return store_copy(template, tmp_path_factory.mktemp("catalog") / "store")


@pytest.fixture(scope="module")
def client(store: Store) -> FlaskClient:
    return open_data_app(store, PUBLISHER_URL="https://authority.example",
                         CONTACT_EMAIL="open@authority.example", COUNTRY_CODE="BEL").test_client()


def graph_of(client: FlaskClient, url: str, media_type: str = "text/turtle",
             fmt: str = "turtle") -> rdflib.Graph:
    response = client.get(url, headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    return rdflib.Graph().parse(data=response.data, format=fmt)


@pytest.fixture(scope="module")
def catalog(client: FlaskClient) -> rdflib.Graph:
    return graph_of(client, "/catalog")


@pytest.fixture(scope="module")
def void(client: FlaskClient) -> rdflib.Graph:
    return graph_of(client, "/.well-known/void")


def instances(graph: rdflib.Graph, cls: URIRef) -> list[rdflib.term.Node]:
    return list(graph.subjects(RDF.type, cls))


# DCAT-AP 3 mandatory and recommended properties, one test each.
REQUIRED = [
    (DCAT.Catalog, DCT["title"]), (DCAT.Catalog, DCT.description), (DCAT.Catalog, DCT.publisher),
    (DCAT.Catalog, DCAT.dataset), (DCAT.Catalog, FOAF.homepage), (DCAT.Catalog, DCT.license),
    (DCAT.Catalog, DCT.language), (DCAT.Catalog, DCT.issued), (DCAT.Catalog, DCT.modified),
    (DCAT.Catalog, DCAT.service), (DCAT.Catalog, DCAT.themeTaxonomy),
    (DCAT.Dataset, DCT["title"]), (DCAT.Dataset, DCT.description), (DCAT.Dataset, DCAT.distribution),
    (DCAT.Dataset, DCAT.contactPoint), (DCAT.Dataset, DCT.publisher), (DCAT.Dataset, DCAT.theme),
    (DCAT.Dataset, DCAT.keyword), (DCAT.Dataset, DCT.issued), (DCAT.Dataset, DCT.modified),
    (DCAT.Dataset, DCT.language), (DCAT.Dataset, DCT.identifier), (DCAT.Dataset, DCT.spatial),
    (DCAT.Distribution, DCAT.accessURL), (DCAT.Distribution, DCT.license),
    (DCAT.Distribution, DCT["title"]), (DCAT.DataService, DCAT.endpointURL), (DCAT.DataService, DCT["title"]),
    (DCAT.DataService, DCAT.servesDataset),
    (FOAF.Agent, FOAF.name), (VCARD.Organization, VCARD.hasEmail),
]
FILE_DISTRIBUTION = [DCAT.downloadURL, DCAT.mediaType, DCAT.byteSize, SPDX.checksum, DCT["format"],
                     DCT.issued,
                     DCT.modified]


@pytest.mark.parametrize(("cls", "prop"), REQUIRED,
                         ids=[f"{c.split('#')[-1]}-{p}" for c, p in REQUIRED])
def test_catalogue_carries(catalog: rdflib.Graph, cls: URIRef, prop: URIRef) -> None:
    nodes = instances(catalog, cls)
    assert nodes, f"no {cls}"
    for node in nodes:
        assert catalog.value(node, prop) is not None, f"{node} has no {prop}"


@pytest.mark.parametrize("prop", FILE_DISTRIBUTION, ids=[str(p) for p in FILE_DISTRIBUTION])
def test_every_file_distribution_carries(catalog: rdflib.Graph, prop: URIRef) -> None:
    files = [d for d in instances(catalog, DCAT.Distribution) if catalog.value(d, DCAT.downloadURL)]
    assert len(files) >= 10
    for node in files:
        assert catalog.value(node, prop) is not None, f"{node} has no {prop}"


def test_licence_publisher_and_contact_come_from_config(catalog: rdflib.Graph) -> None:
    assert set(catalog.objects(None, DCT.license)) == {URIRef(LICENSE)}
    publisher = next(catalog.subjects(RDF.type, FOAF.Agent))
    assert catalog.value(publisher, FOAF.homepage) == URIRef("https://authority.example")
    assert URIRef("mailto:open@authority.example") in set(catalog.objects(None, VCARD.hasEmail))
    spatial = URIRef("http://publications.europa.eu/resource/authority/country/BEL")
    assert spatial in set(catalog.objects(None, DCT.spatial))


def test_sizes_and_checksums_match_the_files(catalog: rdflib.Graph, store: Store) -> None:
    directory = dumps.dumps_dir(store) / "latest"
    for node in instances(catalog, DCAT.Distribution):
        url = catalog.value(node, DCAT.downloadURL)
        if url is None:
            continue
        data = (directory / str(url).rsplit("/", 1)[1]).read_bytes()
        assert int(str(catalog.value(node, DCAT.byteSize))) == len(data)
        checksum = catalog.value(node, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()


def test_one_dataset_per_import_plus_the_whole_database(catalog: rdflib.Graph, store: Store) -> None:
    expected = {d.title for d in statistics.datasets(store)} | {"National Qualifications Database"}
    assert {str(catalog.value(d, DCT["title"])) for d in instances(catalog, DCAT.Dataset)} == expected


@pytest.mark.parametrize("media_type", ["application/ld+json", "application/rdf+xml",
                                        "application/n-triples"])
def test_catalogue_negotiates(client: FlaskClient, catalog: rdflib.Graph, media_type: str) -> None:
    response = client.get("/catalog", headers={"Accept": media_type})
    assert response.mimetype == media_type and "Accept" in response.headers["Vary"]
    parsed = list(ox.parse(response.data, ox.RdfFormat.from_media_type(media_type)))
    assert len(parsed) == len(catalog)


def test_catalogue_refuses_what_it_cannot_produce(client: FlaskClient) -> None:
    response = client.get("/catalog", headers={"Accept": "text/csv"})
    assert response.status_code == 406


VOID_REQUIRED = [VOID.sparqlEndpoint, VOID.dataDump, VOID.uriSpace, VOID.triples, VOID.classPartition,
                 VOID.propertyPartition, VOID.vocabulary, VOID.classes, VOID.properties, DCT.license,
                 DCT["title"]]


def _void_dataset(void: rdflib.Graph) -> rdflib.term.Node:
    return next(void.objects(None, FOAF.primaryTopic))


@pytest.mark.parametrize("prop", VOID_REQUIRED, ids=[str(p) for p in VOID_REQUIRED])
def test_void_carries(void: rdflib.Graph, prop: URIRef) -> None:
    assert void.value(_void_dataset(void), prop) is not None


def test_void_triples_match_the_store(void: rdflib.Graph, store: Store) -> None:
    dataset = _void_dataset(void)
    expected = sum(store.count_quads(g) for g in store.published_graphs())
    assert int(str(void.value(dataset, VOID.triples))) == expected
    partitions = [void.value(p, VOID.triples) for p in void.objects(dataset, VOID.propertyPartition)]
    assert sum(int(str(t)) for t in partitions) == expected
    subsets = {str(void.value(s, DCT.identifier)): int(str(void.value(s, VOID.triples)))
               for s in void.objects(dataset, VOID.subset)}
    assert subsets == {g: store.count_quads(g) for g in store.published_graphs()}


def test_void_class_partition_counts_qualifications(void: rdflib.Graph, store: Store) -> None:
    dataset = _void_dataset(void)
    counts = {void.value(p, VOID["class"]): int(str(void.value(p, VOID.entities)))
              for p in void.objects(dataset, VOID.classPartition)}
    assert counts[ELM.Qualification] == statistics.summary(store).qualifications
    assert int(str(void.value(dataset, VOID.classes))) == len(counts)
    assert URIRef(str(ELM)) in set(void.objects(dataset, VOID.vocabulary))


def test_void_points_at_our_urls(void: rdflib.Graph) -> None:
    dataset = _void_dataset(void)
    assert void.value(dataset, VOID.uriSpace) == Literal("http://nqdb.test/id/")
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef("http://nqdb.test/sparql")
    assert URIRef("http://nqdb.test/dumps/latest/nqdb.nq.gz") in set(void.objects(dataset, VOID.dataDump))


def test_metadata_graphs_stay_out_of_the_dumps(store: Store) -> None:
    data = gzip.decompress((dumps.dumps_dir(store) / "latest" / "nqdb.nq.gz").read_bytes())
    assert b"urn:nqdb:metadata" not in data and b"urn:nqdb:changes" not in data


def test_sitemap_lists_every_resource_page(client: FlaskClient) -> None:
    body = client.get("/sitemap.xml").data.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "<loc>http://nqdb.test/id/qualification/DEMO-0001</loc>" in body
    assert "<loc>http://nqdb.test/id/organisation/ministry</loc>" in body
    assert body.count("<url>") > 64


def test_robots_points_at_the_sitemap(client: FlaskClient) -> None:
    body = client.get("/robots.txt").data.decode()
    assert "Sitemap: http://nqdb.test/sitemap.xml" in body and "Disallow: /sparql" in body
