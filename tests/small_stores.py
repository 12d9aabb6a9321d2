"""Small real stores for the operations tests: a few hundred triples, so a dump generation takes a second.

Data goes in through `Store.write()` (a real snapshot, published atomically), without the importer's
validation: these tests exercise snapshots and dumps, not import.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pyoxigraph as ox

from store.core import graphs
from store.core.triplestore import Store
from tests.conftest import MINIMAL

POISON = 'raise ImportError("poisoned: the {name} package of the working directory was imported")\n'


def publish_dataset(store: Store, dataset_id: str, turtle: Path = MINIMAL) -> str:
    """Publish `turtle` as the dataset graph `dataset_id` in a new snapshot; the new version."""
    with store.write() as writer:
        writer.ox.load(path=str(turtle), format=ox.RdfFormat.TURTLE,
                       to_graph=ox.NamedNode(graphs.dataset_graph(dataset_id)))
    version = store.version
    assert version is not None
    return version


def small_store(path: Path) -> Store:
    """A new store at `path` with one small published dataset."""
    store = Store(path)
    publish_dataset(store, "minimal")
    return store


def poisoned_directory(path: Path) -> Path:
    """A working directory with `store/`, `portal/` and `nqdb/` packages that fail when imported (issue 9 case 20)."""
    for package in ("store", "portal", "nqdb"):
        (path / package).mkdir(parents=True)
        (path / package / "__init__.py").write_text(POISON.format(name=package), encoding="utf-8")
    return path


def nqdb_script() -> Path | None:
    """The installed `nqdb` console script of this interpreter (README command 1), if there is one."""
    script = Path(sys.executable).parent / "nqdb"
    return script if script.is_file() and os.access(script, os.X_OK) else None
