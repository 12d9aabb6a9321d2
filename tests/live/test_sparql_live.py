"""/sparql over real HTTP: SPARQLWrapper, rdflib's SPARQLStore, timeouts that free the worker, saturation."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from portal import create_app
from portal.sparql.endpoint import close_pool, get_pool
from store.core.triplestore import Store
from store.sparql.workers import WorkerPool
from tests.conftest import BASE
from tests.live.conftest import LiveServer, start_server
from tests.live.sparql_client import wait_until

pytestmark = pytest.mark.live
TIMEOUT = 2.0
QUALIFICATION = f"{BASE}/id/qualification/DEMO-0001"
COUNT = ("PREFIX elm: <http://data.europa.eu/snb/model/elm/>\n"
         "SELECT (COUNT(*) AS ?n) { ?q a elm:Qualification }")
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture
def sparql_server(demo_store: Store, request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """The demo portal with a short SPARQL timeout, served on 127.0.0.1; its workers stopped afterwards."""
    config = {"TESTING": True, "STORE": str(demo_store.path), "PUBLIC_BASE_URL": BASE,
              "SPARQL_TIMEOUT": TIMEOUT, **getattr(request, "param", {})}
    app = create_app(config)
    server, thread = start_server(app)
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        close_pool(app)


def _get(url: str, query: str, accept: str = "application/sparql-results+json") -> tuple[int, bytes]:
    request = urllib.request.Request(f"{url}/sparql?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


def _pool(server: LiveServer) -> WorkerPool:
    with server.app.test_request_context():
        return get_pool()


def test_sparqlwrapper_json_xml_csv_and_construct(sparql_server: LiveServer) -> None:
    client = SPARQLWrapper(f"{sparql_server.url}/sparql")
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "64"  # type: ignore[index,call-overload]
    client.setReturnFormat(XML)
    document = client.queryAndConvert()
    assert document.getElementsByTagName("literal")[0].firstChild.data == "64"  # type: ignore[union-attr]
    client.setReturnFormat(CSV)
    assert client.queryAndConvert() == b"n\r\n64\r\n"
    client.setQuery(f"CONSTRUCT {{ <{QUALIFICATION}> ?p ?o }} WHERE {{ <{QUALIFICATION}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert len(graph) > 10 and (rdflib.URIRef(QUALIFICATION), None, None) in graph


def test_sparqlwrapper_post(sparql_server: LiveServer) -> None:
    client = SPARQLWrapper(f"{sparql_server.url}/sparql")
    client.setMethod("POST")
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "64"  # type: ignore[index,call-overload]


def test_rdflib_sparqlstore(sparql_server: LiveServer) -> None:
    graph = rdflib.Graph(SPARQLStore(f"{sparql_server.url}/sparql"))
    query = f"SELECT ?title WHERE {{ <{QUALIFICATION}> <http://purl.org/dc/terms/title> ?title }}"
    titles = {str(row[0]) for row in graph.query(query)}  # type: ignore[index]
    assert titles == {"Certificate of Basic Education", "Certificat d'études de base"}


def test_pathological_query_times_out_while_others_are_answered(sparql_server: LiveServer) -> None:
    """Issue 9 case 23: ordering, not stopwatches: a fast query is answered while the slow one still runs."""
    pool = _pool(sparql_server)
    outcome: dict[str, tuple[int, bytes]] = {}
    slow = threading.Thread(target=lambda: outcome.update(slow=_get(sparql_server.url, CROSS_JOIN)))
    slow.start()
    wait_until(lambda: len(pool.busy_process_ids()) == 1, "the slow query runs")
    status, body = _get(sparql_server.url, COUNT)
    assert status == 200 and b'"64"' in body
    assert "slow" not in outcome  # answered before the slow query ended
    slow.join(timeout=TIMEOUT + 30)
    status, body = outcome["slow"]
    assert status == 504 and b"was stopped" in body
    assert [_get(sparql_server.url, COUNT)[0] for _ in range(3)] == [200, 200, 200]


def test_timed_out_worker_is_killed(sparql_server: LiveServer) -> None:
    assert _get(sparql_server.url, COUNT)[0] == 200
    pool = _pool(sparql_server)
    before = set(pool.process_ids())
    assert _get(sparql_server.url, CROSS_JOIN)[0] == 504
    after = set(pool.process_ids())
    assert len(after) == len(before) and after != before  # one process replaced, not left running


@pytest.mark.parametrize("sparql_server", [{"SPARQL_WORKERS": 1, "SPARQL_MAX_WAITING": 0}], indirect=True)
def test_saturated_endpoint_says_retry_after(sparql_server: LiveServer) -> None:
    pool = _pool(sparql_server)
    slow = threading.Thread(target=_get, args=(sparql_server.url, CROSS_JOIN))
    slow.start()
    wait_until(lambda: len(pool.busy_process_ids()) == 1, "the slow query runs")
    request = urllib.request.Request(f"{sparql_server.url}/sparql?{urllib.parse.urlencode({'query': COUNT})}")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    refused.value.close()
    assert refused.value.code == 503 and int(refused.value.headers["Retry-After"]) >= 1
    slow.join(timeout=TIMEOUT + 30)
