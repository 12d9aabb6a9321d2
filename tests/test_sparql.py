"""The /sparql endpoint and /queries API through Flask's test client, over a copy of the demo store."""

from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient
from rdflib.compare import isomorphic
from werkzeug.test import TestResponse

from portal import create_app
from portal.sparql.endpoint import close_pool, get_pool
from store.core.triplestore import Store
from store.sparql.engine import QueryRequest, QueryShape, inspect_query, resolve_dataset
from store.sparql.federation import federation_refusal
from store.sparql.service import Negotiated, SparqlQuery, SparqlRefused, SparqlService
from store.sparql.workers import QueryFailed, WorkerLimits, WorkerPool
from tests.conftest import BASE, copy_store

JSON = "application/sparql-results+json"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
DEMO = "urn:nqdb:dataset:demo"
QUALIFICATION = f"{BASE}/id/qualification/DEMO-0001"
COUNT_QUALIFICATIONS = ("PREFIX elm: <http://data.europa.eu/snb/model/elm/>\n"
                        "SELECT (COUNT(*) AS ?n) WHERE { ?q a elm:Qualification }")
ANY_CONCEPT = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ASK { ?c a skos:Concept }"


class BufferedClient(FlaskClient):
    """Reads each response at once: an unread streamed result would keep its worker busy."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="module")
def sparql_app(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One portal (and one worker pool) for the whole module: the endpoint never writes."""
    path = tmp_path_factory.mktemp("sparql") / "store"
    copy_store(demo_template, path)
    app = create_app({"TESTING": True, "STORE": str(path), "PUBLIC_BASE_URL": BASE, "SPARQL_TIMEOUT": 20})
    app.test_client_class = BufferedClient
    yield app
    close_pool(app)


@pytest.fixture
def sparql(sparql_app: Flask) -> Iterator[FlaskClient]:
    with sparql_app.test_client() as test_client:
        yield test_client


def _solutions(data: bytes) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(data)["results"]["bindings"]]


def _ask(client: FlaskClient, query: str, **params: str) -> bool:
    response = client.get("/sparql", query_string={"query": query, **params}, headers={"Accept": JSON})
    assert response.status_code == 200, response.data
    return bool(json.loads(response.data)["boolean"])


# -- the three ways of sending a query ------------------------------------------------------------------
def test_get_post_form_and_post_direct_agree(sparql: FlaskClient) -> None:
    answers = [
        sparql.get("/sparql", query_string={"query": COUNT_QUALIFICATIONS}, headers={"Accept": JSON}),
        sparql.post("/sparql", data={"query": COUNT_QUALIFICATIONS}, headers={"Accept": JSON}),
        sparql.post("/sparql", data=COUNT_QUALIFICATIONS.encode(), headers={
            "Accept": JSON, "Content-Type": "application/sparql-query; charset=UTF-8"}),
    ]
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert {_solutions(r.data)[0]["n"] for r in answers} == {"64"}
    assert all(r.mimetype == JSON for r in answers)


@pytest.mark.parametrize(("kwargs", "status"), [
    ({"query_string": "query=ASK%7B%7D&query=ASK%7B%7D"}, 400),
    ({"method": "POST", "data": b"ASK {}"}, 400),  # no Content-Type
    ({"method": "POST", "data": b"ASK {}", "content_type": "text/plain"}, 415),
    ({"method": "POST", "data": b"ASK {}", "content_type": "application/sparql-query; charset=latin-1"}, 415),
    ({"method": "POST", "data": b"ASK { FILTER(\"caf\xe9\") }",
      "content_type": "application/sparql-query"}, 400),
    ({"method": "POST", "data": b"query=ASK%7BFILTER(%22%FF%22)%7D",
      "content_type": "application/x-www-form-urlencoded"}, 400),
    ({"method": "POST", "data": b"", "content_type": "application/x-www-form-urlencoded"}, 400),
    ({"query_string": "query="}, 400),
])
def test_protocol_misuse_is_refused(sparql: FlaskClient, kwargs: dict[str, object], status: int) -> None:
    method = str(kwargs.pop("method", "GET"))
    response = sparql.open("/sparql", method=method, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.data
    assert response.mimetype == "application/problem+json"


def test_syntax_error_gives_message_and_position(sparql: FlaskClient) -> None:
    response = sparql.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s ?p }"})
    assert response.status_code == 400
    problem = response.get_json()
    assert problem["line"] == 2 and problem["column"] > 0
    assert "not valid SPARQL" in problem["detail"]


def test_wrong_method_is_405_with_allow(sparql: FlaskClient) -> None:
    response = sparql.put("/sparql", data=b"ASK {}")
    assert response.status_code == 405
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_head_answers_headers_only(sparql: FlaskClient) -> None:
    response = sparql.head("/sparql", query_string={"query": COUNT_QUALIFICATIONS}, headers={"Accept": JSON})
    assert response.status_code == 200 and response.mimetype == JSON and response.data == b""
    assert sparql.head("/sparql", headers={"Accept": "text/turtle"}).status_code == 200


def test_cors_preflight_and_simple_requests(sparql: FlaskClient) -> None:
    preflight = sparql.options("/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "content-type"
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    response = sparql.get("/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


# -- read-only --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs", [
    {"query_string": {"update": "INSERT DATA { <urn:x> <urn:x> <urn:x> }"}},
    {"method": "POST", "data": {"update": "INSERT DATA { <urn:x> <urn:x> <urn:x> }"}},
    {"method": "POST", "data": b"INSERT DATA { <urn:x> <urn:x> <urn:x> }",
     "content_type": "application/sparql-update"},
    {"query_string": {"query": "INSERT DATA { <urn:x> <urn:x> <urn:x> }"}},
    {"method": "POST", "data": b"# sneaky\nPREFIX x: <urn:x>\nDELETE WHERE { ?s ?p ?o }",
     "content_type": "application/sparql-query"},
    {"query_string": {"query": "DROP ALL"}},
])
def test_updates_are_refused_and_nothing_is_written(sparql_app: Flask, sparql: FlaskClient,
                                                    kwargs: dict[str, object]) -> None:
    store = Store(sparql_app.config["STORE"])
    version, quads = store.version, store.count_quads()
    method = str(kwargs.pop("method", "GET"))
    response = sparql.open("/sparql", method=method, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403, response.data
    assert "read-only" in response.get_json()["detail"]
    assert (store.version, store.count_quads()) == (version, quads)
    assert not _ask(sparql, "ASK { <urn:x> ?p ?o }")


# -- result formats and negotiation -----------------------------------------------------------------------
@pytest.mark.parametrize(("accept", "media_type"), [
    (JSON, JSON), ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", JSON), ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
])
def test_select_result_formats(sparql: FlaskClient, accept: str, media_type: str) -> None:
    response = sparql.get("/sparql", query_string={"query": COUNT_QUALIFICATIONS}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type
    assert b"64" in response.data
    assert "Accept" in response.headers["Vary"]


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD
@pytest.mark.parametrize("media_type", ["text/turtle", "application/n-triples", "application/rdf+xml",
                                        "application/ld+json", "application/n-quads"])
def test_describe_result_formats(sparql: FlaskClient, media_type: str) -> None:
    response = sparql.get("/sparql", query_string={"query": f"DESCRIBE <{QUALIFICATION}>"},
                          headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    # a graph result in N-Quads has only default-graph quads: N-Triples lines
    parse_as = {"application/ld+json": "json-ld", "application/n-quads": "nt"}.get(media_type, media_type)
    graph = rdflib.Graph()
    graph.parse(io.BytesIO(response.data), format=parse_as)
    assert (rdflib.URIRef(QUALIFICATION), None, None) in graph


def test_construct_is_isomorphic_across_formats(sparql: FlaskClient) -> None:
    query = f"CONSTRUCT {{ <{QUALIFICATION}> ?p ?o }} WHERE {{ <{QUALIFICATION}> ?p ?o }}"
    graphs = []
    for media_type, parse_as in (("text/turtle", "turtle"), ("application/rdf+xml", "xml")):
        response = sparql.post("/sparql", data={"query": query}, headers={"Accept": media_type})
        graphs.append(rdflib.Graph().parse(io.BytesIO(response.data), format=parse_as))
    assert len(graphs[0]) > 10
    assert isomorphic(graphs[0], graphs[1])


def test_ask_result_formats(sparql: FlaskClient) -> None:
    xml = sparql.get("/sparql", query_string={"query": ANY_CONCEPT},
                     headers={"Accept": "application/sparql-results+xml"})
    assert b"<boolean>true</boolean>" in xml.data


@pytest.mark.parametrize(("query", "accept"), [
    (COUNT_QUALIFICATIONS, "text/turtle"), (f"DESCRIBE <{QUALIFICATION}>", JSON),
    (COUNT_QUALIFICATIONS, "image/png"),
])
def test_nothing_acceptable_is_406(sparql: FlaskClient, query: str, accept: str) -> None:
    response = sparql.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406


# -- the dataset -----------------------------------------------------------------------------------------
def test_default_graph_is_the_union_of_published_graphs(sparql: FlaskClient) -> None:
    assert _ask(sparql, ANY_CONCEPT)  # vocabularies
    assert _ask(sparql, f"ASK {{ <{QUALIFICATION}> ?p ?o }}")  # datasets
    assert not _ask(sparql, "ASK { GRAPH <urn:nqdb:metadata> { ?s ?p ?o } }")
    graphs = sparql.get("/sparql", query_string={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"},
                        headers={"Accept": JSON})
    names = {row["g"] for row in _solutions(graphs.data)}
    assert DEMO in names and "urn:nqdb:metadata" not in names


def test_default_graph_uri_defines_the_dataset(sparql: FlaskClient) -> None:
    assert not _ask(sparql, ANY_CONCEPT, **{"default-graph-uri": DEMO})  # control: vocabularies invisible
    assert _ask(sparql, f"ASK {{ <{QUALIFICATION}> ?p ?o }}", **{"default-graph-uri": DEMO})
    assert not _ask(sparql, "ASK { ?s ?p ?o }", **{"default-graph-uri": "urn:nqdb:metadata"})
    in_a_graph = f"ASK {{ GRAPH ?g {{ <{QUALIFICATION}> ?p ?o }} }}"
    assert not _ask(sparql, in_a_graph, **{"default-graph-uri": DEMO})


def test_named_graph_uri_limits_graph_patterns(sparql: FlaskClient) -> None:
    query = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
    response = sparql.post("/sparql", data=query.encode(), query_string={"named-graph-uri": DEMO},
                           headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    assert _solutions(response.data) == [{"g": DEMO}]
    assert not _ask(sparql, ANY_CONCEPT, **{"named-graph-uri": DEMO})  # default graph now empty


def test_from_clauses_and_protocol_parameters_win_over_them(sparql: FlaskClient) -> None:
    from_demo = ANY_CONCEPT.replace("ASK", f"ASK FROM <{DEMO}>")
    assert not _ask(sparql, from_demo)
    vocabulary = "urn:nqdb:vocabulary:eqf"
    assert _ask(sparql, from_demo, **{"default-graph-uri": vocabulary})
    assert not _ask(sparql, "ASK FROM <urn:nqdb:metadata> { ?s ?p ?o }")


def test_inspect_query_reads_form_and_dataset_clauses() -> None:
    shape = inspect_query("# a comment with FROM <urn:no>\nPREFIX g: <urn:nqdb:dataset:>\n"
                          "select * FROM g:demo FROM NAMED <urn:b> WHERE { ?s ?p \"FROM <urn:c>\" }")
    assert shape == QueryShape("SELECT", ("urn:nqdb:dataset:demo",), ("urn:b",))
    assert inspect_query("BASE <urn:x> with <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").form == "UPDATE"
    assert inspect_query("CONSTRUCT { ?s ?p ?o } FROM <urn:a> WHERE { ?s ?p ?o }").from_graphs == ("urn:a",)
    assert resolve_dataset(QueryShape("ASK"), ["urn:a", "urn:z"], [], ["urn:a", "urn:b"]) == (("urn:a",), ())


# -- row limit, service description, page ---------------------------------------------------------------
@pytest.mark.parametrize("accept", [JSON, "application/sparql-results+xml", "text/csv",
                                    "text/tab-separated-values"])
def test_row_limit_is_announced(sparql_app: Flask, sparql: FlaskClient, accept: str) -> None:
    sparql_app.config["SPARQL_ROW_LIMIT"] = 5
    try:
        query = "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?s ?t WHERE { ?s dct:title ?t }"
        response = sparql.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    finally:
        sparql_app.config["SPARQL_ROW_LIMIT"] = 0
    assert response.headers["NQDB-Row-Limit"] == "5" and response.headers["NQDB-Truncated"] == "true"
    if accept == JSON:
        rows = json.loads(response.data)["results"]["bindings"]
        assert len(rows) == 5 and "xml:lang" in rows[0]["t"]
    elif accept.startswith("text/"):
        assert len(response.data.decode().strip().splitlines()) == 6


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_service_description(sparql: FlaskClient) -> None:
    response = sparql.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    service = rdflib.URIRef(f"{BASE}/sparql")
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert len(list(graph.objects(service, SD.resultFormat))) >= 9
    assert (None, rdflib.RDFS.seeAlso, rdflib.URIRef(f"{BASE}/.well-known/void")) in graph
    assert (None, SD.name, rdflib.URIRef(DEMO)) in graph
    assert (None, SD.name, rdflib.URIRef("urn:nqdb:metadata")) not in graph
    jsonld = sparql.get("/sparql", headers={"Accept": "application/ld+json"})
    assert isomorphic(graph, rdflib.Graph().parse(data=jsonld.data, format="json-ld"))


def test_browsers_get_the_query_page(sparql: FlaskClient) -> None:
    response = sparql.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    page = response.data.decode()
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "sparql.js" in page and "Qualifications linked to an ESCO skill" in page
    assert "PREFIX elm: &lt;http://data.europa.eu/snb/model/elm/&gt;" in page
    assert "//" not in page.split("sparql.js")[0].rsplit("src=", 1)[1].split("static")[0]  # no CDN


# -- named queries ---------------------------------------------------------------------------------------
def test_queries_lists_examples_with_parameters(sparql: FlaskClient) -> None:
    listing = sparql.get("/queries", headers={"Accept": "application/json"}).get_json()["queries"]
    by_name = {q["name"]: q for q in listing}
    mentioning = by_name["example_learning_outcomes_mentioning"]["parameters"]
    assert {"name": "term", "kind": "literal"} in mentioning
    by_level = by_name["example_qualifications_by_eqf_level"]["parameters"]
    assert by_level == [{"name": "eqfLevel", "kind": "IRI"}]
    assert all(name.startswith("example_") for name in by_name)
    html = sparql.get("/queries", headers={"Accept": "text/html"})
    assert html.mimetype == "text/html" and b"Learning outcomes that mention a term" in html.data


def test_named_query_binds_parameters(sparql: FlaskClient) -> None:
    response = sparql.get("/queries/example_qualifications_by_eqf_level",
                          query_string={"eqfLevel": "http://data.europa.eu/snb/eqf/5"},
                          headers={"Accept": JSON})
    rows = _solutions(response.data)
    assert rows and {r["eqfLevel"] for r in rows} == {"http://data.europa.eu/snb/eqf/5"}
    outcomes = sparql.get("/queries/example_learning_outcomes_mentioning", query_string={"term": "BUDGET"},
                          headers={"Accept": "text/csv"})
    assert outcomes.status_code == 200 and b"budgets" in outcomes.data


def test_named_query_literal_is_never_pasted(sparql: FlaskClient) -> None:
    response = sparql.get("/queries/example_learning_outcomes_mentioning",
                          query_string={"term": '") } } INSERT DATA { <urn:x> <urn:x> <urn:x> } #'},
                          headers={"Accept": JSON})
    assert response.status_code == 200 and _solutions(response.data) == []


@pytest.mark.parametrize(("path", "status"), [
    ("/queries/example_qualifications_by_eqf_level?level=1", 400),
    ("/queries/example_qualifications_by_eqf_level?eqfLevel=not%20an%20iri", 400),
    ("/queries/nope", 404), ("/queries/list_datasets", 404),
])
def test_named_query_errors(sparql: FlaskClient, path: str, status: int) -> None:
    assert sparql.get(path, headers={"Accept": JSON}).status_code == status


def test_service_refuses_without_the_web(sparql_app: Flask, demo_store: Store) -> None:
    """The store-side service decides alone: SparqlRefused carries status, sentence and problem members."""
    service = SparqlService(sparql_app.config)
    json_only = (Negotiated(JSON), Negotiated(None, "Try one of: text/turtle."))
    cases = [("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403, {}),
             ("SELECT * { SERVICE <http://127.0.0.1:1/> { } }", 400, {"service": "SERVICE <http://127.0.0.1:1/>"}),
             (f"DESCRIBE <{QUALIFICATION}>", 406, {})]
    for text, status, extra in cases:
        with pytest.raises(SparqlRefused) as refused:
            service.answer(SparqlQuery(text, *json_only), demo_store)
        assert (refused.value.status, refused.value.extra) == (status, extra), text
    service.close()


def test_close_pool_stops_the_workers(demo_store: Store) -> None:
    app = create_app({"TESTING": True, "STORE": str(demo_store.path), "SPARQL_WORKERS": 1})
    with app.test_request_context():
        pool = get_pool()
    processes = [w.process for w in pool._idle]
    assert all(p.is_alive() for p in processes)
    close_pool(app)
    assert not any(p.is_alive() for p in processes)


# -- issue 9 case 1: federation (SERVICE) never makes the server send a request ---------------------------
@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP listener on 127.0.0.1 that must receive nothing; a connection attempt waits in its backlog."""
    with socket.create_server(("127.0.0.1", 0), backlog=64) as server:
        server.setblocking(False)
        yield server


def _connections(server: socket.socket) -> int:
    """Connections that reached the listener so far (each is accepted and closed)."""
    count = 0
    while True:
        try:
            connection, _ = server.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def _service_queries(url: str) -> list[str]:
    """SERVICE in every form pyoxigraph evaluates (each one checked against it in the oracle test)."""
    return [
        f"SELECT * {{ SERVICE <{url}plain> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE SILENT <{url}silent> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{url}lower> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ VALUES ?e {{ <{url}lateral> }} LATERAL {{ SERVICE ?e {{ ?s ?p ?o }} }} }}",
        f"SELECT * {{ VALUES $e {{ <{url}dollar> }} LATERAL {{ SERVICE SILENT $e {{ ?s ?p ?o }} }} }}",
        f"PREFIX x: <{url}> SELECT * {{ SERVICE x:pname {{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}> SELECT * {{ SERVICE:glued {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICESILENT <{url}glued-silent> {{ ?s ?p ?o }} }}",
        f"BASE <{url}> SELECT * {{ SERVICE <relative> {{ ?s ?p ?o }} }}",
        f"SELECT*{{SERVICE<{url}nospace>{{?s?p?o}}}}",
        f"SELECT * {{ # a comment ends at CR\rSERVICE <{url}cr> {{ ?s ?p ?o }} }}",
        f"PREFIX ex: <urn:x:> SELECT * {{ OPTIONAL {{ ?s ?p ex:a\\# }} SERVICE <{url}escaped-name> {{ }} }}",
        f"SELECT * {{ OPTIONAL {{ ?s ?p <urn:x\\u0041#> }} SERVICE <{url}escaped-iri> {{ }} }}",
        f"SELECT * {{ ?a ?b ?c OPTIONAL {{ SELECT * {{ SERVICE <{url}sub> {{ ?s ?p ?o }} }} }} }}",
        f"ASK {{ SERVICE <{url}ask> {{ }} }}",
        f"SELECT * {{ BIND(1 AS ?x) FILTER EXISTS {{ SERVICE <{url}exists> {{ ?s ?p ?o }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}construct> {{ ?s ?p ?o }} }}",
    ]


def _url(server: socket.socket) -> str:
    return f"http://127.0.0.1:{server.getsockname()[1]}/"


def test_sparql_service_is_refused(sparql: FlaskClient, listener: socket.socket) -> None:
    """Issue 9 case 1: every form of SERVICE gets a 400 saying federation is disabled; nothing is sent."""
    unevaluated = f"SELECT * {{ SERVICE ?e {{ ?s ?p ?o }} }} VALUES ?e {{ <{_url(listener)}values> }}"
    for query in [*_service_queries(_url(listener)), unevaluated]:
        for response in (sparql.get("/sparql", query_string={"query": query}, headers={"Accept": JSON}),
                         sparql.post("/sparql", data=query.encode(),
                                     headers={"Content-Type": "application/sparql-query"})):
            assert response.status_code == 400, (query, response.data)
            assert response.mimetype == "application/problem+json"
            problem = response.get_json()
            assert "federation is disabled" in problem["detail"] and problem["service"].upper().startswith(
                "SERVICE"), query
    assert _connections(listener) == 0


@pytest.mark.parametrize("query", [
    'SELECT ?x { BIND("SERVICE <http://127.0.0.1:9/>" AS ?x) }',
    "SELECT ?x { BIND('''a SERVICE\nSILENT <http://127.0.0.1:9/> { }''' AS ?x) }",
    "# SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }\nASK { }",
    "PREFIX ex: <http://example.org/> ASK { ?s ex:SERVICE ?o }",
    "ASK { ?service ?p <http://example.org/SERVICE> }",
])
def test_sparql_service_in_strings_comments_and_names_is_not_federation(sparql: FlaskClient, query: str) -> None:
    """Issue 9 case 1: the word SERVICE in a literal, comment, IRI, variable or local name is not federation."""
    response = sparql.get("/sparql", query_string={"query": query}, headers={"Accept": JSON})
    assert response.status_code == 200, response.data


class _Refuser:
    """A listener that accepts each connection, counts it and closes it at once (pyoxigraph then fails fast)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.count = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.count += 1  # before close: the client sees the reset only after this
            connection.close()

    def close(self) -> None:
        self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        self.thread.join(timeout=5)


def test_sparql_service_detection_covers_what_pyoxigraph_runs() -> None:
    """Issue 9 case 1: each query that makes pyoxigraph itself connect (the oracle) is read as SERVICE."""
    refuser = _Refuser()
    store = pyoxigraph.Store()
    try:
        for query in _service_queries(_url(refuser.server)):
            before = refuser.count
            try:
                result = store.query(query)
                if isinstance(result, pyoxigraph.QuerySolutions | pyoxigraph.QueryTriples):
                    list(result)
            except (OSError, RuntimeError):  # the connection is what counts, not how it ended
                pass
            assert refuser.count > before, f"control: pyoxigraph did not federate {query!r}"
            assert inspect_query(query).services, query
    finally:
        refuser.close()


def test_named_queries_cannot_federate(sparql: FlaskClient, listener: socket.socket) -> None:
    """Issue 9 case 1: no public query uses SERVICE, and binding any parameter to an endpoint sends nothing."""
    listing = sparql.get("/queries", headers={"Accept": "application/json"}).get_json()["queries"]
    for named in listing:
        assert not inspect_query(named["query"]).services, named["name"]
        params = {p["name"]: _url(listener) for p in named["parameters"]}
        response = sparql.get(f"/queries/{named['name']}", query_string=params, headers={"Accept": JSON})
        assert response.status_code == 200, response.data
    assert _connections(listener) == 0


def test_sparql_federation_allow_is_exact() -> None:
    """Issue 9 case 1: SPARQL_FEDERATION_ALLOW admits exactly the listed endpoints, never a variable."""
    allowed = {"https://query.wikidata.org/sparql"}
    ok = inspect_query("SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }").services
    assert federation_refusal(ok, allowed) is None
    for query in ["SELECT * { SERVICE <https://query.wikidata.org/sparql/x> { } }",
                  "SELECT * { SERVICE ?e { } } VALUES ?e { <https://query.wikidata.org/sparql> }",
                  "PREFIX : <http://127.0.0.1/> PREFIX SILENT: <https://query.wikidata.org/> "
                  "SELECT * { SERVICE SILENT:sparql { } }",
                  "BASE <http://127.0.0.1/> SELECT * { SERVICE <sparql> { } }"]:
        refusal = federation_refusal(inspect_query(query).services, allowed)
        assert refusal is not None and "SERVICE" in refusal.reason, query


def test_sparql_workers_cannot_open_internet_sockets(demo_store: Store, listener: socket.socket) -> None:
    """Issue 9 case 1: a SERVICE that reached a worker anyway is stopped by the kernel; nothing is sent."""
    pool = WorkerPool(1, 0, 20.0, WorkerLimits())
    snapshot = str(demo_store.snapshot_path())
    try:
        silent = QueryRequest(f"SELECT * {{ SERVICE SILENT <{_url(listener)}> {{ ?s ?p ?o }} }}", snapshot,
                              (), (), JSON, None, union_default=True)
        assert b"bindings" in b"".join(pool.run(silent))
        loud = QueryRequest(f"ASK {{ SERVICE <{_url(listener)}> {{ }} }}", snapshot, (), (), JSON, None,
                            union_default=True)
        with pytest.raises(QueryFailed, match="Permission denied"):
            b"".join(pool.run(loud))
    finally:
        pool.close()
    assert _connections(listener) == 0
