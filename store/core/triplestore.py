"""The portal's RDF dataset: a directory of immutable Oxigraph snapshots, one named graph per dataset.

Readers see the current published snapshot, opened read-only and reopened when a write publishes a
new one. Writers go through `Store.write()`, which yields a `Writer` on a private copy that is
published atomically on success and deleted on any error.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
import threading
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from pyoxigraph import NamedNode
from pyoxigraph import Store as OxStore

from store.core import execute
from store.core.execute import Binding
from store.core.formats import rdf_by_media_type
from store.core.snapshots import PUBLISHED_MARKER, Snapshots
from store.core.terms import Term
from store.core.writer import Writer

EPOCH = datetime.fromtimestamp(0, UTC)
READERS = "readers"  # <store>/readers/<version>-<pid>-*/: private checkpoints of long readers (dumps)


class StoreNotInitialised(RuntimeError):
    """The store directory has no published snapshot yet (run `nqdb init`)."""


@dataclass(frozen=True)
class Snapshot:
    """One published snapshot opened read-only: for store-layer modules (describe, SPARQL, dumps)."""

    version: str
    ox: OxStore                           # the public database: its union is the public default graph
    private: OxStore                      # portal metadata and change log, never served as data
    published: tuple[NamedNode, ...]      # the named graphs of the public database
    published_at: datetime = EPOCH        # when it was published (Last-Modified of everything read from it)


class Store:
    """The NQDB dataset on disk; every method speaks plain Python (str, dict, bytes, dataclasses).

    A Store follows the published snapshot: each read sees the newest one. `pinned()` gives a view
    that reads one snapshot only (a web request takes one, so all it answers comes from one version).
    """

    def __init__(self, path: str | Path) -> None:
        # Absolute once, here: a relative path must not be re-read against another directory later
        # (Flask's send_file resolves relative paths against the package, a child has its own cwd).
        self.path = Path(path).expanduser().absolute()
        self._snapshots = Snapshots(self.path)
        self._lock = threading.Lock()
        self._current: Snapshot | None = None
        self._base: Store | None = None        # the store a pinned view was taken from
        self._pinned: Snapshot | None = None

    def __eq__(self, other: object) -> bool:
        # A pinned view is the same store as the one it was taken from (caches keyed by store and version).
        return isinstance(other, Store) and other._root() is self._root()

    def __hash__(self) -> int:
        return id(self._root())

    def _root(self) -> Store:
        return self._base or self

    # -- snapshots -------------------------------------------------------------------------------
    def pinned(self) -> Store:
        """A view of this store that reads only the snapshot published now, whatever is published later.

        Readers are shared with this store: pinning opens nothing when the snapshot is already open.
        Raises StoreNotInitialised before the first publish.
        """
        view = copy.copy(self)
        view._base, view._pinned = self._root(), self.snapshot()
        return view

    def release(self) -> None:
        """Unpin a view (it follows the published snapshot again) so it holds no reader open."""
        if self._base is not None:
            self._pinned = None

    def snapshot(self) -> Snapshot:
        """The current published snapshot (or the pinned one), reopened when a write has published a new one."""
        if self._pinned is not None:
            return self._pinned
        if self._base is not None:
            return self._base.snapshot()
        version = self._snapshots.current_version()
        if version is None:
            raise StoreNotInitialised(f"No NQDB store at {self.path}; run `nqdb init --store {self.path}`.")
        current = self._current
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._current is None or self._current.version != version:
                handle = ox.Store.read_only(str(self._snapshots.public_path(version)))
                private = ox.Store.read_only(str(self._snapshots.private_path(version)))
                published = tuple(sorted((g for g in handle.named_graphs() if isinstance(g, NamedNode)),
                                         key=lambda g: g.value))
                self._current = Snapshot(version, handle, private, published, self._published_time(version))
            return self._current

    def _published_time(self, version: str) -> datetime:
        # The version's PUBLISHED marker is written as it becomes current; a store from before the marker
        # falls back to the `current` link's time if it still names `version`, else the folder's time.
        marker = self._snapshots.path_of(version) / PUBLISHED_MARKER
        try:
            stamp = os.stat(marker).st_mtime
        except FileNotFoundError:
            stamp = os.lstat(self._snapshots.current_link).st_mtime
            if self._snapshots.current_version() != version:
                stamp = os.stat(self._snapshots.path_of(version)).st_mtime
        return datetime.fromtimestamp(int(stamp), UTC)

    @property
    def version(self) -> str | None:
        """The published snapshot's name (changes on every write; fixed in a pinned view), or None before `init`."""
        if self._pinned is not None:
            return self._pinned.version
        return self._snapshots.current_version()

    def published_at(self) -> datetime:
        """When the snapshot read was published, to the second (the epoch before `init`)."""
        try:
            return self.snapshot().published_at
        except StoreNotInitialised:
            return EPOCH

    def is_initialised(self) -> bool:
        """True once a snapshot has been published."""
        return self.version is not None

    def snapshot_path(self) -> Path:
        """The public database of the current snapshot, for read-only openers in other processes."""
        return self._snapshots.public_path(self.snapshot().version)

    def private_snapshot_path(self) -> Path:
        """The private database (metadata, change log) of the current snapshot."""
        return self._snapshots.private_path(self.snapshot().version)

    @contextmanager
    def checkpoint(self) -> Iterator[Snapshot]:
        """A private read-only copy of the snapshot read (a RocksDB checkpoint: hard links, milliseconds).

        For long readers such as the dump generator: the copy stays readable even if the snapshot is
        pruned meanwhile. It lives on the store's own file system (<store>/readers/), so it costs no
        space there and none where the reader writes; it is deleted on exit.
        """
        snap = self.snapshot()
        folder = self.path / READERS
        folder.mkdir(exist_ok=True)
        _remove_dead_readers(folder)
        work = Path(tempfile.mkdtemp(prefix=f"{snap.version}-{os.getpid()}-", dir=folder))
        try:
            for source, name in ((snap.ox, "public"), (snap.private, "private")):
                source.backup(str(work / name))
            public = ox.Store.read_only(str(work / "public"))
            private = ox.Store.read_only(str(work / "private"))
            yield Snapshot(snap.version, public, private, snap.published, snap.published_at)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    # -- reading -----------------------------------------------------------------------------------
    def _run(self, query_name: str, bindings: Mapping[str, Binding]) -> object:
        return execute.run(self.snapshot().ox, query_name, bindings)

    def select(self, query_name: str, **bindings: Binding) -> list[dict[str, str]]:
        """Run queries/<query_name>.rq; each keyword binds ?keyword (str = IRI, Text = literal)."""
        return [{k: t.value for k, t in row.items()} for row in self.select_terms(query_name, **bindings)]

    def select_terms(self, query_name: str, **bindings: Binding) -> list[dict[str, Term]]:
        """Like select, keeping each value's kind, language and datatype."""
        return execute.select(self.snapshot().ox, query_name, bindings)

    def select_private(self, query_name: str, **bindings: Binding) -> list[dict[str, str]]:
        """Run a named query on the private database (portal metadata, change log)."""
        rows = execute.select(self.snapshot().private, query_name, bindings)
        return [{k: t.value for k, t in row.items()} for row in rows]

    def ask(self, query_name: str, **bindings: Binding) -> bool:
        """Run a named ASK query."""
        answer = self._run(query_name, bindings)
        assert isinstance(answer, ox.QueryBoolean)
        return bool(answer)

    def construct(self, query_name: str, media_type: str, **bindings: Binding) -> bytes:
        """Run a named CONSTRUCT query and serialise its graph in `media_type`."""
        triples = self._run(query_name, bindings)
        assert isinstance(triples, ox.QueryTriples)
        syntax = rdf_by_media_type(media_type)
        if syntax is None or syntax.is_dataset:
            raise ValueError(f"Cannot serialise a graph as {media_type}.")
        return triples.serialize(format=syntax.format) or b""

    def exists(self, iri: str) -> bool:
        """True if `iri` is the subject of a triple in a published graph."""
        return self.ask("resource_exists", resource=iri)

    def graph_names(self) -> list[str]:
        """Every named graph of the current snapshot, public and private."""
        snap = self.snapshot()
        return sorted(g.value for handle in (snap.ox, snap.private) for g in handle.named_graphs()
                      if isinstance(g, NamedNode))

    def published_graphs(self) -> list[str]:
        """The graphs that make up the public default graph (datasets and vocabularies)."""
        return [g.value for g in self.snapshot().published]

    def count_quads(self, graph: str | None = None) -> int:
        """Quads in one graph, or in the whole snapshot."""
        snap = self.snapshot()
        if graph is None:
            return len(snap.ox)
        rows = execute.select(snap.ox, "count_graph_triples", {"graph": graph})
        return int(rows[0]["triples"].value) if rows else 0

    def dump(self, output: IO[bytes], media_type: str, graph: str) -> None:
        """Stream one published graph to `output` (whole-store dumps: store/opendata/dumps.py)."""
        syntax = rdf_by_media_type(media_type)
        if syntax is None:
            raise ValueError(f"Unknown RDF media type {media_type}.")
        self.snapshot().ox.dump(output, syntax.format, from_graph=ox.NamedNode(graph))

    # -- writing -----------------------------------------------------------------------------------
    @contextmanager
    def write(self, wait: bool = True) -> Iterator[Writer]:
        """A private copy of the store to change; published atomically when the block succeeds."""
        with self._snapshots.write_lock(wait=wait):
            version, *handles = self._snapshots.begin()
            writer = Writer(*handles)
            del handles  # the writer holds the only references: closing it releases the files
            try:
                yield writer
                writer.close()
            except BaseException as error:
                writer.close(flush=False)
                # The frames of the failed write still hold its pyoxigraph handles; while the exception
                # lives (a CLI result, a logged error) the deleted snapshot's files would stay open and
                # keep their disk space. Clearing them frees the space of a failed write at once.
                traceback.clear_frames(error.__traceback__)
                self._snapshots.discard(version)
                raise
            self._snapshots.publish(version)


def _remove_dead_readers(folder: Path) -> None:
    """Delete the checkpoints of reader processes that have died (named <version>-<pid>-*)."""
    for leftover in folder.iterdir():
        parts = leftover.name.split("-")
        if len(parts) >= 2 and parts[1].isdigit() and not _alive(int(parts[1])):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
