"""Immutable store snapshots on disk, swapped atomically.

Layout of a store directory:
    versions/00000001/public/    Oxigraph database of the published graphs only (datasets, vocabularies):
                                 SPARQL, pages and dumps read it, its union is the public default graph
    versions/00000001/private/   Oxigraph database of portal-private graphs (metadata, change log; drafts
                                 later): never reachable from the public side
    current -> versions/00000002 symlink, replaced with os.replace (atomic on POSIX)
    write.lock                   flock held by the one writer
Both databases of a version are written together and never again once published.

A write copies the current snapshot (Store.backup: a RocksDB checkpoint, hard links, milliseconds),
applies its changes to the copy with the fast non-transactional bulk loader, and publishes the
copy by swapping `current`. A failed write deletes its copy: the published data never changes
partially, and readers (portal workers, SPARQL processes) open a finished snapshot read-only.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

KEEP_VERSIONS = 3  # older snapshots are deleted; readers reopen on every version change


class StoreLocked(RuntimeError):
    """Another process is writing to this store."""


class Snapshots:
    """The versioned snapshot directories of one store."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.versions = root / "versions"
        self.current_link = root / "current"

    def current_version(self) -> str | None:
        """The name of the published snapshot, or None for an empty store."""
        try:
            return os.readlink(self.current_link).rsplit("/", 1)[-1]
        except FileNotFoundError:
            return None

    def path_of(self, version: str) -> Path:
        """The directory of one snapshot."""
        return self.versions / version

    @contextmanager
    def write_lock(self, wait: bool = True) -> Iterator[None]:
        """Hold the store's single-writer lock."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "write.lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError as error:
                raise StoreLocked(f"Another process is writing to {self.root}.") from error
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def public_path(self, version: str) -> Path:
        """The public database of one snapshot."""
        return self.path_of(version) / "public"

    def private_path(self, version: str) -> Path:
        """The private database of one snapshot."""
        return self.path_of(version) / "private"

    def begin(self) -> tuple[str, ox.Store, ox.Store]:
        """Copy the current snapshot into a new, unpublished version; its public and private stores, read-write."""
        self.versions.mkdir(parents=True, exist_ok=True)
        current = self.current_version()
        number = max((int(p.name) for p in self.versions.iterdir() if p.name.isdigit()), default=0) + 1
        version = f"{number:08d}"
        self.path_of(version).mkdir()
        if current is not None:
            for path_of in (self.public_path, self.private_path):
                ox.Store.read_only(str(path_of(current))).backup(str(path_of(version)))
        return version, ox.Store(str(self.public_path(version))), ox.Store(str(self.private_path(version)))

    def publish(self, version: str) -> None:
        """Make `version` the current snapshot (atomic symlink swap), then prune old ones."""
        temporary = self.root / f"current.{os.getpid()}.tmp"
        temporary.unlink(missing_ok=True)
        os.symlink(f"versions/{version}", temporary)
        os.replace(temporary, self.current_link)
        self._fsync_dir(self.root)
        self.prune()

    def discard(self, version: str) -> None:
        """Delete an unpublished version."""
        shutil.rmtree(self.path_of(version), ignore_errors=True)

    def prune(self) -> None:
        """Delete all but the newest KEEP_VERSIONS published snapshots; call with the write lock held."""
        current = self.current_version()
        if current is None:
            return
        numbered = sorted(p for p in self.versions.iterdir() if p.name.isdigit())
        published = [p for p in numbered if p.name <= current]
        leftovers = [p for p in numbered if p.name > current]  # from a writer that crashed
        for path in published[:-KEEP_VERSIONS] + leftovers:
            shutil.rmtree(path, ignore_errors=True)

    @staticmethod
    def _fsync_dir(path: Path) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
