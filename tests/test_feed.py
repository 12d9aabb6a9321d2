"""Change feed: a harvester that syncs an empty pyoxigraph store from it ends with the published data."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from flask.testing import FlaskClient
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from portal import create_app
from store.core import changes, graphs
from store.core.triplestore import Store
from store.ingest import importer
from tests.conftest import MINIMAL, copy_store

BNODE_NOTE = ('qual:Q-0001 elm:additionalNote [ a elm:Note ; elm:noteLiteral "Blank note"@en ; '
              'elm:subject [ a elm:Note ; elm:noteLiteral "nested"@en ] ] .\n')


def variant(tmp_path: Path, name: str, *, title: str = "Certificate in Plumbing", second: bool = True,
            bnode: bool = True) -> Path:
    """The minimal qualification, optionally retitled, with a copy Q-0002 and blank nodes."""
    text = MINIMAL.read_text(encoding="utf-8").replace("Certificate in Plumbing", title)
    if bnode:
        text += BNODE_NOTE
    if second:
        body = text.split("# ---------------- Controlled-vocabulary stubs")[0]
        body = body.split("# ---------------- Qualification")[1].replace("Q-0001", "Q-0002")
        text += "\n#" + body.replace("qual:Q-0002 elm:additionalNote", "qual:Q-0002 dct:subject")
    path = tmp_path / f"{name}.ttl"
    path.write_text(text, encoding="utf-8")
    return path


class Harvester:
    """A client that mirrors the published dataset graphs from the feed alone."""

    def __init__(self, client: FlaskClient) -> None:
        self.client, self.mirror, self.applied_pages = client, ox.Store(), 0
        self.seen: list[str] = []

    def get(self, url: str) -> Any:
        response = self.client.get(url.replace("http://nqdb.test", ""),
                                   headers={"Accept": "application/activity+json"})
        assert response.status_code == 200, response.data
        return json.loads(response.data)

    def sync(self) -> None:
        feed = self.get("/changes")
        last = int(feed["last"].rsplit("/", 1)[1]) if "last" in feed else 0
        for number in range(self.applied_pages + 1, last + 1):
            for activity in self.get(f"/changes/page/{number}")["orderedItems"]:
                self.apply(activity)
            self.applied_pages = number

    def apply(self, activity: dict[str, Any]) -> None:
        self.seen.append(activity["type"])
        graph, obj = ox.NamedNode(activity["target"]["nqdb:graph"]), activity["object"]
        if obj.get("nqdb:superseded"):
            return  # a later activity carries the newer version
        for quad in self.description(ox.NamedNode(obj["id"]), graph):
            self.mirror.remove(quad)
        if activity["type"] in ("Create", "Update"):
            triples = ox.parse(io.BytesIO(obj["content"].encode("utf-8")), ox.RdfFormat.N_TRIPLES)
            self.mirror.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)

    def description(self, subject: ox.NamedNode | ox.BlankNode, graph: ox.NamedNode) -> list[ox.Quad]:
        quads = list(self.mirror.quads_for_pattern(subject, None, None, graph))
        for quad in list(quads):
            if isinstance(quad.object, ox.BlankNode):
                quads += self.description(quad.object, graph)
        return quads

    def graph(self, name: str) -> rdflib.Graph:
        data = self.mirror.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)) or b""
        return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


def published(store: Store, name: str) -> rdflib.Graph:
    buffer = io.BytesIO()
    store.dump(buffer, "application/n-triples", graph=name)
    return rdflib.Graph().parse(data=buffer.getvalue().decode("utf-8"), format="nt")


def assert_same(store: Store, harvester: Harvester) -> None:
    names = [g for g in store.published_graphs() if graphs.dataset_id_of(g)]
    mirrored = {g.value for g in harvester.mirror.named_graphs() if len(harvester.graph(g.value))}
    assert mirrored == set(names)
    for name in names:
        expected, got = published(store, name), harvester.graph(name)
        if not isomorphic(expected, got):
            _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
            pytest.fail(f"{name} differs:\nmissing {only_expected.serialize(format='nt')}\n"
                        f"extra {only_got.serialize(format='nt')}")


@pytest.fixture
def feed_client(empty_store: Store) -> FlaskClient:
    app = create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": "http://nqdb.test"})
    return app.test_client()


def test_harvester_stays_in_sync_across_changes(empty_store: Store, feed_client: FlaskClient,
                                                tmp_path: Path) -> None:
    harvester = Harvester(feed_client)
    importer.import_file(empty_store, variant(tmp_path, "v1"), "alpha")
    harvester.sync()
    assert set(harvester.seen) == {"Create"}
    assert_same(empty_store, harvester)

    retitled = variant(tmp_path, "v2", title="Certificate in Pipework")
    importer.import_file(empty_store, retitled, "alpha", replace=True)
    harvester.sync()
    assert "Update" in harvester.seen and "Delete" not in harvester.seen
    assert_same(empty_store, harvester)

    importer.import_file(empty_store, variant(tmp_path, "v3", second=False), "alpha", replace=True)
    harvester.sync()
    assert "Delete" in harvester.seen  # Q-0002 and its own nodes were withdrawn
    assert_same(empty_store, harvester)

    importer.import_file(empty_store, variant(tmp_path, "beta", bnode=False), "beta")
    harvester.sync()
    assert_same(empty_store, harvester)


@dataclass(frozen=True)
class History:
    """A store with three imports of dataset alpha: v1, v1 again (identical), v1 without Q-0002."""

    store: Store
    client: FlaskClient
    events_after_first: int
    events_after_identical: int


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, empty_template: Path) -> Iterator[History]:
    folder = tmp_path_factory.mktemp("feed")
    copy_store(empty_template, folder / "store")
    store, size = Store(folder / "store"), changes.PAGE_SIZE
    changes.PAGE_SIZE = 5  # several pages from a small dataset
    try:
        path = variant(folder, "v1")
        importer.import_file(store, path, "alpha")
        first = changes.summary(store).events
        importer.import_file(store, path, "alpha", replace=True)  # blank-node labels differ, content does not
        identical = changes.summary(store).events
        importer.import_file(store, variant(folder, "v2", second=False), "alpha", replace=True)
    finally:
        changes.PAGE_SIZE = size
    app = create_app({"TESTING": True, "STORE": str(store.path), "PUBLIC_BASE_URL": "http://nqdb.test"})
    yield History(store, app.test_client(), first, identical)


def test_reimporting_identical_data_records_no_event(history: History) -> None:
    assert history.events_after_first > 0
    assert history.events_after_identical == history.events_after_first


def test_withdrawn_qualification_is_a_delete_event(history: History) -> None:
    summary = changes.summary(history.store)
    pages = [changes.page(history.store, n) for n in range(1, summary.pages + 1)]
    events = [e for p in pages if p is not None for e in p.events]
    deleted = {e.resource for e in events if e.kind == changes.DELETE}
    assert "https://example.org/nqd/qualification/Q-0002" in deleted
    assert "https://example.org/nqd/qualification/Q-0001" not in deleted
    assert all(e.content is None for e in events if e.kind == changes.DELETE)


def test_changes_graph_is_not_public(history: History) -> None:
    assert changes.CHANGES_GRAPH in history.store.graph_names()
    assert changes.CHANGES_GRAPH not in history.store.published_graphs()


def test_pages_are_bounded_and_linked(history: History) -> None:
    feed = json.loads(history.client.get("/changes").data)
    assert feed["type"] == "OrderedCollection" and feed["totalItems"] > 5
    first = json.loads(history.client.get("/changes/page/1").data)
    assert len(first["orderedItems"]) == 5 and "prev" not in first
    assert first["next"].endswith("/changes/page/2")
    assert first["partOf"] == "http://nqdb.test/changes"
    last = json.loads(history.client.get(feed["last"].replace("http://nqdb.test", "")).data)
    assert "next" not in last and last["prev"]


def test_since_redirects_to_a_page_and_rejects_bad_dates(history: History) -> None:
    response = history.client.get("/changes?since=2000-01-01T00:00:00Z")
    assert response.status_code == 303 and response.headers["Location"].endswith("/changes/page/1")
    assert history.client.get("/changes?since=2999-01-01T00:00:00Z").status_code == 404
    bad = history.client.get("/changes?since=yesterday")
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"


def test_feed_is_activity_streams_json(history: History) -> None:
    response = history.client.get("/changes/page/1", headers={"Accept": "application/activity+json"})
    assert response.mimetype == "application/activity+json"
    body = json.loads(response.data)
    assert body["@context"][0] == "https://www.w3.org/ns/activitystreams"
    activity = body["orderedItems"][0]
    assert activity["type"] == "Create" and activity["id"].startswith("http://nqdb.test/changes/")
    assert history.client.get("/changes/page/99").status_code == 404
