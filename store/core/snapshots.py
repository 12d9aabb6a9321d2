"""Immutable store snapshots on disk, swapped atomically.

Layout of a store directory:
    versions/00000001/public/    Oxigraph database of the published graphs only (datasets, vocabularies):
                                 SPARQL, pages and dumps read it, its union is the public default graph
    versions/00000001/private/   Oxigraph database of portal-private graphs (metadata, change log; drafts
                                 later): never reachable from the public side
    versions/00000001/PUBLISHED  marker written when the version becomes current: only marked versions
                                 (and the current one) count as snapshots; anything else is a leftover
    current -> versions/00000002 symlink, replaced with os.replace (atomic on POSIX)
    write.lock                   flock held by the one writer
Both databases of a version are written together and never again once published.

A write copies the current snapshot (Store.backup: a RocksDB checkpoint, hard links, milliseconds),
applies its changes to the copy with the fast non-transactional bulk loader, and publishes the
copy by swapping `current`. A failed write deletes its copy: the published data never changes
partially, and readers (portal workers, SPARQL processes) open a finished snapshot read-only.

A writer killed outright (SIGKILL, power loss) cannot delete its copy. Such a leftover was never
published, so it never counts among the KEEP_VERSIONS kept snapshots: the next writer, holding the
write lock (so no other writer can own it), deletes every unmarked version but the current one.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

KEEP_VERSIONS = 3  # older published snapshots are deleted; readers reopen on every version change
PUBLISHED_MARKER = "PUBLISHED"
# Highest version number begun by this process, per store: a failed write's RocksDB handles can outlive
# its deleted directory (an exception's traceback holds them), so a number is never begun twice here.
_BEGUN: dict[Path, int] = {}


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
        """Copy the current snapshot into a new, unpublished version; its public and private stores, read-write.

        Call with the write lock held: leftovers of crashed writers are deleted first, to free their disk.
        """
        self.versions.mkdir(parents=True, exist_ok=True)
        # Numbered past any leftover, so a version name is never reused, even for an unpublished copy.
        key = self.root.resolve()
        number = max([int(p.name) for p in self._numbered()] + [_BEGUN.get(key, 0)], default=0) + 1
        _BEGUN[key] = number
        self.remove_leftovers()
        current, version = self.current_version(), f"{number:08d}"
        self.path_of(version).mkdir()
        try:
            if current is not None:
                for path_of in (self.public_path, self.private_path):
                    ox.Store.read_only(str(path_of(current))).backup(str(path_of(version)))
            return version, ox.Store(str(self.public_path(version))), ox.Store(str(self.private_path(version)))
        except BaseException:  # e.g. a full disk during the checkpoint: leave no half copy behind
            self.discard(version)
            raise

    def publish(self, version: str) -> None:
        """Mark `version` published, make it the current snapshot (atomic symlink swap), prune old ones."""
        self._mark_published(version)
        temporary = self.root / f"current.{os.getpid()}.tmp"
        temporary.unlink(missing_ok=True)
        os.symlink(f"versions/{version}", temporary)
        os.replace(temporary, self.current_link)
        self._fsync_dir(self.root)
        self.prune()

    def _mark_published(self, version: str) -> None:
        """The marker goes first (so a full disk fails before the swap, not after); a crash between marker
        and swap leaves a marked version newer than `current`, which is_published does not count."""
        marker = self.path_of(version) / PUBLISHED_MARKER
        marker.write_text(f"{version}\n", encoding="ascii")
        self._fsync_dir(self.path_of(version))

    def is_published(self, version: str) -> bool:
        """True for the current version and every marked older one (each was current once: versions are
        numbered in write order and `current` only moves forward)."""
        current = self.current_version()
        if current is None or version > current:
            return False
        return version == current or (self.path_of(version) / PUBLISHED_MARKER).is_file()

    def discard(self, version: str) -> None:
        """Delete an unpublished version."""
        shutil.rmtree(self.path_of(version), ignore_errors=True)

    def prune(self) -> None:
        """Keep the newest KEEP_VERSIONS published snapshots, delete the rest and every leftover.

        Call with the write lock held. Only published versions count (issue 9 case 19): copies left by
        crashed writers never take the place of a real previous snapshot.
        """
        if self.current_version() is None:
            return
        self.remove_leftovers()
        published = [p for p in self._numbered() if self.is_published(p.name)]
        for path in published[:-KEEP_VERSIONS]:
            shutil.rmtree(path, ignore_errors=True)

    def remove_leftovers(self) -> list[str]:
        """Delete versions that were never published (crashed writers' copies); call with the write lock held.

        Holding the lock means no writer owns an unpublished version, so every one is stale.
        """
        stale = [p for p in self._numbered() if not self.is_published(p.name)]
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)
        return [p.name for p in stale]

    def _numbered(self) -> list[Path]:
        if not self.versions.is_dir():
            return []
        return sorted(p for p in self.versions.iterdir() if p.name.isdigit())

    @staticmethod
    def _fsync_dir(path: Path) -> None:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
