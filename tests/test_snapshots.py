"""Snapshots: a failed write leaves the published store as it was; readers see new versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import graphs
from store.snapshots import KEEP_VERSIONS, StoreLocked
from store.triplestore import Store, StoreNotInitialised


def test_uninitialised_store_says_how_to_fix_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "nothing")
    assert not store.is_initialised()
    with pytest.raises(StoreNotInitialised, match="nqdb init"):
        store.select("list_datasets")


def test_write_publishes_a_new_version_and_readers_follow(empty_store: Store) -> None:
    before = empty_store.version
    graph = graphs.dataset_graph("tiny")
    with empty_store.write() as writer:
        writer.add([("http://example.org/a", "http://example.org/p", "http://example.org/b")], graph)
    assert empty_store.version != before
    assert empty_store.count_quads(graph) == 1


def test_error_inside_write_discards_the_copy(empty_store: Store) -> None:
    before = empty_store.version
    versions = sorted(p.name for p in (empty_store.path / "versions").iterdir())
    with pytest.raises(RuntimeError, match="boom"), empty_store.write() as writer:
        writer.add([("http://example.org/a", "http://example.org/p", "http://example.org/b")],
                   graphs.dataset_graph("tiny"))
        raise RuntimeError("boom")
    assert empty_store.version == before
    assert sorted(p.name for p in (empty_store.path / "versions").iterdir()) == versions
    assert empty_store.count_quads(graphs.dataset_graph("tiny")) == 0


def test_only_one_writer_at_a_time(empty_store: Store) -> None:
    with empty_store.write(), pytest.raises(StoreLocked), empty_store.write(wait=False):
        pass


def test_old_versions_are_pruned(empty_store: Store) -> None:
    for i in range(KEEP_VERSIONS + 2):
        with empty_store.write() as writer:
            writer.add([(f"http://example.org/{i}", "http://example.org/p", "http://example.org/o")],
                       graphs.dataset_graph("tiny"))
    assert len(list((empty_store.path / "versions").iterdir())) == KEEP_VERSIONS
    assert empty_store.count_quads(graphs.dataset_graph("tiny")) == KEEP_VERSIONS + 2


def test_metadata_graph_stays_out_of_the_public_database(demo_store: Store) -> None:
    assert graphs.METADATA_GRAPH in demo_store.graph_names()
    assert graphs.METADATA_GRAPH not in demo_store.published_graphs()
    assert graphs.dataset_graph("demo") in demo_store.published_graphs()
    assert all(graphs.is_published_graph(g) for g in demo_store.published_graphs())
    assert demo_store.select_private("list_datasets")[0]["identifier"] == "demo"
    assert demo_store.select("list_datasets") == []  # metadata is invisible from the public side
