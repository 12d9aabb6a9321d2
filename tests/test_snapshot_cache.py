"""store/core/snapshot_cache.py: one computation per published snapshot, always of the snapshot it is keyed by."""

from __future__ import annotations

from store.core.snapshot_cache import per_snapshot
from store.core.triplestore import Store
from store.ingest import importer
from tests.conftest import MINIMAL

calls: list[str | None] = []


@per_snapshot(maxsize=2)
def graph_count(store: Store, extra: int = 0) -> tuple[str | None, int]:
    calls.append(store.version)
    return store.version, len(store.published_graphs()) + extra


def test_computed_once_per_snapshot_and_again_after_a_publish(empty_store: Store) -> None:
    calls.clear()
    first = graph_count(empty_store)
    assert graph_count(empty_store) == first and graph_count(empty_store.pinned()) == first
    assert calls == [first[0]]
    importer.import_file(empty_store, MINIMAL, "minimal")
    second = graph_count(empty_store)
    assert second[0] != first[0] and second[1] == first[1] + 1
    assert graph_count(empty_store, extra=1) == (second[0], second[1] + 1)  # arguments are part of the key
    assert len(calls) == 3


def test_a_pinned_view_gets_the_value_of_its_own_snapshot(empty_store: Store) -> None:
    """A request pinned before a publish keeps seeing the numbers of its snapshot, not the new one's."""
    view = empty_store.pinned()
    importer.import_file(empty_store, MINIMAL, "minimal")
    assert graph_count(view)[0] == view.version != empty_store.version
    assert graph_count(empty_store)[0] == empty_store.version


def test_the_oldest_result_is_dropped_past_maxsize(empty_store: Store) -> None:
    calls.clear()
    for extra in (1, 2, 3, 1):
        graph_count(empty_store, extra=extra)
    assert len(calls) == 4  # extra=1 was evicted by 2 and 3
