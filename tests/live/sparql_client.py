"""Helpers for the live SPARQL tests: a portal with its own settings, plain HTTP requests, polling."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from portal import create_app
from portal.sparql.endpoint import close_pool, get_pool
from store.sparql.workers import WorkerPool
from tests.conftest import BASE
from tests.live.conftest import LiveServer, start_server

JSON = "application/sparql-results+json"
COUNT = ("PREFIX elm: <http://data.europa.eu/snb/model/elm/>\n"
         "SELECT (COUNT(*) AS ?n) { ?q a elm:Qualification }")
# CPU-bound for ever with bounded memory (~180 MB on the demo store): the slow query of these tests
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


@contextmanager
def sparql_portal(store: Path, **settings: Any) -> Iterator[LiveServer]:
    """The demo portal on 127.0.0.1 with `settings`; its server and workers stopped afterwards."""
    app = create_app({"TESTING": True, "STORE": str(store), "PUBLIC_BASE_URL": BASE, **settings})
    server, thread = start_server(app)
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        close_pool(app)


def pool_of(live: LiveServer) -> WorkerPool:
    """The portal's worker pool, started if it was not yet."""
    with live.app.test_request_context():
        return get_pool()


def query_url(live: LiveServer, query: str) -> str:
    return f"{live.url}/sparql?{urllib.parse.urlencode({'query': query})}"


def get(live: LiveServer, query: str, accept: str = JSON) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and whole body of a GET of /sparql."""
    request = urllib.request.Request(query_url(live, query), headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    """Poll `condition` until it holds; fail with `what` if it never does (a bound, not a measurement)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.01)


def open_stream(live: LiveServer, query: str, accept: str = JSON) -> tuple[http.client.HTTPConnection,
                                                                          http.client.HTTPResponse]:
    """Send a GET and return once the status line and headers have arrived (the body still streaming)."""
    parsed = urllib.parse.urlsplit(live.url)
    connection = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=60)
    target = "/sparql?" + urllib.parse.urlencode({"query": query})
    connection.request("GET", target, headers={"Accept": accept})
    return connection, connection.getresponse()
