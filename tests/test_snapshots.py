"""Snapshots: a failed write leaves the published store as it was; readers see new versions."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from store.core import graphs
from store.core.snapshots import KEEP_VERSIONS, StoreLocked
from store.core.triplestore import Store, StoreNotInitialised
from tests.conftest import MINIMAL


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


CRASHING_WRITER = r"""
import sys, time
from pathlib import Path
from store.ingest import importer
from store.core.triplestore import Store

def stall(done: int) -> None:  # first progress report: the copy exists and the bulk load is under way
    print("loading", flush=True)
    time.sleep(120)

importer.import_file(Store(sys.argv[1]), Path(sys.argv[2]), "crashed", progress=stall)
"""


def crash_a_write(store: Store, data: Path) -> None:
    """Start an import in another process and SIGKILL it mid-load."""
    child = subprocess.Popen([sys.executable, "-c", CRASHING_WRITER, str(store.path), str(data)],
                             stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[1])
    try:
        assert child.stdout is not None and child.stdout.readline() == "loading\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()


def test_crashed_writes_never_count_as_kept_snapshots(empty_store: Store) -> None:
    """Issue 9 case 19: two writers killed mid-load leave copies that prune deletes, never real snapshots."""
    for i in range(KEEP_VERSIONS):
        with empty_store.write() as writer:
            writer.add([(f"http://example.org/{i}", "http://example.org/p", "http://example.org/o")],
                       graphs.dataset_graph("tiny"))
    published = sorted(p.name for p in (empty_store.path / "versions").iterdir())[-KEEP_VERSIONS:]
    crash_a_write(empty_store, MINIMAL)
    crash_a_write(empty_store, MINIMAL)
    leftovers = sorted(p.name for p in (empty_store.path / "versions").iterdir() if p.name not in published)
    assert empty_store.version == published[-1] and leftovers and min(leftovers) > published[-1]
    with empty_store.write() as writer:
        writer.add([("http://example.org/new", "http://example.org/p", "http://example.org/o")],
                   graphs.dataset_graph("tiny"))
    kept = sorted(p.name for p in (empty_store.path / "versions").iterdir())
    assert kept == [*published[1:], empty_store.version]
    assert not set(leftovers) & set(kept)
    assert empty_store.version > leftovers[-1]  # version names are never reused
    for version in published[1:]:  # the real previous snapshots are intact and readable
        reader = ox.Store.read_only(str(empty_store.path / "versions" / version / "public"))
        assert len(reader) > 0


def test_leftover_of_a_killed_writer_is_removed_by_the_next_writer(empty_store: Store) -> None:
    """Issue 9 case 19: a killed writer's copy holds disk only until the next write begins."""
    crash_a_write(empty_store, MINIMAL)
    before = empty_store.version
    leftover = max(p.name for p in (empty_store.path / "versions").iterdir())
    assert leftover > (before or "")
    with pytest.raises(RuntimeError, match="boom"), empty_store.write():
        assert not (empty_store.path / "versions" / leftover).exists()
        raise RuntimeError("boom")
    assert empty_store.version == before
