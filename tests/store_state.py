"""What "a failed write changes nothing" is checked against: the store's files and its published content.

Published snapshots are immutable and every write goes to a new version folder, so a store whose files
(names, sizes, modification times, the `current` link) are the same holds the same quads. The files are
read in milliseconds where listing 150,000 quads takes seconds; the quad count per graph of both databases
is compared as well, so a change the file check could miss would still show.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from store.core.triplestore import Store

UNTRACKED = {"write.lock"}  # opened (truncated) by every write attempt, holds no data


@dataclass(frozen=True)
class StoreState:
    version: str | None
    files: frozenset[tuple[str, int, int]]
    links: frozenset[tuple[str, str]]
    counts: frozenset[tuple[str, str, int]]


def state(store: Store | Path) -> StoreState:
    """The store's files and per-graph quad counts, to compare before and after a write."""
    store = store if isinstance(store, Store) else Store(store)
    files, links = set(), set()
    for folder, _, names in os.walk(store.path):
        for name in names:
            path = Path(folder) / name
            relative = str(path.relative_to(store.path))
            if relative in UNTRACKED:
                continue
            if path.is_symlink():
                links.add((relative, os.readlink(path)))
            else:
                info = path.stat()
                files.add((relative, info.st_size, info.st_mtime_ns))
    return StoreState(store.version, frozenset(files), frozenset(links), frozenset(_counts(store)))


def _counts(store: Store) -> set[tuple[str, str, int]]:
    if store.version is None:
        return set()
    counts = set()
    for side, path in (("public", store.snapshot_path()), ("private", store.private_snapshot_path())):
        handle = ox.Store.read_only(str(path))
        counts.add((side, "", len(handle)))  # every quad, the default graph's included
        for row in handle.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
            assert isinstance(row, ox.QuerySolution)
            graph, count = row["g"], row["n"]
            assert graph is not None and count is not None
            counts.add((side, str(graph), int(count.value)))
    return counts
