"""/sparql over real HTTP at its edges (issue 9 cases 1, 3, 23): federation, memory, streaming, crashes, queues.

Synchronisation is by polling the pool's state (busy workers, waiting queries) and by the order of events,
never by sleeping or timing.
"""

from __future__ import annotations

import http.client
import http.server
import json
import os
import signal
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib

from portal import create_app
from store.core.triplestore import Store
from tests.live.conftest import LiveServer
from tests.live.sparql_client import (
    COUNT,
    JSON,
    SLOW,
    get,
    open_stream,
    pool_of,
    sparql_portal,
    wait_until,
)

pytestmark = pytest.mark.live
PROBLEM = "application/problem+json"
# 64 bytes doubled 24 times is a 1 GiB string: far over a 256 MiB cap, reached in about a second
DOUBLING = "SELECT (STRLEN(?s24) AS ?n) { BIND('" + "0123456789abcdef" * 4 + "' AS ?s0) " + "".join(
    f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1}) " for i in range(24)) + "}"
# 3000 rows at once (well over 64 KiB), then a count that never ends (~340 MB). pyoxigraph 0.5 streams the
# left side first with this three-way join; with a two-way one it computes the count first.
FAST_THEN_SLOW = ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 3000 } UNION "
                  "{ SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } } }")
ENDLESS = "SELECT * { ?s ?p ?o . ?a ?b ?c }"


def _in_thread(target: object, *args: object) -> tuple[threading.Thread, dict[str, object]]:
    outcome: dict[str, object] = {}

    def run() -> None:
        outcome["result"] = target(*args)  # type: ignore[operator]

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def _is_dead(pid: int) -> bool:
    """True once `pid` is a zombie or gone (without reaping it: that is the pool's job)."""
    # The thread-group leader of a killed multi-threaded process is a zombie before its other threads
    # (RocksDB's) are gone; waitpid, hence the pool, sees the death only when the last thread is.
    try:
        leader_dead = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
        return leader_dead and len(os.listdir(f"/proc/{pid}/task")) <= 1
    except FileNotFoundError:
        return True


# -- case 1 ------------------------------------------------------------------------------------------------
@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP listener on 127.0.0.1: any connection attempt would wait in its backlog."""
    with socket.create_server(("127.0.0.1", 0), backlog=64) as server:
        server.setblocking(False)
        yield server


def test_sparql_service_refused_over_http(demo_store: Store, listener: socket.socket) -> None:
    """Issue 9 case 1: through a real server, SERVICE and SERVICE SILENT are 400 and the listener gets nothing."""
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    with sparql_portal(demo_store.path) as live:
        for query in (f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                      f"SELECT * {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
                      f"SELECT * {{ VALUES ?e {{ <{url}> }} LATERAL {{ SERVICE ?e {{ ?s ?p ?o }} }} }}"):
            status, headers, body = get(live, query)
            assert status == 400 and headers["Content-Type"] == PROBLEM
            assert "federation is disabled" in json.loads(body)["detail"]
    with pytest.raises(BlockingIOError):
        listener.accept()


class _Endpoint(http.server.BaseHTTPRequestHandler):
    """A remote SPARQL endpoint that answers every query with one row, ?x = "remote"."""

    def do_POST(self) -> None:  # noqa: N802 — the http.server API
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"remote"}}]}}'
        self.send_response(200)
        self.send_header("Content-Type", JSON)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 — quiet
        pass


def test_sparql_federation_allow_admits_only_listed_endpoints(demo_store: Store, listener: socket.socket) -> None:
    """Issue 9 case 1: a listed endpoint is queried; an unlisted one (or a variable) is refused, unsent."""
    remote = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    thread = threading.Thread(target=remote.serve_forever, daemon=True)
    thread.start()
    allowed = f"http://127.0.0.1:{remote.server_port}/sparql"
    other = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    try:
        with sparql_portal(demo_store.path, SPARQL_FEDERATION_ALLOW=f" {allowed} ,") as live:
            status, _, body = get(live, f"SELECT ?x {{ SERVICE <{allowed}> {{ ?s ?p ?o }} }}")
            assert status == 200, body
            assert json.loads(body)["results"]["bindings"] == [{"x": {"type": "literal", "value": "remote"}}]
            for query in (f"SELECT * {{ SERVICE <{other}> {{ }} }}",
                          f"SELECT * {{ VALUES ?e {{ <{other}> }} LATERAL {{ SERVICE ?e {{ }} }} }}"):
                status, _, body = get(live, query)
                assert status == 400 and b"SERVICE" in body
    finally:
        remote.shutdown()
        thread.join(timeout=5)
        remote.server_close()
    with pytest.raises(BlockingIOError):
        listener.accept()


# -- case 3 ------------------------------------------------------------------------------------------------
def test_sparql_worker_memory_is_capped(demo_store: Store) -> None:
    """Issue 9 case 3: a query over SPARQL_WORKER_MEMORY gets a 422 problem; its worker is replaced."""
    with sparql_portal(demo_store.path, SPARQL_WORKER_MEMORY="256MiB", SPARQL_TIMEOUT=60) as live:
        assert get(live, COUNT)[0] == 200
        pool = pool_of(live)
        before = set(pool.process_ids())
        status, headers, body = get(live, DOUBLING)
        assert status == 422 and headers["Content-Type"] == PROBLEM
        problem = json.loads(body)
        assert problem["memoryLimit"] == 256 * 1024 * 1024 and "more memory" in problem["detail"]
        after = set(pool.process_ids())
        assert len(after) == len(before) == 2 and len(after & before) == 1  # only that worker replaced
        assert [get(live, COUNT)[0] for _ in range(4)] == [200] * 4


def test_sparql_worker_memory_setting_is_checked(demo_store: Store) -> None:
    """Issue 9 case 3: a SPARQL_WORKER_MEMORY that is not a size, or too small to open a store, stops the app."""
    for value in ("lots", "64MiB", "-1"):
        with pytest.raises(ValueError, match="SPARQL_WORKER_MEMORY"):
            create_app({"TESTING": True, "STORE": str(demo_store.path), "SPARQL_WORKER_MEMORY": value})


# -- case 23 -----------------------------------------------------------------------------------------------
def test_sparql_result_over_64k_streams_complete(demo_store: Store) -> None:
    """Issue 9 case 23: results far over one 64 KiB chunk arrive chunked, complete and parseable."""
    with sparql_portal(demo_store.path) as live:
        status, headers, body = get(live, "SELECT * { ?s ?p ?o } LIMIT 5000")
        assert status == 200 and headers.get("Transfer-Encoding") == "chunked" and len(body) > 4 * 64 * 1024
        assert len(json.loads(body)["results"]["bindings"]) == 5000
        status, _, body = get(live, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5000", "application/n-triples")
        assert status == 200 and len(body) > 64 * 1024
        assert len(rdflib.Graph().parse(data=body.decode(), format="nt")) == 5000


def _cut_mid_stream(live: LiveServer) -> None:
    connection, response = open_stream(live, FAST_THEN_SLOW)
    try:
        assert response.status == 200 and response.getheader("Transfer-Encoding") == "chunked"
        with pytest.raises(http.client.IncompleteRead) as cut:
            response.read()
        assert len(cut.value.partial) > 64 * 1024  # the first rows did arrive
    finally:
        response.close()
        connection.close()


@pytest.mark.xfail(reason="Open bug found in session 17: now and then a worker sends the head of a long streamed "
                          "result only at its end, so the client gets 504 instead of a cut 200 (reproduced with "
                          "store.sparql.workers.WorkerPool alone, cause not yet found)")
def test_sparql_timeout_mid_stream_breaks_the_body(demo_store: Store) -> None:
    """Issue 9 case 23: past the timeout after 200 was sent, the chunked body is cut, never ended cleanly."""
    # One fresh worker; the timeout leaves room for its start and the first rows on a loaded 2-core machine.
    with sparql_portal(demo_store.path, SPARQL_WORKERS=1, SPARQL_TIMEOUT=12.0) as live:
        _cut_mid_stream(live)
        assert [get(live, COUNT)[0] for _ in range(3)] == [200] * 3


def test_sparql_client_disconnect_kills_its_worker(demo_store: Store) -> None:
    """Issue 9 case 23: a client that goes away mid-result gets its worker killed and replaced."""
    with sparql_portal(demo_store.path, SPARQL_WORKERS=1, SPARQL_TIMEOUT=120) as live:
        pool = pool_of(live)
        target = "/sparql?" + urllib.parse.urlencode({"query": ENDLESS})
        with socket.create_connection(("127.0.0.1", int(live.url.rsplit(":", 1)[1]))) as client:
            client.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nAccept: {JSON}\r\n\r\n".encode())
            received = b""
            while len(received) < 256 * 1024:  # the status line and the first chunks
                received += client.recv(65536)
            assert received.startswith(b"HTTP/1.1 200")
            [worker] = pool.busy_process_ids()
        wait_until(lambda: worker not in pool.process_ids() and not pool.busy_process_ids(),
                   "the abandoned query's worker is replaced")
        assert _is_dead(worker) and get(live, COUNT)[0] == 200


def test_sparql_waiting_queue_is_bounded(demo_store: Store) -> None:
    """Issue 9 case 23: with the worker busy and SPARQL_MAX_WAITING queries waiting, the next gets 503."""
    with sparql_portal(demo_store.path, SPARQL_WORKERS=1, SPARQL_MAX_WAITING=1, SPARQL_TIMEOUT=120) as live:
        pool = pool_of(live)
        running, first = _in_thread(get, live, SLOW)
        wait_until(lambda: len(pool.busy_process_ids()) == 1, "the first query runs")
        waiting, second = _in_thread(get, live, COUNT)
        wait_until(lambda: pool.waiting() == 1, "the second query waits")
        status, headers, body = get(live, COUNT)
        assert status == 503 and int(headers["Retry-After"]) >= 1 and headers["Content-Type"] == PROBLEM
        assert json.loads(body)["status"] == 503
        os.kill(pool.busy_process_ids()[0], signal.SIGKILL)  # free the worker now: the waiter gets it
        running.join(timeout=30)
        waiting.join(timeout=30)
        assert first["result"][0] == 500  # type: ignore[index]
        assert second["result"][0] == 200  # type: ignore[index]


def test_sparql_crashed_worker_gets_a_problem_and_the_pool_recovers(demo_store: Store) -> None:
    """Issue 9 case 23: kill -9 of a busy worker answers its query 500 (problem); a dead idle one is replaced."""
    with sparql_portal(demo_store.path, SPARQL_WORKERS=1, SPARQL_TIMEOUT=120) as live:
        pool = pool_of(live)
        running, outcome = _in_thread(get, live, SLOW)
        wait_until(lambda: len(pool.busy_process_ids()) == 1, "the query runs")
        os.kill(pool.busy_process_ids()[0], signal.SIGKILL)
        running.join(timeout=30)
        result = outcome["result"]
        assert isinstance(result, tuple)
        status, headers, body = result
        assert status == 500 and headers["Content-Type"] == PROBLEM
        assert "stopped unexpectedly" in json.loads(body)["detail"]
        assert get(live, COUNT)[0] == 200
        [idle] = pool.process_ids()
        os.kill(idle, signal.SIGKILL)
        wait_until(lambda: _is_dead(idle), "the idle worker is dead")
        assert get(live, COUNT)[0] == 200 and idle not in pool.process_ids()


@pytest.mark.parametrize(("query", "status", "text"), [
    ("SELECT * WHERE { ?s ?p }", 400, "not valid SPARQL"),
    ("SELECT * { SERVICE <http://127.0.0.1:9/> { } }", 400, "federation is disabled"),
    (SLOW, 504, "was stopped"),
])
def test_sparql_errors_are_html_pages_for_browsers(demo_store: Store, query: str, status: int, text: str) -> None:
    """Issue 9 case 23: a browser gets an HTML error page with the same sentence, not JSON."""
    with sparql_portal(demo_store.path, SPARQL_TIMEOUT=2.0) as live:
        code, headers, body = get(live, query, "text/html,application/xhtml+xml,*/*;q=0.8")
        assert code == status and headers["Content-Type"].startswith("text/html")
        assert text in body.decode() and "Traceback" not in body.decode()
