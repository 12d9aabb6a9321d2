"""Acceptance, over real HTTP: every dump loads into a fresh store and equals the published data; checksums
match; an interrupted download resumed with Range gives the same bytes; every DCAT-AP downloadURL answers 200;
the server regenerates the dumps by itself after another process publishes new data."""

from __future__ import annotations

import gc
import gzip
import hashlib
import http.client
import io
import json
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from portal.opendata.dumps import DumpWatcher, start_watcher
from store.core import graphs
from store.core.formats import rdf_by_path
from store.core.triplestore import Store
from store.ingest import importer
from tests.conftest import MINIMAL
from tests.live.conftest import LiveServer, start_server
from tests.open_data import dumped_template, open_data_app, store_copy

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Store:
    template = dumped_template(tmp_path_factory, demo_template)
    return store_copy(template, tmp_path_factory.mktemp("live-open-data") / "store")


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[LiveServer]:
    app = open_data_app(store)
    http_server, thread = start_server(app)
    url = f"http://127.0.0.1:{http_server.server_port}"
    app.config["PUBLIC_BASE_URL"] = url  # catalogue URLs must be reachable; the demo IRIs stay nqdb.test
    try:
        yield LiveServer(url, app)
    finally:
        http_server.shutdown()
        thread.join(timeout=5)


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, dict(response.headers), response.read()


def manifest(server: LiveServer) -> dict[str, object]:
    result: dict[str, object] = json.loads(get(server.url + "/dumps/latest/manifest.json")[2])
    return result


def published(store: Store, graph: str | None, *, with_graph: bool) -> set[str]:
    """The published quads (or their triples) of one graph or of every published graph, as N-Quads terms."""
    handle = store.snapshot().ox
    selected = [ox.NamedNode(graph)] if graph else list(store.snapshot().published)
    quads = (q for g in selected for q in handle.quads_for_pattern(None, None, None, g))
    return {str(q) if with_graph else str(q.triple) for q in quads}


def assert_equivalent(expected: set[str], got: set[str]) -> None:
    # Without blank nodes, equal sets of canonical N-Triples/N-Quads lines is graph isomorphism.
    if any("_:" in line for line in expected | got):
        assert isomorphic(rdflib.Dataset().parse(data=" .\n".join(expected) + " .", format="nquads"),
                          rdflib.Dataset().parse(data=" .\n".join(got) + " .", format="nquads"))
    else:
        assert got == expected, (sorted(expected - got)[:5], sorted(got - expected)[:5])


def test_every_dump_loads_and_equals_the_published_data(server: LiveServer, store: Store) -> None:
    files = manifest(server)["files"]
    assert isinstance(files, list)
    names = [f["name"] for f in files if f["compressed"]]
    assert len(names) >= 7
    for name in names:
        status, headers, body = get(f"{server.url}/dumps/latest/{name}")
        assert status == 200 and headers["Content-Disposition"] == f"attachment; filename={name}"
        syntax = rdf_by_path(name)
        assert syntax is not None
        fresh = ox.Store()
        fresh.load(gzip.decompress(body), syntax.format,
                   to_graph=None if syntax.is_dataset else ox.NamedNode("urn:x:g"))
        dataset = name.removeprefix("dataset-").split(".")[0] if name.startswith("dataset-") else None
        graph = graphs.dataset_graph(dataset) if dataset else None
        got = {str(q) if syntax.is_dataset else str(q.triple) for q in fresh}
        assert_equivalent(published(store, graph, with_graph=syntax.is_dataset), got)


def test_checksums_match(server: LiveServer) -> None:
    sums = get(server.url + "/dumps/latest/SHA256SUMS")[2].decode()
    files = manifest(server)["files"]
    assert isinstance(files, list)
    for entry in files:
        body = get(f"{server.url}/dumps/latest/{entry['name']}")[2]
        digest = hashlib.sha256(body).hexdigest()
        assert digest == entry["sha256"] and len(body) == entry["bytes"]
        assert f"{digest}  {entry['name']}" in sums


def test_interrupted_download_resumes_with_range(server: LiveServer) -> None:
    url = urlsplit(server.url + "/dumps/latest/nqdb.nq.gz")
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    connection.request("GET", url.path)
    response = connection.getresponse()
    etag, total = response.headers["ETag"], int(response.headers["Content-Length"])
    partial = response.read(total // 3)
    connection.close()  # the network "fails" a third of the way through
    _collect_dropped_response()
    status, headers, rest = get(server.url + url.path, Range=f"bytes={len(partial)}-", **{"If-Range": etag})
    assert status == 206 and headers["Content-Range"] == f"bytes {len(partial)}-{total - 1}/{total}"
    whole = get(server.url + url.path)[2]
    assert partial + rest == whole and hashlib.sha256(whole).hexdigest() == etag.strip('"')


def _collect_dropped_response() -> None:
    """Werkzeug's test server can skip closing the file of a response whose client hung up (its clean-up
    touches the dead socket first); collect it now so the leak does not surface in another test."""
    time.sleep(0.5)
    hook, sys.unraisablehook = sys.unraisablehook, lambda _: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def test_every_dcat_download_url_answers_200(server: LiveServer) -> None:
    body = get(server.url + "/catalog", Accept="text/turtle")[2]
    catalog = rdflib.Graph().parse(data=body, format="turtle")
    urls = set(catalog.objects(None, rdflib.URIRef("http://www.w3.org/ns/dcat#downloadURL")))
    assert len(urls) >= 10
    for url in urls:
        assert str(url).startswith(server.url)
        assert get(str(url))[0] == 200


def test_the_server_regenerates_dumps_after_another_process_publishes(server: LiveServer,
                                                                       store: Store) -> None:
    writer = Store(store.path)  # as `nqdb load` in another process would: its own handle on the directory
    importer.import_file(writer, MINIMAL, "minimal")
    watcher: DumpWatcher = start_watcher(server.app, interval=0.2)
    try:
        deadline = time.monotonic() + 240
        while manifest(server)["version"] != writer.version:
            assert time.monotonic() < deadline, "the dumps were not regenerated"
            time.sleep(0.5)
    finally:
        watcher.stop()
        watcher.join(timeout=240)
    status, _, body = get(server.url + "/dumps/latest/dataset-minimal.nq.gz")
    loaded = ox.Store()
    loaded.load(io.BytesIO(gzip.decompress(body)), ox.RdfFormat.N_QUADS)
    assert status == 200 and len(loaded) == writer.count_quads(graphs.dataset_graph("minimal"))
